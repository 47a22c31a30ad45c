// `supervise init` through the built CLI: its exit codes and what it prints, and compile --check
// in the project it made, as its npm test and CI run it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../e2e/run-cli.ts";
import pkg from "../../package.json" with { type: "json" };

const test = suite("package: supervise init and compile --check, through the CLI");
let base = "";
test.before(() => {
  base = mkdtempSync(join(tmpdir(), "supervise-cli-init-"));
});
test.after(() => rmSync(base, { recursive: true, force: true }));

test("init makes the folder, lists what it wrote and what to run next; exit 0", () => {
  const dir = join(base, "shop");
  const run = runCli(["init", dir]);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /: created 12 files and compiled service\.sup into gen\/:\n/);
  assert.match(run.stderr, /^ {2}services\/web\.ts$/m);
  assert.match(run.stderr, /^ {2}gen\/main\.ts {2}\(generated\)$/m);
  assert.match(run.stderr, /^next:\n {2}cd .*shop\n {2}npm install\n {2}npm test/m);
  assert.is(run.stdout, "");
});

test("a second init refuses with exit 2, one line per file in the way and no usage hint", () => {
  const dir = join(base, "shop");
  const run = runCli(["init", dir]);
  assert.is(run.status, 2);
  assert.match(run.stderr, /^supervise: refusing to change what is already in '.*shop'; nothing was written:\n {2}\.dockerignore exists\n/);
  assert.not.match(run.stderr, /--help/);
});

test("compile --check passes on the new project and fails, naming the files, once the spec changes", () => {
  const dir = join(base, "shop");
  const spec = join(dir, "service.sup");
  assert.is(runCli(["compile", "--check", spec, "--out", join(dir, "gen")]).status, 0);
  writeFileSync(spec, readFileSync(spec, "utf8").replace("grace 20s", "grace 25s"));
  const stale = runCli(["compile", "--check", spec, "--out", join(dir, "gen")]);
  assert.is(stale.status, 1);
  assert.match(stale.stderr, /gen\/plan\.ts: not what compile would write/);
  assert.match(stale.stderr, /out of date \(run 'supervise compile /);
});

test("--help lists init; --version is the package's", () => {
  assert.match(runCli(["--help"]).stdout, /supervise init \[dir\]/);
  assert.is(runCli(["--version"]).stdout.trim(), pkg.version);
});

test.run();
