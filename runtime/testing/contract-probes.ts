// Cases of the generated suite that look inside the services (through what the test doubles
// record) and at the whole-app budgets: why a service is told to stop, the order of its
// finalizers, a start cancelled by the signal, the grace as the last bound, and the restart
// policies of temporary and transient services. Like contract-cases.ts, every expectation comes
// from the contract, which the compiler derived from the spec.
import assert from "node:assert/strict";
import type { AppPlan, NodePlan } from "../api/plan.ts";
import type { BackoffCase, Contract, ContractCase, PolicyCase, RestartCase, SpreadCase, SupervisorStopCase } from "./contract.ts";
import type { DoubleBehaviour, DoubleRecord } from "./doubles.ts";
import { simulate, type Simulation } from "./simulate.ts";

/** Finalizers each service registers in the finalizer case; the middle one throws. */
const FINALIZERS = 3;

export function buildProbeCases(plan: AppPlan, contract: Contract): ContractCase[] {
  const [signal] = contract.signals;
  const cases: ContractCase[] = [];
  if (signal !== undefined) {
    cases.push(
      { name: `${signal} reaches every service as scope.signal.reason`, run: () => checkStopReason(plan, contract, signal) },
      { name: `finalizers run in reverse order, and a throwing one does not skip the others`, run: () => checkFinalizers(plan, contract, signal) },
    );
    // With a drain, the stop begins only when it ends: these timings are the drain case's business.
    const drained = contract.drainMs !== undefined;
    const starter = drained ? undefined : findStartCandidate(contract);
    if (starter !== undefined) cases.push({ name: `${starter} still starting when ${signal} arrives is cancelled at once`, run: () => checkStartCancelled(plan, contract, signal, starter) });
    if (Number.isFinite(contract.graceMs) && !drained) {
      cases.push({ name: `with no stop timeout, every service hanging: the grace (${contract.graceMs}ms) ends the shutdown`, run: () => checkGrace(plan, contract, signal) });
    }
  }
  for (const c of contract.supervisorStops) {
    if (signal === undefined || contract.drainMs !== undefined) continue;
    cases.push({ name: `${c.service} hanging with no stop timeout of its own is abandoned by its supervisors' budget after ${c.budgetMs}ms`, run: () => checkSupervisorStop(plan, signal, c) });
  }
  for (const c of contract.policies) cases.push({ name: describePolicy(c), run: () => checkPolicy(plan, signal, c) });
  for (const c of contract.restarts) {
    if (c.restarted.length + c.stoppedOnly.length > 1) {
      cases.push({ name: `${c.service} crashing once: nothing restarts before the rest of its set, slow to stop, has stopped`, run: () => checkRestartWaitsForStop(plan, signal, c) });
    }
  }
  for (const c of contract.backoffs) {
    cases.push({ name: `${c.service} crashing twice in a row: the second restart waits longer than the first (${c.firstDelayMs}ms)`, run: () => checkBackoffGrows(plan, signal, c) });
  }
  for (const c of contract.spreadCrashes) {
    cases.push({ name: `${c.service} crashing ${c.crashes} times, each more than a period apart: ${describeSupervisor(c.supervisor)} never gives up`, run: () => checkSpreadCrashes(plan, signal, c) });
  }
  return cases;
}

function describeSupervisor(id: string): string {
  return id === "" ? "the app" : `supervisor ${id}`;
}

function findNthPosition(run: Simulation, type: "starting" | "stopped", id: string, nth: number): number {
  let seen = 0;
  return run.events.findIndex((e) => e.type === type && e.id === id && ++seen === nth);
}

/** How long the other members of a restart set take to stop in the slow-stop case. */
const SLOW_STOP_MS = 250;

async function checkRestartWaitsForStop(plan: AppPlan, signal: string | undefined, c: RestartCase): Promise<void> {
  const doubles: Record<string, DoubleBehaviour> = { [c.service]: { crashAfterMs: c.crashAfterMs } };
  for (const id of [...c.restarted, ...c.stoppedOnly]) if (id !== c.service) doubles[id] = { stopMs: SLOW_STOP_MS };
  // The set stops in order, each member taking SLOW_STOP_MS: the signal comes after all of them.
  const members = c.restarted.length + c.stoppedOnly.length;
  const run = await simulate(plan, { signal, signalAtMs: c.signalAtMs + SLOW_STOP_MS * members, doubles });
  const lastStopped = Math.max(...[...c.restarted, ...c.stoppedOnly].map((id) => findNthPosition(run, "stopped", id, 1)));
  for (const id of c.restarted) {
    const again = findNthPosition(run, "starting", id, 2);
    assert.ok(again > lastStopped, `${id} must start again only once the whole restart set has stopped`);
  }
}

async function checkBackoffGrows(plan: AppPlan, signal: string | undefined, c: BackoffCase): Promise<void> {
  const run = await simulate(plan, { signal, signalAtMs: c.signalAtMs, doubles: { [c.service]: { crashAfterMs: 1 } } });
  const delays = run.events.flatMap((e) => (e.type === "restarting" && e.id === c.service ? [e.delayMs] : []));
  assert.ok(delays.length >= 2, `${c.service} must be restarted twice (restarted ${delays.length} times)`);
  assert.equal(delays[0], c.firstDelayMs, "the first restart waits the backoff's minimum");
  assert.ok(delays[1]! > delays[0]! && delays[1]! <= c.secondDelayAtMostMs, `the second restart must wait longer than the first, at most ${c.secondDelayAtMostMs}ms (waited ${delays[1]}ms)`);
}

async function checkSpreadCrashes(plan: AppPlan, signal: string | undefined, c: SpreadCase): Promise<void> {
  const run = await simulate(plan, { signal, signalAtMs: c.signalAtMs, doubles: { [c.service]: { crashAfterMs: c.crashAfterMs } } });
  const crashes = run.order("crashed").filter((id) => id === c.service).length;
  assert.ok(crashes >= c.crashes, `${c.service} must have crashed ${c.crashes} times (crashed ${crashes})`);
  assert.deepEqual(run.order("gave-up"), [], "restarts a period apart never exceed the intensity");
  assert.equal(run.exitCode, 0);
}

function journalOf(contract: Contract, behaviour: Omit<DoubleBehaviour, "journal">): { journal: DoubleRecord[]; doubles: Record<string, DoubleBehaviour> } {
  const journal: DoubleRecord[] = [];
  return { journal, doubles: Object.fromEntries(contract.services.map((id) => [id, { ...behaviour, journal }])) };
}

function readSignalAt(run: Simulation): number {
  const at = run.firstAt("signal");
  assert.ok(at !== undefined, "the signal was never received");
  return at;
}

async function checkStopReason(plan: AppPlan, contract: Contract, signal: string): Promise<void> {
  const { journal, doubles } = journalOf(contract, {});
  const run = await simulate(plan, { signal, doubles });
  assert.equal(run.exitCode, 0);
  for (const id of contract.services) {
    const aborted = journal.find((r) => r.id === id && r.what === "aborted");
    assert.ok(aborted !== undefined, `${id}: its scope.signal was never aborted`);
    assert.deepEqual((aborted as { reason: unknown }).reason, { kind: "signal", signal }, `${id}: scope.signal.reason`);
  }
}

async function checkFinalizers(plan: AppPlan, contract: Contract, signal: string): Promise<void> {
  const { journal, doubles } = journalOf(contract, { finalizers: FINALIZERS, throwingFinalizer: 2 });
  await simulate(plan, { signal, doubles });
  const expected = Array.from({ length: FINALIZERS }, (_, i) => FINALIZERS - i);
  for (const id of contract.services) {
    const ran = journal.filter((r) => r.id === id && r.what === "finalizer").map((r) => (r as { n: number }).n);
    assert.deepEqual(ran, expected, `${id}: finalizers must run last registered first, all of them`);
  }
}

/**
 * A service that needs nothing (it starts first, so the signal can catch it while it starts),
 * preferably one that must wait for another to stop first, which can be up meanwhile: with that
 * one hanging, only cancelling the start in flight stops it at the signal.
 */
function findStartCandidate(contract: Contract): string | undefined {
  const dependent = new Set(contract.startEdges.map(([service]) => service));
  const candidates = contract.services.filter((id) => !dependent.has(id) && contract.startTimeoutMs[id]! > 2);
  const blocked = candidates.find((id) => contract.stopEdges.some(([service, blocker]) => service === id && !findDependentsOf(contract, id).has(blocker)));
  return blocked ?? candidates[0];
}

function findDependentsOf(contract: Contract, id: string): Set<string> {
  const found = new Set<string>();
  const queue = [id];
  for (let head = 0; head < queue.length; head++) {
    for (const [service, dependency] of contract.startEdges) {
      if (dependency === queue[head] && !found.has(service)) {
        found.add(service);
        queue.push(service);
      }
    }
  }
  return found;
}

async function checkStartCancelled(plan: AppPlan, contract: Contract, signal: string, starter: string): Promise<void> {
  // Its start would take half its start timeout: long after the signal at 1ms.
  const startMs = Math.min(contract.startTimeoutMs[starter]! / 2, 3_600_000);
  const journal: DoubleRecord[] = [];
  // Everything else hangs on stop: nothing but the cancellation of the start can stop it early.
  const doubles: Record<string, DoubleBehaviour> = Object.fromEntries(contract.services.map((id) => [id, { hangStop: true }]));
  doubles[starter] = { startMs, journal };
  const run = await simulate(plan, { signal, signalAtMs: 1, doubles });
  const aborted = journal.find((r) => r.what === "aborted");
  assert.ok(aborted !== undefined, `${starter}: a start in flight must see its signal aborted`);
  assert.equal(aborted.at, readSignalAt(run), `${starter}: its start must be cancelled when the signal arrives`);
  assert.equal(run.at("started", starter), undefined, `${starter}: a cancelled start must not complete`);
}

/** The plan with every stop timeout lifted: only the grace bounds the shutdown. */
function liftStopTimeouts(node: NodePlan): NodePlan {
  return node.kind === "service" ? { ...node, stopTimeoutMs: Infinity } : { ...node, stopTimeoutMs: Infinity, children: node.children.map(liftStopTimeouts) };
}

async function checkGrace(plan: AppPlan, contract: Contract, signal: string): Promise<void> {
  const lifted = { ...plan, root: liftStopTimeouts(plan.root) as AppPlan["root"] };
  const doubles = Object.fromEntries(contract.services.map((id) => [id, { hangStop: true }]));
  const run = await simulate(lifted, { signal, doubles, maxVirtualMs: contract.graceMs * 4 + 60_000 });
  assert.equal(run.exitCode, 1);
  const exitAt = run.firstAt("exit");
  assert.ok(exitAt !== undefined, "the app never exited");
  assert.equal(exitAt - readSignalAt(run), contract.graceMs, "the grace ends the shutdown");
}

/** The plan with one service's stop timeout lifted. */
function liftOne(node: NodePlan, id: string): NodePlan {
  if (node.kind === "service") return node.id === id ? { ...node, stopTimeoutMs: Infinity } : node;
  return { ...node, children: node.children.map((c) => liftOne(c, id)) };
}

async function checkSupervisorStop(plan: AppPlan, signal: string, c: SupervisorStopCase): Promise<void> {
  const lifted = { ...plan, root: liftOne(plan.root, c.service) as AppPlan["root"] };
  const run = await simulate(lifted, { signal, doubles: { [c.service]: { hangStop: true } } });
  const abandoned = run.at("abandoned", c.service);
  assert.ok(abandoned !== undefined, `${c.service} must be abandoned`);
  assert.equal(abandoned - readSignalAt(run), c.budgetMs, `${c.service}: its supervisors' stop timeout bounds its stop`);
}

function describePolicy(c: PolicyCase): string {
  const how = c.ends === "crash" ? "crashing" : "returning";
  return `${c.restart} ${c.service} ${how} once is ${c.restarted ? "started again" : "never started again"}`;
}

async function checkPolicy(plan: AppPlan, signal: string | undefined, c: PolicyCase): Promise<void> {
  const behaviour: DoubleBehaviour = c.ends === "crash" ? { crashAfterMs: c.afterMs } : { endAfterMs: c.afterMs };
  const run = await simulate(plan, { signal, signalAtMs: c.signalAtMs, doubles: { [c.service]: behaviour } });
  const starts = run.events.filter((e) => e.type === "starting" && e.id === c.service).length;
  assert.equal(starts, c.restarted ? 2 : 1, `${c.service} (${c.restart}) ${c.restarted ? "must" : "must not"} start again`);
  if (!c.restarted && c.ends === "crash") {
    // Its policy is the whole answer: no restart set is stopped or started for it.
    assert.ok(run.order("not-restarted").includes(c.service), `${c.service}: its end must be reported as not restarted`);
    assert.ok(!run.events.some((e) => e.type === "restarting" && e.id === c.service), `${c.service} must not go through a restart`);
  }
}
