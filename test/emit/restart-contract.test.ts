// The restart contract the compiler derives for generated suites (compiler/emit/restart-contract.ts),
// checked on small specs where the answer is known by hand.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { buildRestartContract } from "../../compiler/emit/restart-contract.ts";
import type { ResolvedApp } from "../../compiler/model/model.ts";

const test = suite("restart contract");

function resolve(body: string): ResolvedApp {
  const analysis = analyzeSpec(`app t {\n${body}\n}\n`, "t.sup", { specDir: "/", fileExists: () => true });
  assert.ok(analysis.app !== undefined, JSON.stringify(analysis.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)));
  return analysis.app!;
}

test("each strategy picks its set, and whoever needs a member (or a supervisor holding one) joins it", () => {
  const sets = (["one_for_one", "one_for_all", "rest_for_one"] as const).map((strategy) => {
    const app = resolve(`
      intensity 2 per 10s
      supervisor s {
        strategy ${strategy}
        service a { module "./a.ts" }
        service b { module "./b.ts" }
        service c { module "./c.ts" }
      }
      service uses-a { module "./x.ts"  needs s.a }
      service uses-s { module "./x.ts"  needs s }
      service other { module "./x.ts" }`);
    return buildRestartContract(app).restarts.find((r) => r.supervisor === "s")!.restarted;
  });
  assert.equal(sets, [
    ["s.a", "uses-a", "uses-s"],
    ["s.a", "s.b", "s.c", "uses-a", "uses-s"],
    // rest_for_one crashes its second child: a set unlike both the whole supervisor and b alone.
    ["s.b", "s.c", "uses-s"],
  ]);
});

test("rest_for_one from the second permanent child; temporary members stop for good; blocked restarts are not chosen", () => {
  const app = resolve(`
    supervisor s {
      strategy rest_for_one
      service t { module "./t.ts"  restart temporary }
      service a { module "./a.ts"  needs s.t }
      service b { module "./b.ts" }
      service c { module "./c.ts"  restart temporary }
      service d { module "./d.ts" }
    }`);
  // b is the second permanent child: its set is b and the siblings after it. t and a, declared
  // before, keep running; c is temporary and stays down.
  const s = buildRestartContract(app).restarts.find((r) => r.supervisor === "s")!;
  assert.equal([s.service, s.restarted, s.stoppedOnly], ["s.b", ["s.b", "s.d"], ["s.c"]]);

  const blocked = resolve(`
    supervisor s {
      strategy one_for_all
      service a { module "./a.ts" }
      service t { module "./t.ts"  restart temporary }
      service b { module "./b.ts"  needs s.t }
    }`);
  // Every permanent child's set holds t, which stays down, and b, which needs it: no plain restart to test.
  assert.equal(buildRestartContract(blocked).restarts.filter((r) => r.supervisor === "s"), []);
});

test("the restart waits out the first backoff step; the crash loop's give-ups multiply up the tree", () => {
  const app = resolve(`
    intensity 1 per 60s
    supervisor outer {
      intensity 2 per 60s
      supervisor inner {
        intensity 3 per 60s
        backoff 200ms..1s
        service w { module "./w.ts" }
      }
    }`);
  const { restarts, crashLoops } = buildRestartContract(app);
  const w = restarts.find((r) => r.service === "outer.inner.w")!;
  assert.equal([w.crashAfterMs, w.restartAtMs, w.signalAtMs], [1000, 1200, 1700]);
  // inner gives up at w's 4th crash; outer restarts it twice and gives up at the third; the app
  // restarts outer once and gives up at its second failure.
  const inner = Array(3).fill("outer.inner");
  const loop = crashLoops.find((l) => l.service === "outer.inner.w")!;
  assert.equal(loop.gaveUp, [...inner, "outer", ...inner, "outer", ""]);
  assert.is(loop.crashes, 6 * 4);
});

test("a backoff too slow to ever fill the intensity window: no crash loop is predicted, the restart still is", () => {
  const app = resolve(`
    intensity 5 per 10s
    backoff 10s..1m
    service w { module "./w.ts" }`);
  const { restarts, crashLoops } = buildRestartContract(app);
  assert.equal(crashLoops, []);
  assert.is(restarts[0]!.restartAtMs, 11_000);
});

test("a temporary supervisor on the way stays down instead of failing upwards: no crash loop is predicted", () => {
  const app = resolve(`
    supervisor s {
      restart temporary
      service w { module "./w.ts" }
    }`);
  assert.equal(buildRestartContract(app).crashLoops, []);
});

test.run();
