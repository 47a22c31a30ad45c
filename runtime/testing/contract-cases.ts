// The test driver of generated `shutdown.test.ts` suites: a contract (data the compiler derived
// from the spec) becomes named test cases that run the plan with test doubles on virtual time and
// assert that the runtime keeps every promise. It asserts with node:assert/strict and registers
// nothing, so the runtime stays free of dependencies: the generated suite hands each case to its
// test runner (uvu's `test(name, run)`).
import assert from "node:assert/strict";
import { constants } from "node:os";
import type { AppPlan } from "../api/plan.ts";
import type { Contract, ContractCase, CrashLoopCase, RestartCase } from "./contract.ts";
import { simulate, type Simulation } from "./simulate.ts";
import { buildProbeCases } from "./contract-probes.ts";

/**
 * Every case that proves `contract` on `plan`, in a fixed order: start order, each signal, each
 * service hanging on stop, all hanging, a second signal, each service failing and hanging on
 * start, each restart, each crash loop. Names are unique and derived from the contract alone.
 */
export function buildContractCases(plan: AppPlan, contract: Contract): ContractCase[] {
  const [firstSignal] = contract.signals;
  return [
    { name: "start order respects needs", run: () => checkStartOrder(plan, contract, firstSignal) },
    ...contract.signals.map((signal) => ({
      name: `${signal} stops every service in the spec's order and exits 0`,
      run: () => checkCleanStop(plan, contract, signal),
    })),
    ...contract.services.map((hung) => ({
      name: `${hung} hanging on stop is abandoned after ${contract.hungStopMs[hung]!}ms and the rest still stop`,
      run: () => checkHungStop(plan, contract, firstSignal, hung),
    })),
    ...(contract.drainMs !== undefined
      ? [{ name: `readiness fails at the signal, and the stop begins ${contract.drainMs}ms later`, run: () => checkDrain(plan, firstSignal, contract.drainMs!) }]
      : []),
    {
      name: `every service hanging: exit 1 after ${contract.allHungExitMs}ms (grace ${contract.graceMs}ms) naming them`,
      run: () => checkAllHung(plan, contract, firstSignal),
    },
    {
      name: `a second ${pickSecondSignal(contract)} forces exit ${128}+n at once`,
      run: () => checkSecondSignal(plan, contract, firstSignal),
    },
    ...contract.services.flatMap((failing) => [
      { name: `${failing} failing to start rolls back what started and never starts its dependents`, run: () => checkFailedStart(plan, contract, failing) },
      { name: `${failing} hanging on start times out after ${contract.startTimeoutMs[failing]!}ms`, run: () => checkHungStart(plan, contract, failing) },
    ]),
    ...contract.restarts.map((c) => ({ name: describeRestart(c), run: () => checkRestart(plan, contract, firstSignal, c) })),
    ...contract.crashLoops.map((loop) => ({ name: describeCrashLoop(loop), run: () => checkCrashLoop(plan, loop) })),
    ...(contract.reloadSignal !== undefined
      ? [{ name: `${contract.reloadSignal} reloads every service in start order and stops nothing`, run: () => checkReload(plan, contract, contract.reloadSignal!, firstSignal) }]
      : []),
    ...buildProbeCases(plan, contract),
  ];
}

/** After a reload, every service was reloaded once, in the order they started, and none stopped before the signal. */
async function checkReload(plan: AppPlan, contract: Contract, reloadSignal: string, signal: string | undefined): Promise<void> {
  const run = await simulate(plan, { reloadSignal, signal });
  const started = run.order("started").filter((id) => contract.services.includes(id));
  assert.deepEqual(run.order("reloading"), started);
  assert.deepEqual(run.order("reload-failed"), []);
  const signalled = run.firstAt("signal") ?? Infinity;
  assert.ok(run.events.every((e) => e.type !== "stopping" || e.at >= signalled), "nothing stops because of a reload");
  if (signal !== undefined) assert.equal(run.exitCode, 0);
}

/** The last configured signal: any of them forces the exit when it comes second. */
function pickSecondSignal(contract: Contract): string {
  return contract.signals[contract.signals.length - 1]!;
}

/** Every service hangs on stop: nothing can stop before its budget runs out. */
function hangEveryStop(contract: Contract): Record<string, { hangStop: true }> {
  return Object.fromEntries(contract.services.map((id) => [id, { hangStop: true }]));
}

async function checkStartOrder(plan: AppPlan, contract: Contract, signal: string | undefined): Promise<void> {
  const run = await simulate(plan, { signal });
  assert.deepEqual(sortServiceIds(run.order("started"), contract), [...contract.services].sort());
  for (const [service, dependency] of contract.startEdges) {
    const started = run.position("started", dependency);
    const starting = run.position("starting", service);
    assert.ok(started >= 0 && starting >= 0, `${service} and ${dependency} must both start`);
    assert.ok(started < starting, `${dependency} must have started before ${service} began to start`);
  }
}

async function checkCleanStop(plan: AppPlan, contract: Contract, signal: string): Promise<void> {
  const run = await simulate(plan, { signal });
  assert.equal(run.exitCode, 0);
  assert.deepEqual(sortServiceIds(run.order("stopped"), contract), [...contract.services].sort());
  assertStoppedInOrder(run, contract, contract.services);
}

async function checkHungStop(plan: AppPlan, contract: Contract, signal: string | undefined, hung: string): Promise<void> {
  const run = await simulate(plan, { signal, doubles: { [hung]: { hangStop: true } } });
  assert.equal(run.exitCode, 1);
  assert.equal(run.at("abandoned", hung)! - readSignalAt(run), contract.hungStopMs[hung]!);
  assert.ok(run.report.abandoned.includes(hung), `the report must name ${hung}`);
  for (const id of contract.services) {
    if (id !== hung) assert.ok(run.at("stopped", id) !== undefined, `${id} must still stop`);
  }
  assertStoppedInOrder(run, contract, contract.services);
}

async function checkDrain(plan: AppPlan, signal: string | undefined, drainMs: number): Promise<void> {
  const run = await simulate(plan, { signal });
  assert.equal(run.exitCode, 0);
  const signalAt = readSignalAt(run);
  const notReady = run.events.find((e) => e.type === "readiness" && !e.ready);
  assert.equal(notReady?.at, signalAt, "readiness fails when the signal arrives");
  const stops = run.events.filter((e) => e.type === "stopping" || e.type === "stopped");
  assert.ok(stops.length > 0, "the services are stopped");
  for (const e of stops) assert.ok(e.at >= signalAt + drainMs, `${e.id || "the app"} began to stop at ${e.at}ms, before the drain ended at ${signalAt + drainMs}ms`);
  assert.equal(run.at("stopping", ""), signalAt + drainMs, "the stop begins when the drain ends");
}

async function checkAllHung(plan: AppPlan, contract: Contract, signal: string | undefined): Promise<void> {
  const run = await simulate(plan, { signal, doubles: hangEveryStop(contract) });
  assert.equal(run.exitCode, 1);
  assert.equal(readExitAt(run) - readSignalAt(run), contract.allHungExitMs);
  assert.ok(run.report.abandoned.includes(contract.lastToStop), `the report must name ${contract.lastToStop}`);
  for (const id of contract.services) assert.equal(run.at("stopped", id), undefined, `${id} hung and cannot have stopped`);
}

async function checkSecondSignal(plan: AppPlan, contract: Contract, signal: string | undefined): Promise<void> {
  const second = pickSecondSignal(contract);
  const run = await simulate(plan, { signal, doubles: hangEveryStop(contract), secondSignal: { signal: second, afterMs: 1 } });
  assert.equal(run.exitCode, 128 + constants.signals[second as keyof typeof constants.signals]);
  assert.equal(readExitAt(run) - readSignalAt(run), 1);
}

async function checkFailedStart(plan: AppPlan, contract: Contract, failing: string): Promise<void> {
  const run = await simulate(plan, { doubles: { [failing]: { failStart: true } } });
  assert.equal(run.exitCode, 1);
  assert.ok(run.at("start-failed", failing) !== undefined, `${failing} must be reported as failed`);
  for (const id of findDependents(contract, failing)) assert.equal(run.at("starting", id), undefined, `${id} needs ${failing}: it must not start`);
  const started = contract.services.filter((id) => run.at("started", id) !== undefined);
  for (const id of started) assert.ok(run.at("stopped", id) !== undefined, `${id} started, so it must be stopped`);
  assertStoppedInOrder(run, contract, started);
}

async function checkHungStart(plan: AppPlan, contract: Contract, failing: string): Promise<void> {
  const run = await simulate(plan, { doubles: { [failing]: { hangStart: true } } });
  assert.equal(run.exitCode, 1);
  assert.equal(run.at("start-failed", failing)! - run.at("starting", failing)!, contract.startTimeoutMs[failing]!);
}

function describeRestart(c: RestartCase): string {
  const others = c.stoppedOnly.length > 0 ? `, stops ${c.stoppedOnly.join(", ")} for good` : "";
  return `${c.service} crashing once: ${c.strategy} in ${describeSupervisor(c.supervisor)} restarts ${c.restarted.join(", ")}${others}, in start order, and nothing else`;
}

async function checkRestart(plan: AppPlan, contract: Contract, signal: string | undefined, c: RestartCase): Promise<void> {
  const run = await simulate(plan, { signal, signalAtMs: c.signalAtMs, doubles: { [c.service]: { crashAfterMs: c.crashAfterMs } } });
  assert.equal(run.exitCode, 0);
  assert.equal(run.at("crashed", c.service), c.crashAfterMs);
  assert.deepEqual(contract.services.filter((id) => countStarts(run, id) === 2), [...c.restarted], "restarted exactly once: the set the strategy implies");
  for (const id of contract.services) {
    if (!c.restarted.includes(id)) assert.equal(countStarts(run, id), 1, `${id} must not be restarted`);
  }
  const restartedAt = run.events.filter((e) => e.type === "starting" && e.id === c.service).map((e) => e.at)[1];
  assert.equal(restartedAt, c.restartAtMs, `${c.service} starts again after its backoff`);
  for (const id of c.stoppedOnly) assert.equal(run.at("stopped", id), c.crashAfterMs, `${id} is stopped with the set`);
  // Nothing of the set starts again before the whole set has stopped.
  const lastStopped = Math.max(...[...c.restarted, ...c.stoppedOnly].map((id) => run.position("stopped", id)));
  for (const id of c.restarted) {
    assert.ok(findNthPosition(run, "starting", id, 2) > lastStopped, `${id} must start again only once the whole restart set has stopped`);
  }
  for (const [service, dependency] of contract.startEdges) {
    if (!c.restarted.includes(service) || !c.restarted.includes(dependency)) continue;
    const started = findNthPosition(run, "started", dependency, 2);
    const starting = findNthPosition(run, "starting", service, 2);
    assert.ok(started >= 0 && started < starting, `${dependency} must have started again before ${service} starts again`);
  }
}

function describeCrashLoop(loop: CrashLoopCase): string {
  const chain = [...new Set(loop.gaveUp)].map(describeSupervisor);
  const story = chain.length === 1 ? `${chain[0]} gives up` : `${chain.join(", then ")} give up in turn`;
  return `${loop.service} crashing in a loop: ${story}, and the app exits 1`;
}

async function checkCrashLoop(plan: AppPlan, loop: CrashLoopCase): Promise<void> {
  const run = await simulate(plan, { doubles: { [loop.service]: { crashAfterMs: loop.crashAfterMs } } });
  assert.equal(run.exitCode, 1);
  assert.deepEqual(run.order("gave-up"), [...loop.gaveUp]);
  assert.equal(run.order("crashed").filter((id) => id === loop.service).length, loop.crashes, "each supervisor allows exactly its intensity");
  assert.deepEqual(run.report.cause, { kind: "restart-limit", supervisor: "" });
}

function describeSupervisor(id: string): string {
  return id === "" ? "the app" : `supervisor ${id}`;
}

/** The ids that are services (events also name supervisors and the app), sorted: each once when nothing restarted. */
function sortServiceIds(ids: readonly string[], contract: Contract): string[] {
  return ids.filter((id) => contract.services.includes(id)).sort();
}

function readSignalAt(run: Simulation): number {
  const at = run.firstAt("signal");
  assert.ok(at !== undefined, "the signal was never received");
  return at;
}

function readExitAt(run: Simulation): number {
  const at = run.firstAt("exit");
  assert.ok(at !== undefined, "the app never exited");
  return at;
}

/** Index in run.events of the `nth` (1-based) event of that type for that id, or -1. */
function findNthPosition(run: Simulation, type: "started" | "starting", id: string, nth: number): number {
  let seen = 0;
  return run.events.findIndex((e) => e.type === type && e.id === id && ++seen === nth);
}

function countStarts(run: Simulation, id: string): number {
  return run.events.filter((e) => e.type === "starting" && e.id === id).length;
}

/**
 * The services that (directly or through others) need `failing` to have started: the closure of
 * the contract's start edges, which the compiler derived from the spec. Computed here rather than
 * written out per service, which for a chain of n services is n²/2 ids in the generated file.
 */
function findDependents(contract: Contract, failing: string): string[] {
  const dependentsOf = new Map<string, string[]>();
  for (const [service, dependency] of contract.startEdges) {
    const list = dependentsOf.get(dependency);
    if (list === undefined) dependentsOf.set(dependency, [service]);
    else list.push(service);
  }
  const found = new Set<string>();
  const queue = [failing];
  for (let head = 0; head < queue.length; head++) {
    for (const next of dependentsOf.get(queue[head]!) ?? []) {
      if (found.has(next)) continue;
      found.add(next);
      queue.push(next);
    }
  }
  return [...found];
}

/** Where both ends of a stop edge stopped (or were abandoned), the blocker went first. */
function assertStoppedInOrder(run: Simulation, contract: Contract, among: readonly string[]): void {
  for (const [service, blocker] of contract.stopEdges) {
    if (!among.includes(service) || !among.includes(blocker)) continue;
    const stopped = Math.max(run.position("stopped", blocker), run.position("abandoned", blocker));
    const stopping = run.position("stopping", service);
    assert.ok(stopped >= 0 && stopping >= 0, `${service} and ${blocker} must both stop`);
    assert.ok(stopped < stopping, `${blocker} must have stopped before ${service} began to stop`);
  }
}
