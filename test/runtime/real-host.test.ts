// A few end-to-end runs on the real process: real signals, real exit codes. The three child
// processes start together when the suite loads, so the suite costs about one Node start-up.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { guardProgress } from "../reliability/progress-guard.ts";

const test = suite("runtime/real-host");

const fixture = fileURLToPath(new URL("./fixtures/signal-app.ts", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs the fixture; once it prints "ready", sends the signals in order, each one only after the
 * fixture has logged that it received the one before. Two signals sent close together could be
 * merged into one by the kernel on a loaded machine, so the test waits for the event instead of a
 * fixed gap. The guard only ends a run that shows no progress for two minutes, judged after the
 * output waiting to be read: a slow machine, or this process blocked by another suite, must not trip it.
 */
function runFixture(scenario: string, signals: readonly NodeJS.Signals[], args: readonly string[] = []): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fixture, scenario, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let sent = 0;
    const guard = guardProgress(120_000, () => child.kill("SIGKILL"));
    const sendNext = (): void => {
      guard.progress();
      if (sent < signals.length) child.kill(signals[sent++]!);
    };
    child.stderr.on("data", (chunk: Buffer) => {
      guard.progress();
      stderr += chunk.toString();
      if (sent > 0 && countReceived(stderr) >= sent) sendNext();
    });
    child.stdout.on("data", (chunk: Buffer) => {
      guard.progress();
      if (sent === 0 && chunk.toString().includes("ready")) sendNext();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      guard.stop();
      resolve({ code, stderr });
    });
  });
}

/** How many signals the fixture's lifecycle log says it received. */
function countReceived(stderr: string): number {
  return stderr.match(/ received SIG[A-Z]+/g)?.length ?? 0;
}

const clean = runFixture("clean", ["SIGTERM"]);
const hung = runFixture("hang", ["SIGTERM", "SIGTERM"]);
const fatal = runFixture("fatal", []);
const attributed = runFixture("attributed", ["SIGTERM"]);
const leak = runFixture("leak", ["SIGTERM"], ["--log-format", "json"]);

test("SIGTERM stops the app in order and the process exits 0", async () => {
  const { code, stderr } = await clean;
  assert.is(code, 0, stderr);
  const lines = stderr.trimEnd().split("\n");
  assert.is(lines[0], "[fixture] starting 2 services");
  assert.ok(lines.includes("[fixture] received SIGTERM: stopping (grace 1m)"), stderr);
  assert.ok(lines.indexOf("[fixture] db: closed") > lines.findIndex((l) => l.startsWith("[fixture] api stopped")), stderr);
  assert.is(lines.at(-1), "[fixture] exit 0: 2 stopped");
});

test("a task deaf to its signal keeps the process alive until a second SIGTERM forces exit 143", async () => {
  const { code, stderr } = await hung;
  assert.is(code, 143, stderr);
  assert.ok(stderr.includes("[fixture] received SIGTERM while stopping: exiting now"), stderr);
  assert.ok(stderr.trimEnd().endsWith("[fixture] exit 143: forced by a second SIGTERM; 2 still running (db, api)"), stderr);
});

test("an unhandled rejection is reported and shuts the app down with exit 1", async () => {
  const { code, stderr } = await fatal;
  assert.is(code, 1, stderr);
  assert.ok(stderr.includes("[fixture] unhandledRejection: Error: stray rejection"), stderr);
  assert.ok(stderr.includes("[fixture] fatal error: Error: stray rejection: stopping (grace 1m)"), stderr);
  assert.ok(stderr.trimEnd().endsWith("[fixture] exit 1: fatal error: Error: stray rejection; 2 stopped"), stderr);
});

test("uncaught errors raised by a service's callbacks crash that service only: it restarts, the app carries on", async () => {
  const { code, stderr } = await attributed;
  assert.is(code, 0, stderr);
  const lines = stderr.trimEnd().split("\n");
  assert.ok(lines.includes("[fixture] api crashed: Error: api: stray rejection (unhandledRejection)"), stderr);
  assert.ok(lines.includes("[fixture] api crashed: Error: api: listener threw (uncaughtException)"), stderr);
  assert.equal(lines.filter((l) => l.startsWith("[fixture] restarting api")).length, 2, stderr);
  assert.equal(lines.filter((l) => l.includes("stopping (grace")), ["[fixture] received SIGTERM: stopping (grace 1m)"], "only the signal stops the app");
  assert.is(lines.at(-1), "[fixture] exit 0: 2 stopped");
});

test("--log-format json: one object per line; what the services left open is reported and does not change the exit code", async () => {
  const { code, stderr } = await leak;
  assert.is(code, 0, stderr);
  const lines = stderr.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines.at(-2), { time: lines.at(-2)!.time, level: "warn", app: "fixture", event: "left-open", resources: { TCPServerWrap: 1, Timeout: 1 } });
  assert.equal([lines.at(-1)!.event, lines.at(-1)!.exitCode], ["summary", 0]);
  assert.ok(lines.some((l) => l.event === "log" && l.service === "db" && l.message === "closed"));
  assert.ok(!(await clean).stderr.includes("left open"), "a clean run warns about nothing");
});

test.run();
