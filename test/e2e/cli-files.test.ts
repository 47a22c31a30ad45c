// The built CLI and the file system: every I/O failure is one line naming the path and the
// cause, with exit code 2; temporary files never clash with a user's file and never outlive a
// signal; a generated set is checked whole (compile --check, and the runtime refuses a mix);
// fmt --write writes through a symbolic link.
import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, lstatSync, openSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";
import { GENERATED_HEADER } from "../../compiler/emit/emit-model.ts";
import { describeSystemError } from "../../compiler/driver/usage-errors.ts";
import { CLI, runCli, type CliRun } from "./run-cli.ts";

// Inside the repository, so that generated code finds `supervise/runtime`; per process.
const WORK = join(REPO_ROOT, ".gen-tmp", `cli-files-${process.pid}`);
const GENERATED = ["main.ts", "plan.ts", "services.test.ts", "shutdown.test.ts", "types.ts"];

/** A fresh folder holding a one-service spec (its grace varies, to tell compiles apart). */
function project(name: string, grace = "30s"): { dir: string; spec: string } {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "services"), { recursive: true });
  copyFileSync(join(REPO_ROOT, "test/fixtures/golden/services/greeter.ts"), join(dir, "services", "greeter.ts"));
  const spec = join(dir, "app.sup");
  writeFileSync(spec, `app hello {\n  grace ${grace}\n  service greeter { module "./services/greeter.ts" }\n}\n`);
  return { dir, spec };
}

/** Exit 2, no stack trace, and the line that says what is wrong (then the usage hint, if any). */
function assertExit2(run: CliRun, message: RegExp, lines: number): void {
  assert.is(run.status, 2, run.stderr);
  assert.match(run.stderr, message);
  assert.not.match(run.stderr, /\n\s+at /);
  assert.is(run.stderr.split("\n").filter((line) => line !== "").length, lines, run.stderr);
}

/** A mistake in the call: its line, then the usage hint. */
function assertUsageError(run: CliRun, message: RegExp): void {
  assertExit2(run, message, 2);
  assert.match(run.stderr, /Run 'supervise --help' for usage\.\n$/);
}

/** A file that could not be used: one line naming it, no usage hint (the call was right). */
function assertIoError(run: CliRun, message: RegExp): void {
  assertExit2(run, message, 1);
}

const files = suite("supervise and the file system");

files("--out below a file is an I/O error naming the path (ENOTDIR)", () => {
  const { dir, spec } = project("enotdir");
  writeFileSync(join(dir, "a-file"), "");
  assertIoError(runCli(["compile", spec, "--out", join(dir, "a-file", "gen")]), /cannot write to '.*a-file\/gen': a part of the path is a file, not a directory \(ENOTDIR\)/);
});

files("--out '' and -o without a value are usage errors", () => {
  const { spec } = project("empty-out");
  assertUsageError(runCli(["compile", spec, "--out", ""]), /--out needs a directory/);
  assertUsageError(runCli(["compile", spec, "-o"]), /--out needs a directory/);
});

files("a directory where main.ts belongs is an I/O error, and nothing is written (EISDIR)", () => {
  const { dir, spec } = project("eisdir");
  mkdirSync(join(dir, "gen", "main.ts"), { recursive: true });
  assertIoError(runCli(["compile", spec]), /cannot write '.*gen\/main\.ts': a directory is in the way \(EISDIR\)/);
  assert.equal(readdirSync(join(dir, "gen")), ["main.ts"]);
});

files("reading a spec that is missing or a directory is one line, for every command", () => {
  const { dir } = project("read");
  // Every command reads through the same function: one spawn each is enough.
  assertIoError(runCli(["check", join(dir, "missing.sup")]), /cannot read '.*missing\.sup': no such file/);
  assertIoError(runCli(["graph", join(dir, "missing.sup")]), /cannot read '.*missing\.sup': no such file/);
  assertIoError(runCli(["plan", dir]), /cannot read '.*read': not a file/);
  assertIoError(runCli(["fmt", "--write", dir]), /cannot read '.*read': not a file/);
});

files("standard output on a full disk is an I/O error, one line (ENOSPC)", () => {
  const { spec } = project("stdout");
  const full = openSync("/dev/full", "w");
  const run = spawnSync(process.execPath, [CLI, "fmt", spec], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", full, "pipe"] });
  closeSync(full);
  assert.is(run.status, 2, run.stderr);
  assert.is(run.stderr, "supervise: cannot write 'stdout': no space left on the device (ENOSPC)\n");
});

files("a read-only output directory is an I/O error (EACCES)", () => {
  // The file system lets root write anywhere, so the CLI can show EACCES only to other users;
  // the sentence is the same function's in both cases.
  const sentence = describeSystemError(Object.assign(new Error("x"), { code: "EACCES", syscall: "open", path: "gen/plan.ts" }), "write", "gen");
  assert.is(sentence, "cannot write 'gen/plan.ts': permission denied (EACCES)");
  if (process.getuid?.() === 0) return;
  const { dir, spec } = project("eacces");
  mkdirSync(join(dir, "gen"), { mode: 0o555 });
  assertIoError(runCli(["compile", spec]), /cannot write '.*gen\/plan\.ts': permission denied \(EACCES\)/);
});

files("files named like temporary files are left alone unless provably an earlier compile's", () => {
  const { dir, spec } = project("temps");
  const gen = join(dir, "gen");
  mkdirSync(gen);
  // The pid of a process that has ended: its leftovers cannot be in use.
  const deadPid = spawnSync(process.execPath, ["-e", "0"]).pid;
  const mine = { [`.plan.ts.${process.pid}.tmp`]: "user", [`.plan.ts.${deadPid}-0123456789ab.tmp`]: "// not generated\n" };
  for (const [name, content] of Object.entries(mine)) writeFileSync(join(gen, name), content);
  const leftover = `.main.ts.${deadPid}-ba9876543210.tmp`;
  writeFileSync(join(gen, leftover), `${GENERATED_HEADER}\n// half writ`);
  const run = runCli(["compile", spec]);
  assert.is(run.status, 0, run.stderr);
  for (const [name, content] of Object.entries(mine)) assert.is(readFileSync(join(gen, name), "utf8"), content);
  assert.equal(readdirSync(gen).sort(), [...Object.keys(mine), ...GENERATED].sort());
});

files("compile --check: 0 when up to date, else 1 naming each file; it never writes", () => {
  const { dir, spec } = project("check");
  const gen = join(dir, "gen");
  const missing = runCli(["compile", "--check", spec]);
  assert.is(missing.status, 1);
  for (const name of GENERATED) assert.match(missing.stderr, `gen/${name}: missing`);
  assert.not.ok(readdirSync(dir).includes("gen"), "nothing written");
  assert.is(runCli(["compile", spec]).status, 0);
  assert.is(runCli(["compile", "--check", spec]).status, 0);
  writeFileSync(join(gen, "types.ts"), readFileSync(join(gen, "types.ts"), "utf8") + "// edited\n");
  const edited = runCli(["compile", "--check", spec]);
  assert.is(edited.status, 1);
  assert.match(edited.stderr, /gen\/types\.ts: not what compile would write/);
  assert.not.match(edited.stderr, /plan\.ts/);
  assert.match(readFileSync(join(gen, "types.ts"), "utf8"), /\/\/ edited\n$/);
});

files("a set mixed from two compiles: compile --check names it and main.ts refuses to start", () => {
  const a = project("mixed-a");
  const b = project("mixed-b", "20s");
  assert.is(runCli(["compile", a.spec]).status, 0);
  assert.is(runCli(["compile", b.spec]).status, 0);
  // What a kill between two renames could leave: one file from the other compile.
  copyFileSync(join(b.dir, "gen", "plan.ts"), join(a.dir, "gen", "plan.ts"));
  const check = runCli(["compile", "--check", a.spec]);
  assert.is(check.status, 1);
  assert.match(check.stderr, /gen\/plan\.ts: not what compile would write/);
  const run = spawnSync(process.execPath, ["--import", "tsx", join(a.dir, "gen", "main.ts")], { cwd: REPO_ROOT, encoding: "utf8", timeout: 15_000 });
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stderr + run.stdout, /\[hello\] cannot run: generated files are from different compiles \(plan\.ts [0-9a-f]{16}, main\.ts [0-9a-f]{16}\): run supervise compile again/);
  assert.not.match(run.stderr + run.stdout, /start/);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  files(`${signal} while compile writes: the set ends wholly new, no temporary file is left, exit by the signal`, () => {
    const { dir, spec } = project(`signal-${signal}`);
    assert.is(runCli(["compile", spec]).status, 0);
    writeFileSync(spec, readFileSync(spec, "utf8").replace("grace 30s", "grace 40s"));
    // The CLI signals itself once every temporary file is written, before the first rename.
    const run = runCli(["compile", spec], { SUPERVISE_TEST_SIGNAL_BEFORE_RENAME: signal });
    assert.is(run.signal, signal, run.stderr);
    assert.equal(readdirSync(join(dir, "gen")).sort(), GENERATED);
    assert.is(runCli(["compile", "--check", spec]).status, 0);
  });
}

files("fmt --write on a symbolic link formats its target and keeps the link", () => {
  const { dir, spec } = project("symlink");
  writeFileSync(spec, "app hello {   grace 30s\nservice greeter { module \"./services/greeter.ts\" } }\n");
  const link = join(dir, "link.sup");
  symlinkSync(spec, link);
  const run = runCli(["fmt", "--write", link]);
  assert.is(run.status, 0, run.stderr);
  assert.ok(lstatSync(link).isSymbolicLink(), "still a link");
  assert.is(runCli(["fmt", "--check", spec]).status, 0, "the target is formatted");
  assert.equal(readdirSync(dir).sort(), ["app.sup", "link.sup", "services"]);
});

files("a dangling link among the generated files is not taken for one of them: compile succeeds", () => {
  const { dir, spec } = project("dangling");
  assert.is(runCli(["compile", spec]).status, 0);
  symlinkSync(join(dir, "nowhere"), join(dir, "gen", "old.ts"));
  writeFileSync(spec, readFileSync(spec, "utf8").replace("grace 30s", "grace 31s"));
  const run = runCli(["compile", spec]);
  assert.is(run.status, 0, run.stderr);
  assert.ok(lstatSync(join(dir, "gen", "old.ts")).isSymbolicLink(), "left alone");
});

files("a pipe where main.ts belongs is refused before anything is opened, instead of blocking", () => {
  const { dir, spec } = project("fifo");
  mkdirSync(join(dir, "gen"));
  const made = spawnSync("mkfifo", [join(dir, "gen", "main.ts")]);
  assert.is(made.status, 0, "mkfifo");
  assertIoError(runCli(["compile", spec]), /cannot write '.*gen\/main\.ts': a pipe, socket or device is in the way \(EFTYPE\)/);
  assert.equal(readdirSync(join(dir, "gen")), ["main.ts"]);
});

files("fmt --write on a spec whose name is long but valid: the temporary name still fits", () => {
  const { dir } = project("long-name");
  const spec = join(dir, `${"a".repeat(240)}.sup`);
  writeFileSync(spec, "app hello {   grace 30s\nservice greeter { module \"./services/greeter.ts\" } }\n");
  const run = runCli(["fmt", "--write", spec]);
  assert.is(run.status, 0, run.stderr);
  assert.is(runCli(["fmt", "--check", spec]).status, 0);
});

files.after(() => rmSync(WORK, { recursive: true, force: true }));
files.run();
