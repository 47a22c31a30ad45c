import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildEmitModel, toImportPath } from "../../compiler/emit/emit-model.ts";
import { renderFiles } from "../../compiler/emit/render.ts";
import { buildContract } from "../../compiler/emit/contract.ts";
import { computeShutdownTiming } from "../../compiler/model/timing.ts";
import { findWorstCaseShutdown } from "../../compiler/model/timing-paths.ts";
import { toDataLiteral, toObjectKey, toPascalCase, toPropertyKey, toStringLiteral } from "../../compiler/language/identifiers.ts";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { shopModel } from "./shop-model.ts";

const identifiers = suite("identifiers");

identifiers("names become PascalCase type names", () => {
  assert.is(toPascalCase("redis-cache"), "RedisCache");
  assert.is(toPascalCase("workers.mailer"), "WorkersMailer");
  assert.is(toPascalCase("a_b-c"), "ABC");
  assert.is(toPascalCase("_1x"), "N1x");
});

identifiers("names that are not names never reach generated code", () => {
  assert.throws(() => toPascalCase("x; process.exit()"));
  assert.throws(() => toPascalCase("a..b"));
});

identifiers("string literals cannot break out of their quotes", () => {
  const hostile = '"; require("child_process").exec("rm -rf /"); "\u2028';
  const literal = toStringLiteral(hostile);
  assert.is(eval(literal), hostile);
  assert.not.ok(literal.includes("\u2028"));
  assert.is(toDataLiteral({ "a-b": [1, Infinity], c: "x" }), '{\n  "a-b": [1, Infinity],\n  c: "x",\n}');
});

identifiers("the compact layout puts what fits in 100 columns on one line and fills the rest", () => {
  const edges = Array.from({ length: 6 }, (_, i) => [`service-${i}`, `dependency-${i}`]);
  const value = { small: { a: [1, 2], b: { c: "x" } }, edges, empty: [] };
  // The plan layout keeps nested containers one item per line.
  assert.is(toDataLiteral({ small: value.small }), "{\n  small: {\n    a: [1, 2],\n    b: { c: \"x\" },\n  },\n}");
  assert.is(
    toDataLiteral(value, "compact"),
    [
      "{",
      '  small: { a: [1, 2], b: { c: "x" } },',
      "  edges: [",
      '    ["service-0", "dependency-0"], ["service-1", "dependency-1"], ["service-2", "dependency-2"],',
      '    ["service-3", "dependency-3"], ["service-4", "dependency-4"], ["service-5", "dependency-5"],',
      "  ],",
      "  empty: [],",
      "}",
    ].join("\n"),
  );
  // A line of 100 columns, comma included, still fits; one more and the array is filled.
  const pad = `pad: "${"z".repeat(100)}"`;
  const fits = (n: number) => toDataLiteral({ key: ["x".repeat(n)], pad: "z".repeat(100) }, "compact");
  assert.is(fits(88), `{\n  key: ["${"x".repeat(88)}"],\n  ${pad},\n}`);
  assert.is(fits(89), `{\n  key: [\n    "${"x".repeat(89)}",\n  ],\n  ${pad},\n}`);
  // Whatever spans lines keeps its siblings one per line.
  const nested = toDataLiteral([{ long: "y".repeat(120) }, [1]], "compact");
  assert.is(nested, `[\n  {\n    long: "${"y".repeat(120)}",\n  },\n  [1],\n]`);
});

identifiers("a data key named __proto__ stays a property (an env variable), not the prototype", () => {
  const env = Object.fromEntries([["__proto__", "x"], ["A", "1"]]);
  const literal = toDataLiteral(env);
  assert.is(literal, '{ ["__proto__"]: "x", A: "1" }');
  const value = eval(`(${literal})`) as Record<string, string>;
  assert.equal(Object.keys(value), ["__proto__", "A"]);
  assert.is(Object.getPrototypeOf(value), Object.prototype);
});

identifiers("an object key named __proto__ is computed; every other key is written as a property key", () => {
  assert.is(toObjectKey("__proto__"), '["__proto__"]');
  for (const key of ["constructor", "prototype", "toString", "a.b", "x"]) assert.is(toObjectKey(key), toPropertyKey(key));
  const value = eval(`({ ${toObjectKey("__proto__")}: 1, ${toObjectKey("constructor")}: 2 })`) as Record<string, number>;
  assert.equal(Object.keys(value), ["__proto__", "constructor"]);
  assert.is(Object.getPrototypeOf(value), Object.prototype);
});

identifiers("module paths are imported relative to the output directory", () => {
  assert.is(toImportPath("./services/db.ts", ".."), "../services/db.js");
  assert.is(toImportPath("./services/db.mts", ".."), "../services/db.mjs");
  assert.is(toImportPath("../lib/x.js", "../app"), "../lib/x.js");
  assert.is(toImportPath("./db.ts", "."), "./db.js");
});

const timing = suite("timing");

timing("the example's worst case follows its shutdown phases", () => {
  const worst = findWorstCaseShutdown(shopModel());
  // api 15s -> workers (mailer, indexer 5s each, in parallel) -> db 10s (cache 2s in parallel)
  assert.is(worst.totalMs, 30000);
  assert.equal(worst.steps, [
    { id: "api", ms: 15000, kind: "stop" },
    { id: "workers.mailer", ms: 5000, kind: "stop" },
    { id: "db", ms: 10000, kind: "stop" },
  ]);
  const { capped } = computeShutdownTiming(shopModel());
  assert.is(capped.beginMs("cache"), 20000);
  assert.is(capped.finishMs("cache"), 22000);
});

timing("grace caps the worst case", () => {
  const app = shopModel({ graceMs: 18000 });
  assert.is(computeShutdownTiming(app).totalMs, 18000);
  assert.is(findWorstCaseShutdown(app).totalMs, 30000);
});

const contract = suite("contract");

contract("expected values come from the spec", () => {
  const c = buildContract(shopModel());
  assert.equal(c.services, ["db", "cache", "workers.mailer", "workers.indexer", "api"]);
  assert.ok(c.startEdges.some(([s, d]) => s === "workers.mailer" && d === "db"), "a supervisor's needs apply to its children");
  assert.ok(c.startEdges.some(([s, d]) => s === "api" && d === "workers.indexer"), "needing a supervisor needs its children");
  assert.ok(c.stopEdges.some(([s, b]) => s === "db" && b === "workers.mailer"));
  assert.equal(c.hungStopMs, { db: 10000, cache: 2000, "workers.mailer": 5000, "workers.indexer": 5000, api: 15000 });
  assert.not.ok(c.startEdges.some(([, d]) => d === "api"), "nothing needs api");
  assert.is(c.allHungExitMs, 30000);
  assert.is(c.lastToStop, "db");
});

contract("services named like members of every object keep their own entries", () => {
  const source = `app t {
  service __proto__ { module "./a.ts" }
  service constructor { module "./a.ts"  needs __proto__ }
  service toString { module "./a.ts"  needs constructor  stop timeout 2s }
}
`;
  const analysis = analyzeSpec(source, "t.sup", { specDir: "/", fileExists: () => true });
  const c = buildContract(analysis.app!);
  assert.equal(Object.keys(c.hungStopMs), ["__proto__", "constructor", "toString"]);
  assert.is(Object.getPrototypeOf(c.hungStopMs), Object.prototype);
  assert.is(c.hungStopMs["toString"], 2000);
  assert.equal(Object.keys(c.startTimeoutMs), ["__proto__", "constructor", "toString"]);
  assert.equal(c.startEdges, [["constructor", "__proto__"], ["toString", "constructor"]]);
});

const render = suite("render");

render("templates render typed scopes for every service", () => {
  const model = buildEmitModel(shopModel(), { specName: "shop.sup", outToSpecDir: ".." });
  const files = renderFiles(model);
  assert.equal(files.map((f) => f.path), ["plan.ts", "types.ts", "main.ts", "shutdown.test.ts", "services.test.ts"]);
  const types = files.find((f) => f.path === "types.ts")!.content;
  assert.ok(types.includes("export type ApiScope = supervise.ServiceScope<ApiDeps>;"));
  assert.ok(types.includes("export interface ApiDeps {\n  readonly db: DbHandle;\n  readonly cache: CacheHandle;\n  readonly workers: WorkersHandle;\n}"));
  assert.ok(types.includes('import type * as workersMailerModule from "../services/mailer.js";'));
  const main = files.find((f) => f.path === "main.ts")!.content;
  assert.ok(main.includes('  "workers.mailer": workersMailerModule.start,'));
  for (const file of files) assert.ok(file.content.endsWith("\n") && !file.content.endsWith("\n\n"), file.path);
});

render("services sharing a module import it once, under the alias of the first, in order of first use", () => {
  const app = shopModel();
  const [db, cache, workers, api] = app.root.children;
  // cache and api run db's module; api spells its path differently.
  const root = { ...app.root, children: [db!, { ...cache!, module: "./services/db.ts" }, workers!, { ...api!, module: "services/db.ts" }] } as typeof app.root;
  const files = renderFiles(buildEmitModel({ ...app, root }, { specName: "shop.sup", outToSpecDir: ".." }));
  const main = files.find((f) => f.path === "main.ts")!.content;
  assert.equal(main.split("\n").filter((line) => line.startsWith("import * as")), [
    'import * as dbModule from "../services/db.js";',
    'import * as workersMailerModule from "../services/mailer.js";',
    'import * as workersIndexerModule from "../services/indexer.js";',
  ]);
  assert.ok(main.includes("  cache: dbModule.start,\n") && main.includes("  api: dbModule.start,\n"), main);
  const types = files.find((f) => f.path === "types.ts")!.content;
  assert.is(types.split("\n").filter((line) => /^import type \* as \w+Module from/.test(line)).length, 3);
  assert.ok(types.includes("export type CacheHandle = Awaited<ReturnType<typeof dbModule.start>>;"), types);
  assert.ok(types.includes("export type ApiHandle = Awaited<ReturnType<typeof dbModule.start>>;"), types);
});

render("the generated suite is the contract and a few lines, none over 100 columns", () => {
  const files = renderFiles(buildEmitModel(shopModel(), { specName: "shop.sup", outToSpecDir: ".." }));
  const suite = files.find((f) => f.path === "shutdown.test.ts")!.content;
  const lines = suite.split("\n");
  assert.ok(lines.length <= 80, `${lines.length} lines`);
  assert.equal(lines.filter((line) => line.length > 100), []);
  assert.ok(suite.includes('import { buildContractCases, type Contract } from "supervise/runtime/testing";'));
  assert.ok(suite.includes("for (const { name, run } of buildContractCases(plan, contract)) test(name, run);"));
  assert.not.ok(/interface|function/.test(suite), "the driver and the contract's types live in the runtime");
});

render("values cannot bring CR, other line breaks or trailing blanks into the output", () => {
  // Only the template sources are normalized; everything placed into them must already be clean.
  const hostile = " \t\r\n\u2028\u2029 ";
  const app = shopModel();
  const [db, ...rest] = app.root.children;
  const exec = { argv: [`prog${hostile}`, hostile], cwd: `dir${hostile}`, env: [[`A${hostile}`, hostile] as const], stopSignal: "SIGTERM", readyWhenStdout: hostile, reloadSignal: undefined };
  const processDb = { ...db!, kind: "service" as const, module: undefined, startTimeoutMs: 1000, exec, deps: [], replicas: 1 };
  const cache = { ...(rest[0] as typeof processDb), module: `./cache${hostile}.ts` };
  const root = { ...app.root, children: [processDb, cache, ...rest.slice(1)] };
  const files = renderFiles(buildEmitModel({ ...app, root }, { specName: `shop${hostile}.sup`, outToSpecDir: `..${hostile}` }));
  for (const file of files) {
    assert.not.ok(/[\r\u2028\u2029]/.test(file.content), `${file.path}: line break other than LF`);
    assert.not.ok(/[ \t]$/m.test(file.content), `${file.path}: trailing blank`);
  }
  assert.ok(files.find((f) => f.path === "main.ts")!.content.includes("bindProcess(plan, "), "the process service is rendered");
});

identifiers.run();
timing.run();
contract.run();
render.run();
