// The tool commands of the built CLI (dist/cli.js) as a user runs them: fmt (stdout, --check,
// --write), graph and plan (stdout, formats, refusing broken specs), and the diagnostics options
// (--format json, --deny-warnings) they share with check and compile.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli, type CliRun } from "./run-cli.ts";
import { REPO_ROOT } from "../golden/specs.ts";

// Per process, so that two test runs on one checkout never share a directory.
const WORK = join(REPO_ROOT, ".gen-tmp", `cli-tools-${process.pid}`);
const TOOLS = join(REPO_ROOT, "test", "fixtures", "tools");

function supervise(...args: string[]): CliRun {
  return runCli(args);
}

function scratchCopy(name: string, from: string): string {
  mkdirSync(WORK, { recursive: true });
  const path = join(WORK, name);
  copyFileSync(from, path);
  return path;
}

const cli = suite("supervise fmt, graph, plan");

cli("fmt prints the canonical text; --check is silent and exits 0 on a formatted spec", () => {
  const printed = supervise("fmt", "test/fixtures/tools/messy.sup");
  assert.is(printed.status, 0, printed.stderr);
  assert.is(printed.stdout, readFileSync(join(TOOLS, "messy.fmt.sup"), "utf8"));
  const check = supervise("fmt", "--check", "examples/shop/shop.sup");
  assert.equal([check.status, check.stdout, check.stderr], [0, "", ""]);
});

cli("fmt --check exits 1 and names a file that is not formatted", () => {
  const run = supervise("fmt", "--check", "test/fixtures/tools/messy.sup");
  assert.is(run.status, 1);
  assert.is(run.stdout, "");
  assert.match(run.stderr, /^test\/fixtures\/tools\/messy\.sup: not formatted/);
});

cli("fmt --write rewrites in place, leaves no temporary file, and does nothing the second time", () => {
  rmSync(WORK, { recursive: true, force: true });
  const path = scratchCopy("messy.sup", join(TOOLS, "messy.sup"));
  const first = supervise("fmt", "--write", path);
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stderr, /messy\.sup: formatted/);
  assert.is(readFileSync(path, "utf8"), readFileSync(join(TOOLS, "messy.fmt.sup"), "utf8"));
  assert.equal(readdirSync(WORK), ["messy.sup"]);
  const modified = statSync(path).mtimeMs;
  const second = supervise("fmt", "--write", path);
  assert.equal([second.status, second.stderr], [0, ""]);
  assert.is(statSync(path).mtimeMs, modified, "an unchanged file is not rewritten");
});

cli("fmt refuses a spec with syntax errors: diagnostics, exit 1, the file untouched", () => {
  const path = scratchCopy("syntax.sup", join(REPO_ROOT, "test", "fixtures", "errors", "syntax.sup"));
  const before = readFileSync(path, "utf8");
  const run = supervise("fmt", "--write", path);
  assert.is(run.status, 1);
  assert.match(run.stderr, /error SUP1005/);
  assert.match(run.stderr, /not formatted, because of the syntax errors above/);
  assert.is(readFileSync(path, "utf8"), before);
});

cli("fmt --check and --write together are a usage error", () => {
  assert.is(supervise("fmt", "--check", "--write", "examples/shop/shop.sup").status, 2);
});

cli("graph and plan print their golden outputs for the shop example", () => {
  const cases: [string[], string][] = [
    [["graph", "examples/shop/shop.sup"], "shop.graph.mmd"],
    [["graph", "examples/shop/shop.sup", "--format", "dot"], "shop.graph.dot"],
    [["plan", "examples/shop/shop.sup"], "shop.plan.txt"],
    [["plan", "examples/shop/shop.sup", "--format", "mermaid"], "shop.plan.mmd"],
  ];
  for (const [args, golden] of cases) {
    const run = supervise(...args);
    assert.is(run.status, 0, run.stderr);
    assert.is(run.stdout, readFileSync(join(TOOLS, golden), "utf8"), args.join(" "));
  }
});

cli("graph and plan print nothing for a spec with errors, and exit 1", () => {
  for (const command of ["graph", "plan"]) {
    const run = supervise(command, "test/fixtures/errors/budget.sup");
    assert.is(run.status, 1);
    assert.is(run.stdout, "");
    assert.match(run.stderr, /error SUP3013/);
  }
  assert.is(supervise("graph", "examples/shop/shop.sup", "--format", "json").status, 2);
});

cli("--format json gives warnings and notes as data; --deny-warnings fails on warnings only", () => {
  const json = supervise("check", "test/fixtures/errors/restarts.sup", "--format", "json");
  const parsed = JSON.parse(json.stdout) as { diagnostics: { code: string; severity: string; related: unknown[] }[] };
  assert.equal([...new Set(parsed.diagnostics.map((d) => `${d.severity} ${d.code}`))].sort(), [
    "info SUP3019",
    "warning SUP3017",
    "warning SUP3018",
  ]);
  assert.ok(parsed.diagnostics.filter((d) => d.severity === "warning").every((d) => d.related.length > 0), "warnings show related locations");
  assert.is(json.status, 0);
  assert.is(supervise("check", "test/fixtures/errors/restarts.sup", "--deny-warnings").status, 1);
  mkdirSync(WORK, { recursive: true });
  const notesOnly = join(WORK, "notes.sup");
  writeFileSync(notesOnly, 'app notes {\n  intensity 0 per 5s\n  service db { module "../../test/fixtures/errors/services/db.ts" }\n}\n');
  const run = supervise("check", notesOnly, "--deny-warnings");
  assert.is(run.status, 0, "an info note never fails a run");
  assert.match(run.stderr, /info SUP3019/);
});

cli.after(() => rmSync(WORK, { recursive: true, force: true }));
cli.run();
