import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Span } from "../../compiler/diagnostics/span.ts";
import type { ResolvedNode, ResolvedSupervisor } from "../../compiler/model/model.ts";
import { analyze, inApp } from "./helpers.ts";
import { EXAMPLE } from "./example.ts";

const resolve = suite("resolve");

function flatten(node: ResolvedNode): ResolvedNode[] {
  return node.kind === "supervisor" ? [node, ...node.children.flatMap(flatten)] : [node];
}

function byId(root: ResolvedSupervisor): Map<string, ResolvedNode> {
  return new Map(flatten(root).map((n) => [n.id, n]));
}

const example = analyze(EXAMPLE);

resolve("the example resolves with no diagnostics", () => {
  assert.equal(example.diagnostics, []);
  assert.ok(example.app);
});

resolve("app settings and ids (dotted paths, root '')", () => {
  const app = example.app!;
  assert.is(app.name, "shop");
  assert.is(app.graceMs, 30_000);
  assert.equal(app.signals, ["SIGTERM", "SIGINT"]);
  assert.equal([...byId(app.root).keys()], ["", "db", "cache", "workers", "workers.mailer", "workers.indexer", "api"]);
  assert.equal([app.root.strategy, app.root.intensity], ["one_for_one", { max: 5, periodMs: 60_000 }]);
});

resolve("startAfter is what each node needs; needs keep key, target and span", () => {
  const nodes = byId(example.app!.root);
  assert.equal(
    [...nodes.values()].map((n) => [n.id, n.startAfter]),
    [
      ["", []],
      ["db", []],
      ["cache", []],
      ["workers", ["db"]],
      ["workers.mailer", []],
      ["workers.indexer", ["cache"]],
      ["api", ["db", "cache", "workers"]],
    ],
  );
  const api = nodes.get("api")!;
  assert.equal(api.needs.map((n) => [n.key, n.target, EXAMPLE.slice(n.span.start, n.span.end)]), [
    ["db", "db", "db"],
    ["cache", "cache", "cache"],
    ["workers", "workers", "workers"],
  ]);
});

resolve("stopAfter: every node that needs it, plus the previous phase of an explicit shutdown line", () => {
  const nodes = byId(example.app!.root);
  assert.equal(
    [...nodes.values()].map((n) => [n.id, n.stopAfter]),
    [
      ["", []],
      ["db", ["workers", "api"]],
      ["cache", ["workers", "workers.indexer", "api"]],
      ["workers", ["api"]],
      ["workers.mailer", []],
      ["workers.indexer", []],
      ["api", []],
    ],
  );
});

resolve("shutdownPhases: explicit at the root, derived in workers", () => {
  const root = example.app!.root;
  assert.equal(root.shutdownPhases, [["api"], ["workers"], ["cache", "db"]]);
  const workers = byId(root).get("workers") as ResolvedSupervisor;
  assert.equal(workers.shutdownPhases, [["mailer", "indexer"]]);
});

resolve("explicit settings and defaults", () => {
  const nodes = byId(example.app!.root);
  const db = nodes.get("db")!;
  assert.equal(db.kind === "service" && [db.module, db.startTimeoutMs, db.stopTimeoutMs, db.restart], ["./services/db.ts", 5_000, 10_000, "permanent"]);
  const mailer = nodes.get("workers.mailer")!;
  assert.equal(mailer.kind === "service" && [mailer.startTimeoutMs, mailer.stopTimeoutMs, mailer.restart], [15_000, 5_000, "permanent"]);
  const workers = nodes.get("workers") as ResolvedSupervisor;
  assert.equal([workers.strategy, workers.intensity, workers.stopTimeoutMs], ["one_for_all", { max: 3, periodMs: 10_000 }, Infinity]);
});

resolve("an empty-ish app gets every default", () => {
  const result = analyze('app a { service s { module "./s.ts" } }');
  const app = result.app!;
  assert.equal([app.graceMs, app.signals, app.root.strategy, app.root.intensity], [30_000, ["SIGTERM", "SIGINT"], "one_for_one", { max: 1, periodMs: 5_000 }]);
  assert.equal(app.root.shutdownPhases, [["s"]]);
});

resolve("derived phases: reverse dependency order, independent siblings in parallel", () => {
  const svc = (name: string, body = ""): string => `service ${name} { module "./${name}.ts" ${body} }`;
  const result = analyze(inApp(`${svc("db")} ${svc("cache")} ${svc("api", "needs db, cache")} ${svc("web", "needs api")} ${svc("log")}`));
  assert.equal(result.app!.root.shutdownPhases, [["web", "log"], ["api"], ["db", "cache"]]);
});

resolve("derived phases follow dependencies through nodes outside the supervisor", () => {
  const svc = (name: string, body = ""): string => `service ${name} { module "./${name}.ts" ${body} }`;
  // w.a needs c and c needs w.b: a must stop before b, although a never names b.
  const result = analyze(inApp(`supervisor w { ${svc("b")} ${svc("a", "needs c")} } ${svc("c", "needs w.b")}`));
  assert.equal(result.diagnostics, []);
  const w = result.app!.root.children[0] as ResolvedSupervisor;
  assert.equal(w.shutdownPhases, [["a"], ["b"]]);
});

resolve("no app when there are errors; warnings alone still produce one", () => {
  assert.is(analyze(inApp('service s { module "./s.ts" needs nope }')).app, undefined);
  assert.ok(analyze(inApp('signals SIGUSR1 service s { module "./s.ts" }')).app);
});

/** What a span covers in `source`; undefined for no span (a default). */
function textIn(source: string): (span: Span | undefined) => string | undefined {
  return (span) => (span === undefined ? undefined : source.slice(span.start, span.end));
}

resolve("provenance: each reported value knows where it was written, or that it is a default", () => {
  const text = textIn(EXAMPLE);
  const app = example.app!;
  const nodes = byId(app.root);
  assert.equal(
    [...nodes.values()].map((n) => [n.id, text(n.written.name), n.written.stopTimeout?.text, text(n.written.stopTimeout?.span)]),
    [
      ["", "shop", undefined, undefined],
      ["db", "db", "10s", "10s"],
      ["cache", "cache", "2s", "2s"],
      ["workers", "workers", undefined, undefined],
      ["workers.mailer", "mailer", undefined, undefined],
      ["workers.indexer", "indexer", undefined, undefined],
      ["api", "api", "15s", "15s"],
    ],
  );
  const workers = nodes.get("workers") as ResolvedSupervisor;
  assert.equal([text(workers.written.intensity?.span), text(workers.written.intensity?.max)], ["intensity 3 per 10s", "3"]);
  assert.equal([app.written.grace?.text, text(app.written.grace?.span), app.written.deploy], ["30s", "30s", undefined]);

  const source = inApp('deploy compose timeout 20s service s { module "./s.ts" }');
  const at = textIn(source);
  const deployed = analyze(source).app!;
  assert.equal([at(deployed.written.deploy?.platform), at(deployed.written.deploy?.killAfter?.span)], ["compose", "20s"]);
  assert.equal([deployed.written.grace, deployed.root.written.intensity, deployed.root.children[0]!.written.stopTimeout], [undefined, undefined, undefined]);
  const platformDefault = analyze(inApp('deploy compose service s { module "./s.ts" }')).app!;
  assert.is(platformDefault.written.deploy?.killAfter, undefined);
});

resolve.run();
