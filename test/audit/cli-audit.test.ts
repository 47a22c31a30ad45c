// `supervise audit` end to end, through the built CLI as a user runs it: findings located in the
// service module with the source line, marker and hint; JSON for tools; exit codes for CI; and the
// audit's libraries kept out of the bundle every other command loads.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { AUDIT_RULES } from "../../compiler/audit/rules.ts";
import { CLI, runCli } from "../e2e/run-cli.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("audit/cli");

const CORPUS = "test/audit/corpus/corpus.sup";

/** Errors and warnings the corpus marks (`// expect: SUP5001`), by the severity of each code. */
function markedTotals(): { errors: number; warnings: number } {
  const dir = join(REPO_ROOT, "test", "audit", "corpus");
  const codes = readdirSync(dir)
    .filter((f) => /\.(ts|mjs)$/.test(f))
    .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/\/\/ expect: (.*)$/gm)].flatMap((m) => m[1]!.match(/SUP\d{4}/g) ?? []));
  const severity = (code: string) => AUDIT_RULES.find((r) => r.def.code === code)?.def.severity;
  return { errors: codes.filter((c) => severity(c) === "error").length, warnings: codes.filter((c) => severity(c) === "warning").length };
}

test("findings are rendered in the service file: location, code, source line, marker, hint; exit 1 on errors", () => {
  const run = runCli(["audit", CORPUS]);
  assert.is(run.status, 1, run.stderr);
  const lines = run.stderr.split("\n");
  const at = lines.findIndex((l) => l.startsWith("test/audit/corpus/swallowed-abort.bad.ts:13:9: error SUP5003: "));
  assert.ok(at >= 0, run.stderr);
  assert.match(lines[at + 1]!, /^ {3}13 \| {7}\} catch \{ \/\/ expect: SUP5003$/);
  assert.match(lines[at + 2]!, /^ {6}\| {9}\^{5}$/);
  assert.match(lines[at + 3]!, /^ {2}hint: /);
  const { errors, warnings } = markedTotals();
  assert.ok(run.stderr.endsWith(`\n${errors} errors, ${warnings} warnings\n`), run.stderr.slice(-200));
});

test("--format json: every finding with its file, code and 1-based position, and a summary", () => {
  const run = runCli(["audit", CORPUS, "--format", "json"]);
  assert.is(run.status, 1);
  const out = JSON.parse(run.stdout) as {
    diagnostics: { file: string; code: string; severity: string; start: { line: number; column: number }; hint?: string }[];
    summary: { errors: number; warnings: number };
  };
  assert.equal(out.summary, { ...markedTotals(), infos: 0 } as never);
  const swallowed = out.diagnostics.find((d) => d.file === "test/audit/corpus/swallowed-abort.bad.ts");
  assert.equal({ code: swallowed?.code, line: swallowed?.start.line, column: swallowed?.start.column }, { code: "SUP5003", line: 13, column: 9 });
  assert.ok(out.diagnostics.every((d) => d.code.startsWith("SUP5") && d.hint !== undefined));
});

test("warnings alone pass, and fail with --deny-warnings", () => {
  const plain = runCli(["audit", "test/audit/cli/warnings.sup"]);
  assert.is(plain.status, 0, plain.stderr);
  assert.match(plain.stderr, /late-finalizer\.bad\.ts:9:3: warning SUP5007: /);
  const strict = runCli(["audit", "test/audit/cli/warnings.sup", "--deny-warnings"]);
  assert.is(strict.status, 1);
});

test("examples/shop: every module audited, no findings", () => {
  const run = runCli(["audit", "examples/shop/shop.sup"]);
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stderr, "examples/shop/shop.sup: 5 modules audited, no findings\n");
});

test("a spec with errors is reported and no module is audited", () => {
  const run = runCli(["audit", "test/audit/cli/broken.sup", "--format", "json"]);
  assert.is(run.status, 1);
  const codes = (JSON.parse(run.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
  assert.ok(codes.length > 0 && codes.every((c) => !c.startsWith("SUP5")), codes.join(", "));
});

test("a missing spec is one line, exit 2", () => {
  const run = runCli(["audit", "test/audit/cli/missing.sup"]);
  assert.is(run.status, 2);
  assert.is(run.stderr.trim().split("\n").length, 1, run.stderr);
});

test("check and compile load no audit: typescript and ESLint live in a chunk of their own", () => {
  const cli = readFileSync(CLI, "utf8");
  assert.not.ok(cli.includes("createSourceFile"), "dist/cli.js holds no TypeScript");
  const chunks = readdirSync(join(REPO_ROOT, "dist", "chunks")).filter((f) => f.endsWith(".js"));
  const audit = chunks.filter((f) => readFileSync(join(REPO_ROOT, "dist", "chunks", f), "utf8").includes("createSourceFile"));
  assert.is(audit.length, 1, "one chunk holds TypeScript");
  assert.ok(cli.includes(audit[0]!), "the CLI imports that chunk (dynamically)");
  const check = runCli(["check", "examples/shop/shop.sup"]);
  assert.is(check.status, 0);
});

test.run();
