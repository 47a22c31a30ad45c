// Process services starting and ending, with real child processes: readiness on a stdout line,
// output forwarded to the lifecycle log with the service's name, a program that cannot be found,
// and a program that exits by itself with a failure (the restart policy applies). The scenarios
// start together when the suite begins (not when the file loads: see process-stop.test.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { AppPlan } from "../../../runtime/api/plan.ts";
import { bindProcess } from "../../../runtime/process/process-service.ts";
import { buildProcessPlan, runProcesses } from "./harness.ts";

const KEEP_ALIVE = "setInterval(() => {}, 1000);";

// Slow to be ready, and chatty on both streams meanwhile; a partial line is completed later.
const TALKER = `console.error("warming up"); process.stdout.write("half a "); setTimeout(() => { console.log("line"); console.log("listening on " + process.env.PORT); }, 100); ${KEEP_ALIVE}`;

// Fails on its first run, then stays up: the restart is its second run.
const marker = join(mkdtempSync(join(tmpdir(), "supervise-proc-")), "crashed-once");
const CRASH_ONCE = `
const fs = require("node:fs");
if (!fs.existsSync(process.env.MARKER)) { fs.writeFileSync(process.env.MARKER, ""); console.log("crashing"); process.exit(3); }
console.log("second run");
${KEEP_ALIVE}`;

function startScenarios() {
  return {
    talker: runProcesses(buildProcessPlan([{ name: "talker", script: TALKER, exec: { readyWhenStdout: "listening on", env: { PORT: "8080" } } }])),
    silent: runProcesses(buildProcessPlan([{ name: "silent", script: KEEP_ALIVE, startTimeoutMs: 300, exec: { readyWhenStdout: "never printed" } }]), {
      signalWhen: null,
    }),
    missing: runProcesses(buildProcessPlan([{ name: "missing", argv: ["supervise-test-no-such-program", "--flag"] }]), { signalWhen: null }),
    crasher: runProcesses(
      buildProcessPlan([{ name: "crasher", script: CRASH_ONCE, restart: "transient", exec: { env: { MARKER: marker } } }], { intensity: 3 }),
      { signalWhen: /crasher: second run/ },
    ),
  };
}

let runs: ReturnType<typeof startScenarios>;

const test = suite("runtime/process services: starting and ending");

test.before(() => {
  runs = startScenarios();
});

test("ready when a stdout line contains the text; stdout and stderr lines reach the log with the service's name", async () => {
  const { result, logs } = await runs.talker;
  assert.is(result.exitCode, 0, logs.join("\n"));
  const ready = logs.indexOf("[procs] talker: listening on 8080");
  const started = logs.findIndex((l) => l.startsWith("[procs] talker started in"));
  assert.ok(ready >= 0 && started > ready, logs.join("\n"));
  assert.ok(logs.includes("[procs] talker: [stderr] warming up"), logs.join("\n"));
  assert.ok(logs.includes("[procs] talker: half a line"), logs.join("\n"));
});

test("no ready line within the start timeout: the start fails with a timeout and the program is stopped", async () => {
  const { result, logs, events } = await runs.silent;
  assert.is(result.exitCode, 1, logs.join("\n"));
  const failed = events.find((e) => e.type === "start-failed" && e.id === "silent");
  assert.ok(failed?.type === "start-failed" && failed.timedOut, logs.join("\n"));
  assert.ok(logs.includes(`[procs] silent: no line on stdout contained "never printed" within the start timeout`), logs.join("\n"));
  assert.ok(logs.some((l) => /silent: SIGTERM to process group \d+/.test(l)), logs.join("\n"));
});

test("a program that cannot be found fails the start with a clear message", async () => {
  const { result, logs, events } = await runs.missing;
  assert.is(result.exitCode, 1);
  const failed = events.find((e) => e.type === "start-failed" && e.id === "missing");
  assert.ok(failed?.type === "start-failed" && !failed.timedOut);
  assert.is((failed.error as Error).message, "cannot run supervise-test-no-such-program: not found in PATH");
  assert.ok(logs.includes("[procs] missing failed to start: Error: cannot run supervise-test-no-such-program: not found in PATH"), logs.join("\n"));
});

test("a program exiting with a failure is a crash: the restart policy restarts it", async () => {
  const { result, logs, events } = await runs.crasher;
  rmSync(join(marker, ".."), { recursive: true, force: true });
  assert.is(result.exitCode, 0, logs.join("\n"));
  const crashed = events.find((e) => e.type === "crashed" && e.id === "crasher");
  assert.ok(crashed?.type === "crashed");
  assert.is((crashed.error as Error).message, "the program exited with code 3");
  assert.is(crashed.task, "process");
  assert.equal(
    events.filter((e) => e.id === "crasher" && (e.type === "started" || e.type === "restarting")).map((e) => e.type),
    ["started", "restarting", "started"],
  );
  const report = result.report.nodes.find((n) => n.id === "crasher")!;
  assert.is(report.restarts, 1);
});

test("bindProcess rejects what cannot run before anything starts", () => {
  const plan = buildProcessPlan([{ name: "p", script: "" }]);
  assert.throws(() => bindProcess(plan, "nope", "/"), /has no service "nope"/);
  const noArgv: AppPlan = { ...plan, root: { ...plan.root, children: [{ ...plan.root.children[0]!, exec: { argv: [], cwd: ".", env: {}, stopSignal: "SIGTERM" } } as never] } };
  assert.throws(() => bindProcess(noArgv, "p", "/"), /argv must be a non-empty list/);
  const badSignal: AppPlan = { ...plan, root: { ...plan.root, children: [{ ...plan.root.children[0]!, exec: { argv: ["x"], cwd: ".", env: {}, stopSignal: "SIGNOPE" } } as never] } };
  assert.throws(() => bindProcess(badSignal, "p", "/"), /unknown stop signal "SIGNOPE"/);
});

test.run();
