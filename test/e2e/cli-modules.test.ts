// Through the built CLI, one run per case of what a module path may name, and a spec whose names
// are special to JavaScript objects compiled, tested and run as a user would.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli, type CliRun } from "./run-cli.ts";
import { REPO_ROOT } from "../golden/specs.ts";
import { runAndSignal } from "./run-main.ts";

// Outside the repository (no package.json above), so that each case's project is its spec's folder.
const OUTSIDE = mkdtempSync(join(tmpdir(), "supervise-modules-"));
// Inside the repository, so that generated code resolves `supervise/runtime` through the package's self-reference.
const INSIDE = join(REPO_ROOT, ".gen-tmp", `cli-modules-${process.pid}`);

function supervise(...args: string[]): CliRun {
  return runCli(args);
}

/** Writes `<dir>/app/app.sup` with one service whose module is `modulePath`, and `files` beside it. */
function writeProject(dir: string, modulePath: string, files: Readonly<Record<string, string>> = {}): string {
  const app = join(dir, "app");
  mkdirSync(app, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(app, path, ".."), { recursive: true });
    writeFileSync(join(app, path), content);
  }
  const spec = join(app, "app.sup");
  writeFileSync(spec, `app shop {\n  service db { module "${modulePath}" }\n}\n`);
  return spec;
}

const cli = suite("supervise CLI: module paths and special names");

const START = "export function start() {\n  return {};\n}\n";
const CASES: readonly (readonly [string, string, string, Readonly<Record<string, string>>])[] = [
  ["a path out of the project to an existing file", "/etc/passwd", "SUP4008", {}],
  ["a directory", "./services", "SUP4006", { "services/db.ts": START }],
  ["a .json file", "./services/db.json", "SUP4007", { "services/db.json": "{}\n" }],
  ["a .tsx file", "./services/db.tsx", "SUP4007", { "services/db.tsx": START }],
  ["a file without an extension", "./services/db", "SUP4007", { "services/db": "#!/bin/sh\n" }],
];

for (const [what, modulePath, code, files] of CASES) {
  cli(`check: ${what} as a module is ${code} at file:line:col, exit 1`, () => {
    if (modulePath.includes("passwd")) assert.ok(existsSync("/etc/passwd"), "this case needs /etc/passwd");
    const dir = join(OUTSIDE, code + what.replace(/\W+/g, "-"));
    // `../../…/etc/passwd`: as many `..` as it takes from the spec's folder.
    const spec = writeProject(dir, modulePath.startsWith("/") ? relative(join(dir, "app"), modulePath) : modulePath, files);
    const run = supervise("check", spec);
    assert.is(run.status, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`app\\.sup:2:23: error ${code}: `));
    assert.is(run.stderr.match(/ error SUP\d+/g)?.length, 1, run.stderr);
    assert.not.match(run.stderr, /\n\s+at /);
  });
}

cli("a service named __proto__ compiles, its generated suite passes, and its main.ts starts and stops", async () => {
  const spec = join(INSIDE, "app.sup");
  mkdirSync(join(INSIDE, "services"), { recursive: true });
  writeFileSync(join(INSIDE, "services", "proto.ts"), START);
  writeFileSync(join(INSIDE, "services", "user.ts"), "export function start(scope: { deps: object }) {\n  return { deps: Object.keys(scope.deps) };\n}\n");
  writeFileSync(spec, 'app constructor {\n  service __proto__ { module "./services/proto.ts" }\n  service user { module "./services/user.ts"  needs __proto__ }\n}\n');
  const compiled = supervise("compile", spec);
  assert.is(compiled.status, 0, compiled.stderr);
  const suiteRun = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "node_modules", "uvu", "bin.js"), join(INSIDE, "gen"), "\\.test\\.ts$"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  assert.is(suiteRun.status, 0, suiteRun.stdout + suiteRun.stderr);
  assert.match(suiteRun.stdout.replace(/\x1b\[[0-9;]*m/g, ""), /Total:\s+(\d+)\s+Passed:\s+\1\b/);
  const { code, log } = await runAndSignal(join(INSIDE, "gen", "main.ts"), "SIGTERM", /all \d+ services started/);
  assert.is(code, 0, log);
  assert.match(log, /__proto__ started/);
  assert.match(log, /user stopped/);
  assert.match(log, /exit 0: 2 stopped/);
});

cli.after(() => {
  rmSync(OUTSIDE, { recursive: true, force: true });
  rmSync(INSIDE, { recursive: true, force: true });
});
cli.run();
