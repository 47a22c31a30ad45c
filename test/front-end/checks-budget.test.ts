// Shutdown budgets (SUP3012-SUP3015) and `deploy` (SUP2020, SUP2021, SUP3016): which figures
// the checks compute, and that one mistake gets one report.
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resolveApp } from "../../compiler/model/resolve.ts";
import { findBudgetOverruns, findWorstCaseShutdown } from "../../compiler/model/timing-paths.ts";
import { parseSpec } from "../../compiler/syntax/parse-spec.ts";
import { analyze, codesWithText, inApp } from "./helpers.ts";

const budget = suite("checks: shutdown budgets and deploy");

const svc = (name: string, body = ""): string => `service ${name} { module "./${name}.ts" ${body} }`;
/** A period long enough that stop timeouts up to a minute raise no SUP3018. */
const CALM = "intensity 3 per 2m";

budget("phases add up and a phase takes its longest node: a tree that fits exactly passes", () => {
  const source = inApp(`grace 20s ${CALM} ${svc("db", "stop timeout 10s")} ${svc("cache", "stop timeout 2s")} ${svc("api", "needs db, cache stop timeout 10s")}`);
  assert.equal(codesWithText(source), []);
  const tooLong = inApp(`grace 19s ${CALM} ${svc("db", "stop timeout 10s")} ${svc("cache", "stop timeout 2s")} ${svc("api", "needs db, cache stop timeout 10s")}`);
  const [d] = analyze(tooLong).diagnostics;
  assert.is(d!.message, "the shutdown may take 20s, longer than the grace: api 10s -> db 10s = 20s > grace 19s");
});

budget("a nested supervisor counts with its own stop timeout when that ends its stop", () => {
  const source = inApp(
    `grace 30s ${CALM} ${svc("db", "stop timeout 10s")} supervisor w { needs db stop timeout 20s ${svc("m", "stop timeout infinity")} } ${svc("api", "needs w stop timeout 15s")}`,
  );
  const result = analyze(source);
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP3013"]);
  assert.match(result.diagnostics[0]!.message, /api 15s -> w 20s -> db 10s = 45s > grace 30s$/);
  assert.equal(result.diagnostics[0]!.related!.map((r) => r.message), [
    "'api' may take 15s to stop",
    "'w' is given 20s to stop its children",
    "'db' may take 10s to stop",
    "the grace is set here",
  ]);
});

budget("the default grace is named as such, at the app's name", () => {
  const result = analyze(inApp(`${CALM} ${svc("db", "stop timeout 31s")}`));
  assert.equal(codesWithText(inApp(`${CALM} ${svc("db", "stop timeout 31s")}`)), ["SUP3013:t"]);
  assert.match(result.diagnostics[0]!.hint!, /^the grace defaults to 30s; write 'grace 31s'/);
});

budget("SUP3015: children that outlast their supervisor, except children allowed to take forever", () => {
  const over = inApp(`${CALM} supervisor w { ${CALM} stop timeout 10s ${svc("a", "stop timeout 8s")} ${svc("b", "stop timeout 8s needs a")} }`);
  assert.equal(codesWithText(over), ["SUP3015:10s"]);
  assert.match(analyze(over).diagnostics[0]!.message, /w\.b 8s -> w\.a 8s = 16s > stop timeout 10s$/);
  assert.equal(codesWithText(inApp(`${CALM} supervisor w { stop timeout 10s ${svc("a", "stop timeout infinity")} }`)), []);
  assert.equal(codesWithText(inApp(`${CALM} supervisor w { ${CALM} stop timeout 16s ${svc("a", "stop timeout 8s")} ${svc("b", "stop timeout 8s needs a")} }`)), []);
});

budget("SUP3014: infinity that only the grace bounds, once per service, and no total on top", () => {
  assert.equal(codesWithText(inApp(`${svc("a", "stop timeout infinity")} ${svc("b", "stop timeout infinity needs a")}`)), [
    "SUP3014:infinity",
    "SUP3014:infinity",
  ]);
  assert.equal(codesWithText(inApp(`${CALM} supervisor outer { stop timeout 9s supervisor inner { ${svc("a", "stop timeout infinity")} } }`)), []);
});

budget("SUP3012 stays for budgets that can never be used, and leaves nodes on a reported path alone", () => {
  assert.equal(codesWithText(inApp(`grace 10s supervisor w { stop timeout 20s ${svc("a")} }`)), ["SUP3012:20s"]);
  // 'a' is on the path of the SUP3013 error; 'b' (parallel, also too long) is a separate mistake.
  assert.equal(codesWithText(inApp(`grace 10s ${CALM} ${svc("a", "stop timeout 25s")} ${svc("b", "stop timeout 20s")}`)), ["SUP3013:10s", "SUP3012:20s"]);
});

budget("the budget checks wait for other errors, but SUP3012 is still reported node by node", () => {
  assert.equal(codesWithText(inApp(`grace 10s signals SIGTREM ${svc("a", "stop timeout 25s")}`)), ["SUP2006:SIGTREM", "SUP3012:25s"]);
  // Missing module files do not change the tree: the budget checks run.
  assert.equal(codesWithText(inApp(`grace 10s ${CALM} ${svc("a", "stop timeout 25s")}`), { missing: ["./a.ts"] }), ["SUP3013:10s", "SUP4001:\"./a.ts\""]);
});

budget("steps add up to the figures they explain, on random trees", () => {
  const tree = fc.array(
    fc.record({
      stop: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
      nested: fc.option(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      budget: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
      needs: fc.array(fc.nat(), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 6 },
  );
  fc.assert(
    fc.property(tree, (nodes) => {
      const body = nodes.map((n, i) => {
        const needs = [...new Set(n.needs.filter(() => i > 0).map((k) => `n${k % i}`))];
        const needsText = needs.length > 0 ? `needs ${needs.join(", ")}` : "";
        if (n.nested === undefined) return svc(`n${i}`, `${needsText} ${n.stop !== undefined ? `stop timeout ${n.stop}s` : ""}`);
        const children = n.nested.map((s, j) => svc(`c${j}`, `stop timeout ${s}s ${j > 0 ? `needs c${j - 1}` : ""}`)).join(" ");
        return `supervisor n${i} { ${needsText} ${n.budget !== undefined ? `stop timeout ${n.budget}s` : ""} ${children} }`;
      });
      const app = resolveApp(parseSpec(inApp(body.join("\n")), "p.sup").spec.app!);
      const worst = findWorstCaseShutdown(app);
      assert.is(worst.steps.reduce((sum, s) => sum + s.ms, 0), worst.totalMs);
      for (const overrun of findBudgetOverruns(app, worst)) {
        assert.is(overrun.steps.reduce((sum, s) => sum + s.ms, 0), overrun.demandMs);
        assert.ok(overrun.demandMs > overrun.budgetMs);
      }
    }),
    { numRuns: 200, seed: 7 },
  );
});

budget("deploy: the platform's wait, the exit margin, the override and the signal", () => {
  // Kubernetes waits 30s: a 29s worst case plus 1s to exit fits, 29s500ms does not.
  const fits = inApp(`deploy kubernetes ${CALM} ${svc("db", "stop timeout 29s")}`);
  assert.equal(codesWithText(fits), []);
  assert.equal(analyze(fits).app!.deploy, { platform: "kubernetes", killAfterMs: 30_000 });
  assert.equal(codesWithText(inApp(`deploy kubernetes ${CALM} ${svc("db", "stop timeout 29s500ms")}`)), ["SUP3016:kubernetes"]);
  assert.equal(codesWithText(inApp(`deploy kubernetes timeout 45s grace 40s ${CALM} ${svc("db", "stop timeout 35s")}`)), []);
  // When the grace cuts the shutdown, the grace is what must fit.
  const capped = analyze(inApp(`deploy compose grace 20s ${CALM} ${svc("db", "stop timeout 25s")}`)).diagnostics.map((d) => d.code);
  assert.equal(capped, ["SUP3016", "SUP3013"]);
  assert.equal(codesWithText(inApp(`deploy systemd signals SIGINT ${svc("db")}`)), ["SUP2021:signals"]);
  assert.equal(codesWithText(inApp(`deploy k8s ${svc("db")}`)), ["SUP2020:k8s"]);
  assert.equal(analyze(inApp(`deploy Docker ${svc("db")}`)).diagnostics[0]!.hint, "did you mean 'compose'?");
  assert.equal(codesWithText(inApp(`${svc("db", "deploy compose")}`)), ["SUP2005:deploy"]);
  assert.equal(codesWithText(inApp(`deploy compose deploy systemd ${svc("db")}`)), ["SUP2004:deploy"]);
});

budget.run();
