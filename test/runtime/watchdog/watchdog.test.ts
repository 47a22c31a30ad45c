// The watchdog on real processes with real signals: service code that starves the event loop
// (a spinning finalizer, a catch that retries an aborted await, a start polling existsSync) still
// ends by the grace with exit 1 and a report naming the service; a second signal still forces
// 128 + n. The runs start together when the suite loads and are awaited by their exit; the guard
// only ends a run that hangs for good. How soon they end is not asserted (the machine is shared):
// the watchdog acts at the grace plus a 500 ms margin.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readWatchdog } from "../../../runtime/main/main-options.ts";

const test = suite("runtime/watchdog");

const fixture = fileURLToPath(new URL("./fixtures/starving-app.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs a scenario to its end. Its signals come from its own side (see the fixture): this process
 * may be busy with other suites for seconds, and must not decide when they arrive. The guard only
 * ends a run that hangs for good.
 */
function runScenario(scenario: string, signals: number, options: { env?: Record<string, string>; graceMs?: number } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const args = [scenario, String(signals), ...(options.graceMs === undefined ? [] : [String(options.graceMs)])];
    const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...options.env },
    });
    let stderr = "";
    const guard = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr });
    });
  });
}

const spinningFinalizer = runScenario("spin-finalizer", 1);
const catchRetry = runScenario("catch-retry", 1);
const catchRetryTwice = runScenario("catch-retry", 2, { graceMs: 60_000 });
const blockingStart = runScenario("blocking-start", 1);
const blockingStartFromEntry = runScenario("blocking-start", 1, { env: { STARVING_ENTRY: "1" } });
const spinningAfterCleanRun = runScenario("spin-finalizer", 1, { env: { STARVING_ENTRY: "1", STARVING_RUN_BEFORE: "1" } });
const slowStart = runScenario("slow-start", 0);
const warning = runScenario("blocked-warning", 1, { env: { SUPERVISE_BLOCKED_WARNING: "500" } });

/** The last line of the log and the lines the watchdog wrote. */
function lastLine(stderr: string): string {
  return stderr.trimEnd().split("\n").at(-1) ?? "";
}

test("a finalizer that never returns: exit 1 by the grace, naming the service and its frame", async () => {
  const { code, stderr } = await spinningFinalizer;
  assert.is(code, 1, stderr);
  assert.match(stderr, /\[starving\] api blocked the event loop for [\d.]+m?s after SIGTERM: the grace period of 2s expired, exiting \(watchdog\)\n/, stderr);
  assert.match(stderr, /\[starving\] {3}at spinForever \(.*starving-app\.ts:\d+:\d+\)\n/, stderr);
  assert.ok(lastLine(stderr).startsWith("[starving] exit 1: "), stderr);
  assert.not.match(stderr, /Waiting for the debugger/, stderr);
});

test("a catch that swallows the abort and retries: exit 1 by the grace, the task named in the leak report", async () => {
  const { code, stderr } = await catchRetry;
  assert.is(code, 1, stderr);
  assert.match(stderr, /\[starving\] api blocked the event loop for [\d.]+m?s after SIGTERM: the grace period of 2s expired/, stderr);
  assert.match(stderr, /\[starving\] {5}task poller, started at:\n\[starving\] {7}api \(.*starving-app\.ts:\d+:\d+\)/, stderr);
  assert.not.match(stderr, /Waiting for the debugger/, stderr);
});

test("a second SIGTERM while the loop is starved forces exit 143", async () => {
  const { code, stderr } = await catchRetryTwice;
  assert.is(code, 143, stderr);
  assert.match(stderr, /\[starving\] received SIGTERM while api blocked the event loop for [\d.]+m?s: exiting now \(watchdog\)/, stderr);
  assert.ok(lastLine(stderr).startsWith("[starving] exit 143: forced by a second SIGTERM"), stderr);
});

test("a start polling existsSync: a SIGTERM it cannot answer still ends the process by the grace, exit 1", async () => {
  const { code, stderr } = await blockingStart;
  assert.is(code, 1, stderr);
  assert.match(stderr, /\[starving\] api blocked the event loop for [\d.]+m?s after SIGTERM: the grace period of 2s expired/, stderr);
  assert.match(stderr, /\[starving\] {3}at pollForever \(.*starving-app\.ts:\d+:\d+\)\n\[starving\] {3}at api \(/, stderr);
});

test("the same with the watchdog's thread booted ahead by supervise/runtime/watchdog (as main.ts does): exit 1 by the grace", async () => {
  const { code, stderr } = await blockingStartFromEntry;
  assert.is(code, 1, stderr);
  assert.match(stderr, /\[starving\] api blocked the event loop for [\d.]+m?s after SIGTERM: the grace period of 2s expired/, stderr);
  assert.match(stderr, /\[starving\] {3}at pollForever \(/, stderr);
});

test("a second run in the process, on the thread that watched the first: exit 1 by the grace, naming the service", async () => {
  const { code, stderr } = await spinningAfterCleanRun;
  assert.is(code, 1, stderr);
  assert.match(stderr, /\[starving\] api blocked the event loop for [\d.]+m?s after SIGTERM: the grace period of 2s expired, exiting \(watchdog\)\n/, stderr);
  assert.match(stderr, /\[starving\] {3}at spinForever \(/, stderr);
});

test("a start blocked past every start timeout, with no signal: exit 1", async () => {
  const { code, stderr } = await slowStart;
  assert.is(code, 1, stderr);
  assert.match(stderr, /\[starving\] api blocked the event loop for [\d.]+m?s while starting, longer than any start timeout \(1s\): exiting \(watchdog\)/, stderr);
});

test("while running, a loop blocked past SUPERVISE_BLOCKED_WARNING is reported with its service; the app goes on", async () => {
  const { code, stderr } = await warning;
  assert.is(code, 0, stderr);
  assert.match(stderr, /\[starving\] warning: api blocked the event loop for [\d.]+m?s\n\[starving\] {3}at (Timeout\.)?blockForAWhile \(/, stderr);
  assert.is(lastLine(stderr), "[starving] exit 0: 2 stopped");
  // The watchdog's own thread is not something the services left open.
  assert.not.match(stderr, /left open/, stderr);
  assert.not.match(stderr, /Waiting for the debugger/, stderr);
});

test("SUPERVISE_WATCHDOG and SUPERVISE_BLOCKED_WARNING are read strictly", () => {
  assert.equal(readWatchdog({}), { settings: {} });
  assert.equal(readWatchdog({ SUPERVISE_WATCHDOG: "off" }), { settings: false });
  assert.equal(readWatchdog({ SUPERVISE_WATCHDOG: "on", SUPERVISE_BLOCKED_WARNING: "250" }), { settings: { blockedMs: 250 } });
  assert.ok("problem" in readWatchdog({ SUPERVISE_WATCHDOG: "yes" }));
  assert.ok("problem" in readWatchdog({ SUPERVISE_BLOCKED_WARNING: "1s" }));
  assert.ok("problem" in readWatchdog({ SUPERVISE_BLOCKED_WARNING: "0" }));
});

test.run();
