// The built CLI (dist/cli.js, what `npx supervise` runs), spawned as a user would: exit codes,
// diagnostics with file:line:col and no stack trace, JSON output, and refusing to overwrite
// hand-written files.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli, type CliRun } from "./run-cli.ts";
import { REPO_ROOT } from "../golden/specs.ts";
import { readGeneration } from "../../compiler/emit/generation.ts";

// Per process, so that two test runs on one checkout never share a directory.
const WORK = join(REPO_ROOT, ".gen-tmp", `cli-${process.pid}`);

function supervise(...args: string[]): CliRun {
  return runCli(args);
}

function withoutGeneration(text: string): string {
  const id = readGeneration(text);
  assert.ok(id, "a generation id in the header");
  return text.split(id).join("<generation>");
}

const cli = suite("supervise CLI");

cli("check on a valid spec exits 0", () => {
  const run = supervise("check", "examples/shop/shop.sup");
  assert.is(run.status, 0, run.stderr);
});

cli("a broken spec exits 1 with every diagnostic at file:line:col and no stack trace", () => {
  const run = supervise("check", "test/fixtures/errors/many.sup");
  assert.is(run.status, 1);
  assert.is(run.stderr, readFileSync(join(REPO_ROOT, "test/fixtures/errors/many.expected.txt"), "utf8"));
  assert.not.match(run.stderr, /\n\s+at /);
});

cli("--format json prints diagnostics as data", () => {
  const run = supervise("check", "test/fixtures/errors/many.sup", "--format", "json");
  assert.is(run.status, 1);
  const parsed = JSON.parse(run.stdout) as unknown;
  const text = JSON.stringify(parsed);
  for (const code of ["SUP2002", "SUP3001", "SUP4001"]) assert.ok(text.includes(code), `${code} in JSON output`);
});

cli("usage errors exit 2", () => {
  assert.is(supervise().status, 2);
  assert.is(supervise("compile").status, 2);
  assert.is(supervise("frobnicate", "x.sup").status, 2);
  const missing = supervise("check", "no/such/file.sup");
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /cannot read 'no\/such\/file\.sup'/);
  assert.not.match(missing.stderr, /\n\s+at /);
});

cli("--help and --version work", () => {
  const help = supervise("--help");
  assert.is(help.status, 0);
  assert.match(help.stdout, /compile <spec>/);
  const version = supervise("--version");
  assert.is(version.status, 0);
  assert.is(version.stdout.trim(), (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version);
});

cli("compile refuses to overwrite a hand-written file and writes nothing", () => {
  const out = join(WORK, "refuse");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "main.ts"), "// my own main.ts\n");
  const run = supervise("compile", "examples/shop/shop.sup", "--out", out);
  assert.is(run.status, 2);
  assert.match(run.stderr, /refusing to overwrite/);
  assert.is(readFileSync(join(out, "main.ts"), "utf8"), "// my own main.ts\n");
  assert.equal(spawnSync("ls", [out], { encoding: "utf8" }).stdout.trim().split("\n"), ["main.ts"]);
});

cli("compile writes the same bytes as the golden files, then reports them unchanged", () => {
  const out = join(WORK, "fresh");
  rmSync(out, { recursive: true, force: true });
  const first = supervise("compile", "examples/shop/shop.sup", "--out", out);
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stderr, /5 written, 0 unchanged/);
  const second = supervise("compile", "examples/shop/shop.sup", "--out", out);
  assert.match(second.stderr, /0 written, 5 unchanged/);
  // Same spec, other output directory: only the import paths of the user's modules differ, and
  // with them the generation id, a hash of the whole set.
  const golden = withoutGeneration(readFileSync(join(REPO_ROOT, "examples/shop/gen/plan.ts"), "utf8"));
  assert.is(withoutGeneration(readFileSync(join(out, "plan.ts"), "utf8")), golden);
});

cli.after(() => rmSync(WORK, { recursive: true, force: true }));
cli.run();
