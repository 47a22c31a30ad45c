// The `start` export of a module, read from its text (compiler/analysis/module-exports.ts), and
// the checks that report it (SUP4010, SUP4011) and an exec program missing from PATH (SUP4012).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { findStartExport } from "../../compiler/analysis/module-exports.ts";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";

const test = suite("semantics/module start exports");

const kindOf = (source: string): string => {
  const found = findStartExport(source);
  return found.kind === "not-function" ? `not-function:${found.what}:${found.line}` : found.kind;
};

test("every way of exporting a start function is found", () => {
  const sources = [
    "export function start() {}",
    "export async function start(scope: Scope<{ a: 1 }>): Promise<Handle> { return { a: 1 }; }",
    "export function* start() {}",
    "export const start = async (scope: S) => ({ ok: true });",
    "export const start = (scope) => scope;",
    "export const start = scope => scope;",
    "export const start = async scope => scope;",
    "export const start = <T,>(x: T): T => x;",
    "export const start = function () {};",
    "export const start: StartFn<Deps, Map<string, number>> = (s) => new Map();",
    "export let start = () => {}, other = 1;",
    "async function run() {}\nexport { run as start };",
    "export function other() {}\nfunction start() {}\nexport { other, start };",
    'function go() {}\nexport { go as "start" };',
    "export declare function start(): void;",
  ];
  for (const source of sources) assert.is(kindOf(source), "function", source);
});

test("a start that is not a function is named, with its line", () => {
  assert.is(kindOf("export const start = 5;"), "not-function:a number:1");
  assert.is(kindOf("// a comment\n\nexport const start = 'run';"), "not-function:a string:3");
  assert.is(kindOf("export const start = `run`;"), "not-function:a string:1");
  assert.is(kindOf("export const start = { port: 1 };"), "not-function:an object:1");
  assert.is(kindOf("export const start = [1];"), "not-function:an array:1");
  assert.is(kindOf("export class start {}"), "not-function:a class:1");
  assert.is(kindOf("export abstract class start {}"), "not-function:a class:1");
  assert.is(kindOf("export const start = class {};"), "not-function:a class:1");
  assert.is(kindOf("export enum start { A }"), "not-function:an enum:1");
  assert.is(kindOf("export const start = null;"), "not-function:null:1");
  assert.is(kindOf("export const start = /x/g;"), "not-function:a regular expression:1");
  assert.is(kindOf("class Server {}\nexport { Server as start };"), "not-function:a class:1");
  assert.is(kindOf('export * as start from "./impl.ts";'), "not-function:a namespace object:1");
  assert.is(kindOf("export const a = 1,\n  start = true;"), "not-function:a boolean:2");
});

test("what the text cannot settle is never reported", () => {
  const sources = [
    'export * from "./impl.ts";',
    'export { start } from "./impl.ts";',
    'export { run as start } from "./impl.ts";',
    "export const start = makeStart();",
    "export const start = handlers.start;",
    "export const start = (handler);",
    'import { run } from "./impl.ts";\nexport { run as start };',
    'import start from "./impl.ts";\nexport { start };',
    "export const { start } = factory();",
    "module.exports.start = function () {};",
    "exports.start = () => {};",
    'export = { start() {} };',
  ];
  for (const source of sources) assert.is(kindOf(source), "unknown", source);
});

test("a module without start lists what it exports; comments, strings and nested code do not count", () => {
  const source = [
    "// export function start() {}",
    "/* export function start() {} */",
    'const text = "export function start() {}";',
    "const template = `export function start() { ${'}'} }`;",
    "const re = /export function start\\(\\) {}/;",
    "function outer() { return { start: 1 }; }",
    "export type start = () => void;",
    "export interface Start { start(): void }",
    "export default function start() {}",
    "export function Start() {}",
    "export const stop = () => {};",
  ].join("\n");
  assert.equal(findStartExport(source), { kind: "missing", exported: ["Start", "stop"] });
  assert.equal(findStartExport(""), { kind: "missing", exported: [] });
});

test("the scanner survives unterminated strings, comments and templates", () => {
  for (const source of ['export const start = "abc', "/* export function start() {}", "export const start = `${", "export { start as"]) {
    assert.not.throws(() => findStartExport(source), source);
  }
});

/** Analyses `spec` with module texts by file name, and PATH made of `path` folders holding `programs`. */
function codes(spec: string, modules: Record<string, string>, programs: readonly string[] = []): string[] {
  const result = analyzeSpec(spec, "t.sup", {
    specDir: "/spec",
    fileExists: (path) => path in modulesAt(modules) || programs.some((p) => path === `/bin/${p}`),
    readFile: (path) => modulesAt(modules)[path],
    searchPath: "/usr/local/bin:/bin",
  });
  return result.diagnostics.map((d) => `${d.code}:${spec.slice(d.span.start, d.span.end)}`);
}

function modulesAt(modules: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(modules).map(([name, text]) => [`/spec/services/${name}`, text]));
}

test("check reports a module without start, and one whose start is not a function, at the module path", () => {
  const spec = [
    "app t {",
    '  service good { module "./services/good.ts" }',
    '  service none { module "./services/none.ts" }',
    '  service value { module "./services/value.ts" }',
    '  service shared { module "./services/none.ts" }',
    "}",
  ].join("\n");
  const found = codes(spec, {
    "good.ts": "export function start() {}",
    "none.ts": "export function run() {}",
    "value.ts": "export const start = 42;",
  });
  assert.equal(found, ['SUP4010:"./services/none.ts"', 'SUP4011:"./services/value.ts"', 'SUP4010:"./services/none.ts"']);
});

test("the hint names the service's scope type, or the export that looks like start", () => {
  const spec = 'app t {\n  supervisor workers { service janitor { module "./services/j.ts" } }\n  service api { module "./services/a.ts" }\n}';
  const result = analyzeSpec(spec, "t.sup", {
    specDir: "/spec",
    fileExists: () => true,
    readFile: (path) => (path.endsWith("j.ts") ? "export function run() {}" : "export function strat() {}"),
  });
  const hints = result.diagnostics.map((d) => d.hint ?? "");
  assert.ok(hints[0]!.includes("WorkersJanitorScope"), hints[0]);
  assert.is(hints[1], "did you mean 'strat'?");
});

test("modules are not read when another module check already failed, or when no reader is given", () => {
  const spec = 'app t {\n  service a { module "./services/a.json" }\n  service b { module "./services/b.ts" }\n}';
  const read: string[] = [];
  analyzeSpec(spec, "t.sup", { specDir: "/spec", fileExists: () => true, readFile: (p) => (read.push(p), "") });
  assert.equal(read, ["/spec/services/b.ts"]);
  assert.equal(analyzeSpec(spec, "t.sup", { specDir: "/spec", fileExists: () => true }).diagnostics.map((d) => d.code), ["SUP4007"]);
});

test("an exec program is looked up in PATH: a bare name missing from every folder is a warning", () => {
  const spec = (program: string) => `app t {\n  service w { exec "${program} --flag" }\n}`;
  assert.equal(codes(spec("python3"), {}, ["python3"]), []);
  assert.equal(codes(spec("pyhton3"), {}, ["python3"]), ['SUP4012:"pyhton3 --flag"']);
  assert.equal(codes(spec("/opt/tool"), {}, []), [], "an absolute path is not looked up");
  const result = analyzeSpec(spec("anything"), "t.sup", { specDir: "/spec", fileExists: () => false });
  assert.equal(result.diagnostics, [], "no PATH given: no lookup");
});

test.run();
