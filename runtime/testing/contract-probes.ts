// Cases of the generated suite that look inside the services (through what the test doubles
// record) and at the whole-app budgets: why a service is told to stop, the order of its
// finalizers, a start cancelled by the signal, the grace as the last bound, and the restart
// policies of temporary and transient services. Like contract-cases.ts, every expectation comes
// from the contract, which the compiler derived from the spec.
import assert from "node:assert/strict";
import type { AppPlan, NodePlan } from "../api/plan.ts";
import type { Contract, ContractCase, PolicyCase } from "./contract.ts";
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
    const starter = findStartCandidate(contract);
    if (starter !== undefined) cases.push({ name: `${starter} still starting when ${signal} arrives is cancelled at once`, run: () => checkStartCancelled(plan, contract, signal, starter) });
    if (Number.isFinite(contract.graceMs)) {
      cases.push({ name: `with no stop timeout, every service hanging: the grace (${contract.graceMs}ms) ends the shutdown`, run: () => checkGrace(plan, contract, signal) });
    }
  }
  for (const c of contract.policies) cases.push({ name: describePolicy(c), run: () => checkPolicy(plan, contract, signal, c) });
  return cases;
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

/** A service that needs nothing: it starts first, so the signal can catch it while it starts. */
function findStartCandidate(contract: Contract): string | undefined {
  const dependent = new Set(contract.startEdges.map(([service]) => service));
  return contract.services.find((id) => !dependent.has(id) && contract.startTimeoutMs[id]! > 2);
}

async function checkStartCancelled(plan: AppPlan, contract: Contract, signal: string, starter: string): Promise<void> {
  // Its start would take half its start timeout: long after the signal at 1ms.
  const startMs = Math.min(contract.startTimeoutMs[starter]! / 2, 3_600_000);
  const journal: DoubleRecord[] = [];
  const run = await simulate(plan, { signal, signalAtMs: 1, doubles: { [starter]: { startMs, journal } } });
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

function describePolicy(c: PolicyCase): string {
  const how = c.ends === "crash" ? "crashing" : "returning";
  return `${c.restart} ${c.service} ${how} once is ${c.restarted ? "started again" : "never started again"}`;
}

async function checkPolicy(plan: AppPlan, contract: Contract, signal: string | undefined, c: PolicyCase): Promise<void> {
  const behaviour: DoubleBehaviour = c.ends === "crash" ? { crashAfterMs: c.afterMs } : { endAfterMs: c.afterMs };
  const run = await simulate(plan, { signal, signalAtMs: c.signalAtMs, doubles: { [c.service]: behaviour } });
  const starts = run.events.filter((e) => e.type === "starting" && e.id === c.service).length;
  assert.equal(starts, c.restarted ? 2 : 1, `${c.service} (${c.restart}) ${c.restarted ? "must" : "must not"} start again`);
  void contract;
}
