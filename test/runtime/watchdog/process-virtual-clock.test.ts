// bindProcess in a test on the virtual clock: the program is real and ends in real time, so the
// service must be reported stopped without the test moving virtual time (only the SIGKILL
// deadline, a budget, is on the app's clock).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RuntimeEvent } from "../../../runtime/api/events.ts";
import { bindProcess } from "../../../runtime/process/process-service.ts";
import { runApp } from "../../../runtime/main/run-app.ts";
import { createTestHost } from "../../../runtime/testing/index.ts";
import { buildProcessPlan, HERE } from "../process/harness.ts";

const test = suite("runtime/process on the virtual clock");

test("a program stopped by the app's SIGTERM is reported stopped, exit 0, with virtual time never moved", async () => {
  const plan = buildProcessPlan([{ name: "worker", script: "process.on('SIGTERM', () => process.exit(0)); console.log('ready'); setInterval(() => {}, 1000);", exec: { readyWhenStdout: "ready" } }]);
  const host = createTestHost();
  const events: RuntimeEvent[] = [];
  let allStarted!: () => void;
  const started = new Promise<void>((resolve) => (allStarted = resolve));
  const result = runApp(plan, { worker: bindProcess(plan, "worker", HERE, { clock: host.clock }) }, {
    host,
    onEvent: (e) => {
      events.push(e);
      if (e.type === "started" && e.id === "") allStarted();
    },
  });
  await started;
  host.sendSignal("SIGTERM");
  // On real time: the run resolves once the program has exited and its group is gone.
  const done = await result;
  assert.is(done.exitCode, 0, host.logs.join("\n"));
  assert.equal(done.report.stopped, ["worker"]);
  assert.ok(events.some((e) => e.type === "stopped" && e.id === "worker"));
  assert.ok(host.logs.includes("[procs] worker: exited with code 0"), host.logs.join("\n"));
  assert.is(host.clock.now(), 0, "virtual time did not move");
});

test.run();
