// End to end with programs: the generated main.ts of test/fixtures/golden/polyglot.sup runs as a
// real process, its process services run real programs (Node scripts standing in for workers in
// other languages), and a real SIGTERM stops them in the spec's order, each with its own stop
// signal, leaving no program behind.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";
import { hasExited } from "../runtime/process/harness.ts";

const MAIN = join("test", "fixtures", "golden", "polyglot.out", "main.ts");

function runUntilStartedThenTerm(): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    let signalled = false;
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      // worker-1 has no readiness line: it counts as started once spawned, so wait for its own
      // "listening" too, or the signal can reach it before it has printed anything.
      if (!signalled && /all 4 services started/.test(log) && /pool\.worker-1: listening/.test(log)) {
        signalled = true;
        child.kill("SIGTERM");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const watchdog = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${MAIN} did not finish within 15s; log:\n${log}`));
    }, 15_000);
    child.on("close", (code) => {
      clearTimeout(watchdog);
      resolve({ code, log });
    });
  });
}

function lineOf(log: string, pattern: RegExp): number {
  const index = log.split("\n").findIndex((line) => pattern.test(line));
  assert.ok(index >= 0, `missing ${pattern} in:\n${log}`);
  return index;
}

const e2e = suite("generated main.ts with process services");

e2e("polyglot: programs start ready, get their own stop signals after their dependents, and exit 0", async () => {
  const { code, log } = await runUntilStartedThenTerm();
  assert.is(code, 0, log);
  // argv split at compile time: 'batch jobs' is one argument; env reaches the program.
  lineOf(log, /^\[polyglot\] pool\.worker-1: listening on queue batch jobs \(log level info\)$/);
  lineOf(log, /^\[polyglot\] queue: listening on queue default \(log level debug\)$/);
  assert.ok(lineOf(log, /queue: listening/) < lineOf(log, /queue started in/), "ready before started");
  // monitor needs the programs: it stops first; queue gets its own stop signal, SIGINT.
  assert.ok(lineOf(log, /monitor stopped/) < lineOf(log, /queue: SIGINT to process group \d+/), log);
  lineOf(log, /^\[polyglot\] queue: \[stderr\] SIGINT: draining default$/);
  lineOf(log, /^\[polyglot\] pool\.worker-2: \[stderr\] SIGTERM: draining urgent$/);
  const pids = [...log.matchAll(/spawned pid (\d+)/g)].map((m) => Number(m[1]));
  assert.is(pids.length, 3);
  for (const pid of pids) assert.ok(hasExited(pid), `program ${pid} is still running`);
});

e2e.run();
