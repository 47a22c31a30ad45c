// `after a, b` orders the start and the stop like `needs`, without a dependency: no handle in
// deps, no restart together. Cycles through it are reported; the plan, the contract and the
// graph include it. Also the values of `replicas` and `reload` (SUP2034, SUP2035).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { buildContract } from "../../compiler/emit/contract.ts";
import { renderGraph } from "../../compiler/tools/render-graph.ts";
import type { ResolvedApp, ResolvedNode, ResolvedService } from "../../compiler/model/model.ts";

const test = suite("semantics/after and value checks");

function analyze(source: string) {
  return analyzeSpec(source, "t.sup", { specDir: "/spec", fileExists: () => true });
}

function resolved(source: string): ResolvedApp {
  const result = analyze(source);
  assert.equal(result.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  return result.app!;
}

const codes = (source: string): string[] => analyze(source).diagnostics.map((d) => `${d.code}:${source.slice(d.span.start, d.span.end)}`);

const node = (app: ResolvedApp, id: string): ResolvedNode => {
  const all: ResolvedNode[] = [app.root];
  for (let i = 0; i < all.length; i++) if (all[i]!.kind === "supervisor") all.push(...(all[i] as { readonly children: readonly ResolvedNode[] }).children);
  return all.find((n) => n.id === id)!;
};

const SPEC = `app t {
  service flaky { module "./f.ts" }
  service db { module "./db.ts" }
  supervisor workers {
    after flaky
    service mailer { module "./m.ts" }
  }
  service api { module "./a.ts"  needs db  after flaky, workers }
}`;

test("after orders the start and the stop, but is not a need", () => {
  const app = resolved(SPEC);
  const api = node(app, "api");
  assert.equal(api.needs.map((d) => d.key), ["db"]);
  assert.equal(api.startAfter, ["flaky", "db", "workers"]);
  assert.equal(node(app, "flaky").stopAfter, ["workers", "api"]);
  assert.equal(node(app, "workers").startAfter, ["flaky"]);
  // Nothing of flaky reaches scope.deps.
  assert.equal((node(app, "workers.mailer") as ResolvedService).deps, []);
});

test("the contract orders by after, but a crash of what a node is after does not restart it", () => {
  const contract = buildContract(resolved(SPEC));
  assert.ok(contract.startEdges.some(([s, d]) => s === "api" && d === "flaky"));
  assert.ok(contract.startEdges.some(([s, d]) => s === "workers.mailer" && d === "flaky"));
  assert.ok(contract.stopEdges.some(([s, b]) => s === "flaky" && b === "api"));
  const crash = contract.restarts.find((c) => c.service === "flaky")!;
  assert.equal(crash.restarted, ["flaky"]);
  const needing = buildContract(resolved(`app t {\n  service flaky { module "./f.ts" }\n  service api { module "./a.ts"  needs flaky }\n}`));
  assert.equal(needing.restarts.find((c) => c.service === "flaky")!.restarted, ["flaky", "api"], "needs still restart together");
});

test("a cycle through after is SUP3001, with each step; after itself or an ancestor is SUP3002", () => {
  const cycle = analyze(`app t {\n  service a { module "./a.ts"  after b }\n  service b { module "./b.ts"  needs a }\n}`);
  assert.equal(cycle.diagnostics.map((d) => d.code), ["SUP3001"]);
  assert.match(cycle.diagnostics[0]!.message, /a -> b -> a/);
  assert.ok(cycle.diagnostics[0]!.related!.some((r) => r.message === "'a' starts after 'b' here"));
  assert.equal(codes(`app t {\n  supervisor s {\n    service a { module "./a.ts"  after s }\n  }\n}`), ["SUP3002:s"]);
  assert.equal(codes(`app t {\n  service a { module "./a.ts"  after nope }\n}`), ["SUP2002:nope"]);
});

test("an explicit shutdown line may not stop something before what is after it", () => {
  const source = `app t {\n  service flaky { module "./f.ts" }\n  service api { module "./a.ts"  after flaky }\n  shutdown flaky -> api\n}`;
  assert.ok(analyze(source).diagnostics.some((d) => d.code === "SUP3003"));
  assert.equal(resolved(source.replace("flaky -> api", "api -> flaky")).root.shutdownPhases, [["api"], ["flaky"]]);
});

test("the graph draws after dashed and needs solid", () => {
  const mermaid = renderGraph(resolved(SPEC), "mermaid");
  assert.match(mermaid, /n\d+ -\.-> n\d+/);
  assert.match(mermaid, /n\d+ --> n\d+/);
  assert.match(renderGraph(resolved(SPEC), "dot"), /style=dashed/);
});

test("replicas from 1 to 1000; a reload signal that is not a shutdown signal; a program's reload signal needs the app's", () => {
  const inApp = (body: string, app = "") => `app t {\n${app}  service w { ${body} }\n}`;
  assert.equal(codes(inApp('module "./w.ts"  replicas 3')), []);
  assert.equal(codes(inApp('module "./w.ts"  replicas 0')), ["SUP2035:0"]);
  assert.equal(codes(inApp('module "./w.ts"  replicas 1001')), ["SUP2035:1001"]);
  assert.equal(codes(inApp('module "./w.ts"', "  reload SIGHUP\n")), []);
  assert.equal(codes(inApp('module "./w.ts"', "  reload SIGTERM\n")), ["SUP2034:SIGTERM"]);
  assert.equal(codes(inApp('module "./w.ts"', "  signals SIGTERM, SIGHUP\n  reload SIGHUP\n")), ["SUP2034:SIGHUP"]);
  assert.equal(codes(inApp('module "./w.ts"', "  reload SIGHPU\n")), ["SUP2006:SIGHPU"]);
  assert.equal(codes(inApp('exec "./w"  reload signal SIGUSR2', "  reload SIGHUP\n")), []);
  assert.equal(codes(inApp('exec "./w"  reload signal SIGUSR2')), ["SUP2023:reload signal"]);
  assert.equal(codes(inApp('module "./w.ts"  reload signal SIGUSR2', "  reload SIGHUP\n")), ["SUP2025:reload signal"]);
  assert.equal(codes(`app t {\n  reload SIGHUP\n  supervisor s { reload SIGHUP  service w { module "./w.ts"  replicas 2 } }\n}`), ["SUP2005:reload"]);
});

test("the plan carries replicas and the reload signals; types give dependents an array", () => {
  const app = resolved(`app t {\n  reload SIGHUP\n  service w { exec "./w"  reload signal SIGUSR2  replicas 2 }\n  service a { module "./a.ts"  needs w }\n}`);
  assert.is(app.reloadSignal, "SIGHUP");
  const w = node(app, "w") as { replicas: number; exec: { reloadSignal: string } };
  assert.is(w.replicas, 2);
  assert.is(w.exec.reloadSignal, "SIGUSR2");
  assert.equal(buildContract(app).services, ["w#0", "w#1", "a"]);
});

test.run();
