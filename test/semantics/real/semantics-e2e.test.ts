// End to end, as a user runs it: `supervise check` and `compile` through the built CLI, tsc
// --strict on the generated code and the user's modules, then the generated main.ts as a real
// process receiving real signals. Every wait is for a line of output or an exit, never a sleep.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../golden/specs.ts";
import { runCli } from "../../e2e/run-cli.ts";
import { typeCheckProject } from "../../typecheck/user-project.ts";

// Inside the repo, so that `supervise/runtime` resolves through the package's self-reference.
const WORK = join(REPO_ROOT, ".gen-tmp", `semantics-e2e-${process.pid}`);
const DEADLINE_MS = 60_000;

const SPEC = `app semantic {
  reload SIGHUP
  intensity 3 per 1m

  service store { module "./services/store.ts" }
  service flaky { module "./services/flaky.ts" }

  supervisor pool {
    needs store
    service worker { module "./services/worker.ts"  replicas 3 }
  }

  service api { module "./services/api.ts"  needs pool  after flaky }
}
`;

const MODULES: Record<string, string> = {
  "store.ts": `import type { StoreScope } from "../gen/types.ts";
export function start(scope: StoreScope) {
  const items = new Map<string, number>();
  scope.defer(() => scope.log("store closed"));
  return { put: (key: string, value: number) => void items.set(key, value), size: () => items.size };
}
`,
  // Crashes once, 300ms after its first start; its restarts must not touch api (which is only after it).
  "flaky.ts": `import type { FlakyScope } from "../gen/types.ts";
let starts = 0;
export function start(scope: FlakyScope) {
  starts++;
  scope.log(\`start #\${starts}\`);
  if (starts === 1) scope.go("probe", async () => {
    await scope.sleep(300);
    if (!scope.signal.aborted) throw new Error("lost its connection");
  });
  return {};
}
`,
  // Uses its supervisor's needs (store), and knows which replica it is.
  "worker.ts": `import type { PoolWorkerScope } from "../gen/types.ts";
export function start(scope: PoolWorkerScope) {
  scope.deps.store.put(\`worker-\${scope.replica}\`, scope.replica);
  scope.defer(() => scope.log(\`replica \${scope.replica} stopped\`));
  return { replica: scope.replica };
}
export async function reload(scope: PoolWorkerScope) {
  await scope.sleep(10);
  scope.log(\`replica \${scope.replica} reloaded its configuration\`);
}
`,
  "api.ts": `import type { ApiScope } from "../gen/types.ts";
let reloads = 0;
export function start(scope: ApiScope) {
  const replicas: readonly number[] = scope.deps.pool.worker.map((w) => w.replica);
  scope.log(\`serving with workers \${replicas.join(",")}\`);
  scope.defer(() => scope.log("http server closed"));
  return {};
}
export function reload(scope: ApiScope) {
  reloads++;
  scope.log(\`reload #\${reloads}\`);
}
`,
};

function writeProject(name: string, spec: string, modules: Record<string, string>): string {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "services"), { recursive: true });
  writeFileSync(join(dir, "app.sup"), spec);
  for (const [file, text] of Object.entries(modules)) writeFileSync(join(dir, "services", file), text);
  return dir;
}

/** A running main.ts: its output so far, a wait for a line, and its exit. */
class Running {
  log = "";
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;
  #waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];

  constructor(mainTs: string) {
    this.#child = spawn(process.execPath, ["--import", "tsx", mainTs], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    const onData = (chunk: Buffer): void => {
      this.log += chunk.toString();
      this.#waiters = this.#waiters.filter((w) => (this.count(w.pattern) >= w.count ? (w.resolve(), false) : true));
    };
    this.#child.stdout!.on("data", onData);
    this.#child.stderr!.on("data", onData);
    const watchdog = setTimeout(() => this.#child.kill("SIGKILL"), DEADLINE_MS);
    this.exited = new Promise((resolve) => this.#child.on("exit", (code) => (clearTimeout(watchdog), resolve(code))));
  }

  count(pattern: RegExp): number {
    return this.log.split("\n").filter((line) => pattern.test(line)).length;
  }

  /** Resolves once `count` lines match; rejects if the process exits first. */
  waitFor(pattern: RegExp, count = 1): Promise<void> {
    if (this.count(pattern) >= count) return Promise.resolve();
    return Promise.race([
      new Promise<void>((resolve) => this.#waiters.push({ pattern, count, resolve })),
      this.exited.then((code) => Promise.reject(new Error(`exited (${code}) before ${count} line(s) matching ${pattern}:\n${this.log}`))),
    ]);
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }
}

function lineIndex(log: string, pattern: RegExp, occurrence = 1): number {
  const lines = log.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (pattern.test(lines[i]!) && ++seen === occurrence) return i;
  return -1;
}

function assertBefore(log: string, first: RegExp, second: RegExp): void {
  const a = lineIndex(log, first);
  const b = lineIndex(log, second);
  assert.ok(a >= 0 && b >= 0 && a < b, `${first} must come before ${second} in:\n${log}`);
}

const e2e = suite("semantics end to end (real processes, real signals)");

e2e.after(() => rmSync(WORK, { recursive: true, force: true }));

e2e("after, inherited needs, replicas and two reloads: compiled, type-checked under --strict, run with real signals", async () => {
  const dir = writeProject("app", SPEC, MODULES);
  const compiled = runCli(["compile", join(dir, "app.sup"), "--out", join(dir, "gen")]);
  assert.is(compiled.status, 0, compiled.stderr);
  // A child uses its supervisor's needs, and api the workers' array, under tsc --strict.
  assert.is(typeCheckProject(dir), "");

  const app = new Running(join(dir, "gen", "main.ts"));
  await app.waitFor(/all 6 services started/);
  // flaky crashes once and is restarted alone: api, only after it, is not.
  await app.waitFor(/flaky: start #2/);
  await app.waitFor(/flaky started in/, 2);
  app.signal("SIGHUP");
  await app.waitFor(/reload done in .*: 4 reloaded/);
  app.signal("SIGHUP");
  await app.waitFor(/reload done in .*: 4 reloaded/, 2);
  app.signal("SIGTERM");
  const code = await app.exited;
  const log = app.log;
  assert.is(code, 0, log);

  // after: started once, after flaky; stopped before it; never restarted with it.
  assert.is(app.count(/api started in/), 1, log);
  assert.match(log, /restarting flaky \(flaky ended/);
  assert.not.match(log, /restarting api/);
  assertBefore(log, /flaky started in/, /api started in/);
  // (flaky's first stop was its restart.)
  assert.ok(lineIndex(log, /api stopped in/) < lineIndex(log, /flaky stopped in/, 2), log);
  // replicas: three instances with their index, started and stopped.
  for (const r of [0, 1, 2]) {
    assert.is(app.count(new RegExp(`pool\\.worker#${r} started in`)), 1, log);
    assert.is(app.count(new RegExp(`pool\\.worker#${r}: replica ${r} stopped`)), 1, log);
    assert.is(app.count(new RegExp(`pool\\.worker#${r} stopped in`)), 1, log);
  }
  assert.match(log, /api: serving with workers 0,1,2/);
  // two reloads: each service with a reload, twice, in start order; nothing stopped for them.
  assert.is(app.count(/received SIGHUP: reloading/), 2, log);
  assert.match(log, /api: reload #2/);
  assert.is(app.count(/replica 0 reloaded its configuration/), 2, log);
  assert.ok(lineIndex(log, /pool\.worker#2 reloaded in/) < lineIndex(log, /api reloaded in/), log);
  assert.ok(lineIndex(log, /stopping \(grace/) > lineIndex(log, /reload done/, 2), "nothing stops before SIGTERM");
  assert.match(log, /exit 0: 6 stopped/);
});

e2e("a process service gets the reload signal (its own reload signal when it names one); the app keeps running", async () => {
  const program = `process.on("SIGHUP", () => console.log("got SIGHUP"));
process.on("SIGUSR2", () => console.log("got SIGUSR2"));
process.on("SIGTERM", () => { console.log("bye"); process.exit(0); });
console.log("ready");
setInterval(() => {}, 1 << 30);
`;
  const spec = `app procs {
  reload SIGHUP
  service plain { exec "node ./services/program.mjs"  ready when stdout "ready" }
  service own { exec "node ./services/program.mjs"  ready when stdout "ready"  reload signal SIGUSR2 }
}
`;
  const dir = writeProject("procs", spec, { "program.mjs": program });
  assert.is(runCli(["compile", join(dir, "app.sup"), "--out", join(dir, "gen")]).status, 0);
  const app = new Running(join(dir, "gen", "main.ts"));
  await app.waitFor(/all 2 services started/);
  app.signal("SIGHUP");
  await app.waitFor(/reload done in .*: 2 reloaded/);
  await app.waitFor(/plain: got SIGHUP/);
  await app.waitFor(/own: got SIGUSR2/);
  app.signal("SIGTERM");
  assert.is(await app.exited, 0, app.log);
  assert.not.match(app.log, /own: got SIGHUP/);
  assert.match(app.log, /exit 0: 2 stopped/);
});

e2e("a reload export that takes another service's scope is a type error", () => {
  const worker = MODULES["worker.ts"]!.replace("export async function reload(scope: PoolWorkerScope)", "export async function reload(scope: ApiScope)").replace(
    'import type { PoolWorkerScope } from "../gen/types.ts";',
    'import type { ApiScope, PoolWorkerScope } from "../gen/types.ts";',
  );
  const dir = writeProject("bad-reload", SPEC, { ...MODULES, "worker.ts": worker });
  assert.is(runCli(["compile", join(dir, "app.sup"), "--out", join(dir, "gen")]).status, 0);
  const output = typeCheckProject(dir);
  assert.match(output, /gen\/main\.ts\(\d+,\d+\): error TS\d+/, output);
  assert.match(output, /reload/, output);
});

e2e("a module without start fails check and compile with a located error, and writes nothing", () => {
  const spec = `app shop {\n  supervisor workers {\n    service janitor { module "./services/janitor.ts" }\n  }\n}\n`;
  const dir = writeProject("no-start", spec, { "janitor.ts": "export async function run() {}\n" });
  const checked = runCli(["check", join(dir, "app.sup")]);
  assert.is(checked.status, 1, checked.stderr + checked.stdout);
  const output = checked.stderr + checked.stdout;
  assert.match(output, /app\.sup:3:30: error SUP4010: module '\.\/services\/janitor\.ts' does not export 'start'/);
  assert.match(output, /export async function start\(scope: WorkersJanitorScope\)/);
  const compiled = runCli(["compile", join(dir, "app.sup"), "--out", join(dir, "gen")]);
  assert.is(compiled.status, 1);
  assert.match(compiled.stderr + compiled.stdout, /SUP4010/);
});

e2e.run();
