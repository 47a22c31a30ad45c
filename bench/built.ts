// The runtime benchmarks measure what users run: the runtime as built JavaScript (dist/runtime,
// imported by generated code as `supervise/runtime`), not the TypeScript sources through tsx,
// whose transform wraps every function in a `__name` helper (~20% slower start/stop). The CLI
// benchmarks need the bundled dist/cli.js. Both are rebuilt here when missing or older than their
// sources, and loaded with dynamic imports only after that check.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./paths.ts";

/** Newest modification time of the files under `dirs` (recursively), in ms. */
function newestSource(dirs: readonly string[]): number {
  let newest = 0;
  const stack = dirs.map((d) => join(REPO_ROOT, d)).filter((d) => existsSync(d));
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function isFresh(output: string, sources: readonly string[]): boolean {
  const path = join(REPO_ROOT, output);
  return existsSync(path) && statSync(path).mtimeMs >= newestSource(sources);
}

/** Blocks the thread for `ms` (there is nothing else to do while waiting for a build). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs a measurement that uses dist/; if it fails while dist/ is missing (on a shared machine,
 * someone's `npm run build` deletes and rewrites it), waits for the build, then tries once more.
 */
export function retryIfDistVanished<T>(attempt: () => T, failed: (result: T) => boolean): T {
  const first = attempt();
  if (!failed(first)) return first;
  const built = (): boolean => existsSync(join(REPO_ROOT, "dist", "cli.js")) && existsSync(join(REPO_ROOT, "dist", "runtime", "index.js"));
  if (built()) return first;
  for (let waited = 0; waited < 30_000 && !built(); waited += 250) sleepSync(250);
  ensureFreshBuild();
  return attempt();
}

let checked = false;

/**
 * Runs `npm run build` (scripts/build.mjs) when dist is missing or older than the sources. Once
 * per process: a run measures one build, even if someone edits the sources meanwhile.
 */
export function ensureFreshBuild(): void {
  if (checked) return;
  checked = true;
  const runtimeFresh = isFresh("dist/runtime/index.js", ["runtime"]);
  const cliFresh = isFresh("dist/cli.js", ["compiler", "runtime"]);
  if (runtimeFresh && cliFresh) return;
  const build = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "build.mjs")], { cwd: REPO_ROOT, encoding: "utf8" });
  if (build.status !== 0) {
    checked = false;
    throw new Error(`dist/ is older than the sources and \`npm run build\` fails, so there is nothing current to measure:\n${build.stdout}${build.stderr}`);
  }
}

// Typed from the sources: the built files are compiled from them and have the same shape.
export type RuntimeModule = typeof import("../runtime/index.ts");
export type ScopeModule = typeof import("../runtime/engine/scope.ts");
export type ClockModule = typeof import("../runtime/host/clock.ts");

async function importBuilt<T>(file: string): Promise<T> {
  ensureFreshBuild();
  return (await import(pathToFileURL(join(REPO_ROOT, "dist", "runtime", file)).href)) as T;
}

/** `supervise/runtime` as generated code imports it. */
export function loadRuntime(): Promise<RuntimeModule> {
  return importBuilt<RuntimeModule>("index.js");
}

/** `supervise/runtime/watchdog`, which the generated main.ts imports first: it boots the watchdog's thread. */
export function prepareWatchdog(): Promise<unknown> {
  return importBuilt("watchdog.js");
}

/** The scope tree (internal to the runtime, so imported by path). */
export function loadScopes(): Promise<ScopeModule> {
  return importBuilt<ScopeModule>("engine/scope.js");
}

export function loadClock(): Promise<ClockModule> {
  return importBuilt<ClockModule>("host/clock.js");
}
