// The restart contract a spec promises, as data for its generated test suite. Like the shutdown
// contract, every expected value is derived here from the spec (strategies, needs, restart
// policies, intensities, backoff), not read back from the plan at test time: a runtime that picks
// the wrong restart set, restarts out of order or never gives up fails the generated tests.
//
// The rules are the ones docs/runtime.md states: a supervisor's strategy picks the crashed child,
// all its children, or the child and the siblings declared after it; the set then grows,
// transitively, by every node that needs a member or a supervisor holding one; temporary members
// (and all under a temporary supervisor) stop and stay down. More restarts than the intensity
// allows and the supervisor gives up, failing to its parent.
//
// This is an oracle, written independently of the runtime's restart code (runtime/engine/restart.ts,
// `computeRestartSet`) on purpose and never sharing code with it: the generated suites use it to
// test that code, so a bug shared by both would go unseen. Its functions are named `predict*` to
// keep the two apart.
import type { NodeId, ResolvedApp, ResolvedBackoff, ResolvedNode, ResolvedService, ResolvedSupervisor } from "../model/model.ts";
import { nodeTable, type NodeTable } from "../model/node-table.ts";
import { ONE_FOR_ALL, ONE_FOR_ONE, PERMANENT, REST_FOR_ONE, TEMPORARY, TRANSIENT } from "../language/vocabulary.ts";
import type { BackoffCase, Contract, CrashLoopCase, PolicyCase, RestartCase, SpreadCase } from "../../runtime/testing/contract.ts";

/** The restart half of the contract (its shape is defined in runtime/testing/contract.ts). */
export type RestartContract = Pick<Contract, "restarts" | "crashLoops" | "policies" | "backoffs" | "spreadCrashes">;

/** Spread crash cases are simulated only when they fit in this much virtual time. */
const MAX_SPREAD_MS = 12 * 3_600_000;

/** Long enough that a restart and the signal after it fall well between two crashes. */
const CRASH_AFTER_MS = 1000;
/** A crash loop as tight as the clock allows: every supervisor reaches its intensity fast. */
const LOOP_CRASH_AFTER_MS = 1;
/** Beyond this many give-ups the loop is not worth simulating in a generated test. */
const MAX_GAVE_UP = 60;

interface Context {
  /** Nodes by id, their parents, and their positions in declaration order. */
  readonly table: NodeTable;
  readonly neededBy: ReadonlyMap<NodeId, readonly ResolvedNode[]>;
  /**
   * No restart can strand a service: whatever a service needs under a temporary node, it sits
   * under that node too, and stays down with it. Then every restart is clean.
   */
  readonly neverStranded: boolean;
  /** isCleanRestart per restart set: a crash loop's chains up to the app share most of their links. */
  readonly clean: Map<string, boolean>;
  /** The last restart set computed: the chosen child's case asks for the set its check just built. */
  last: { readonly key: string; readonly set: RestartSet } | undefined;
}

interface RestartSet {
  readonly members: ReadonlySet<NodeId>;
  readonly down: ReadonlySet<NodeId>;
}

export function buildRestartContract(app: ResolvedApp): RestartContract {
  const table = nodeTable(app);
  const neededBy = new Map<NodeId, ResolvedNode[]>();
  const nodes = table.nodes;
  // Indexed: these loops visit every node once, cold, where a for-of allocates per step.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    for (let d = 0; d < node.needs.length; d++) {
      const dep = node.needs[d]!;
      const list = neededBy.get(dep.target);
      if (list === undefined) neededBy.set(dep.target, [node]);
      else list.push(node);
    }
  }
  const ctx: Context = { table, neededBy, neverStranded: isNeverStranded(table), clean: new Map(), last: undefined };
  const restarts: RestartCase[] = [];
  const crashLoops: CrashLoopCase[] = [];
  const backoffs: BackoffCase[] = [];
  const spreadCrashes: SpreadCase[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const supervisor = nodes[i]!;
    if (supervisor.kind !== "supervisor") continue;
    const candidates = supervisor.children.filter((c): c is ResolvedService => c.kind === "service" && c.restart === PERMANENT);
    // A strategy restarting the child and the siblings after it: the second candidate when there
    // is one, so that its set differs both from the whole supervisor and from the child alone.
    const ordered = supervisor.strategy === REST_FOR_ONE && candidates.length > 1 ? [candidates[1]!, candidates[0]!, ...candidates.slice(2)] : candidates;
    const chosen = ordered.find((c) => isCleanRestart(ctx, supervisor, c));
    if (chosen === undefined) continue;
    const gaveUp = predictGiveUps(ctx, supervisor, chosen);
    if (gaveUp !== undefined) {
      const crashes = gaveUp.filter((id) => id === supervisor.id).length * (supervisor.intensity.max + 1);
      crashLoops.push({ service: chosen.id, crashAfterMs: LOOP_CRASH_AFTER_MS, gaveUp, crashes });
    }
    // With an intensity of 0 the first crash is already one restart too many: no plain restart to see.
    if (supervisor.intensity.max < 1) continue;
    const backoff = findBackoff(supervisor, chosen);
    if (backoff !== undefined && backoff.minMs < backoff.maxMs && supervisor.intensity.max >= 2) {
      const second = boundDelay(backoff, 2);
      backoffs.push({
        service: chosen.id,
        supervisor: supervisor.id,
        firstDelayMs: backoff.minMs,
        secondDelayAtMostMs: second,
        signalAtMs: 3 * LOOP_CRASH_AFTER_MS + backoff.minMs + second + 1,
      });
    }
    // One crash more than the intensity allows, each a period after the restart before it.
    const crashes = supervisor.intensity.max + 1;
    const spreadAfterMs = supervisor.intensity.periodMs + 1;
    let spreadMs = 0;
    for (let k = 1; k <= crashes; k++) spreadMs += spreadAfterMs + boundDelay(backoff, k);
    if (spreadMs + spreadAfterMs < MAX_SPREAD_MS) {
      spreadCrashes.push({ service: chosen.id, supervisor: supervisor.id, crashAfterMs: spreadAfterMs, crashes, signalAtMs: spreadMs + Math.floor(spreadAfterMs / 2) });
    }
    const { restarted, stoppedOnly } = predictRestartSet(ctx, supervisor, chosen);
    const firstDelayMs = findBackoff(supervisor, chosen)?.minMs ?? 0;
    // The stop begins a drain after the signal: the next crash must come later still.
    const crashAfterMs = CRASH_AFTER_MS + 2 * app.drainMs;
    const restartAtMs = crashAfterMs + firstDelayMs;
    restarts.push({
      service: chosen.id,
      supervisor: supervisor.id,
      strategy: supervisor.strategy,
      crashAfterMs,
      restartAtMs,
      signalAtMs: restartAtMs + crashAfterMs / 2,
      restarted,
      stoppedOnly,
    });
  }
  return { restarts, crashLoops, policies: predictPolicies(ctx), backoffs, spreadCrashes };
}

/**
 * The first temporary and the first transient service of the app: a temporary service that
 * crashes stays down, a transient one that returns stays down, a transient one that crashes
 * starts again (when its supervisor allows a restart and the restart is clean).
 */
function predictPolicies(ctx: Context): PolicyCase[] {
  const cases: PolicyCase[] = [];
  const services = ctx.table.nodes.filter((n): n is ResolvedService => n.kind === "service");
  const temporary = services.find((s) => s.restart === TEMPORARY);
  if (temporary !== undefined) cases.push({ service: temporary.id, restart: TEMPORARY, ends: "crash", afterMs: CRASH_AFTER_MS, signalAtMs: 2 * CRASH_AFTER_MS, restarted: false });
  const transient = services.find((s) => s.restart === TRANSIENT);
  if (transient !== undefined) {
    cases.push({ service: transient.id, restart: TRANSIENT, ends: "return", afterMs: CRASH_AFTER_MS, signalAtMs: 2 * CRASH_AFTER_MS, restarted: false });
    const supervisor = ctx.table.parentOf(transient.id) as ResolvedSupervisor;
    if (supervisor.intensity.max >= 1 && isCleanRestart(ctx, supervisor, transient)) {
      const restartAtMs = CRASH_AFTER_MS + (findBackoff(supervisor, transient)?.minMs ?? 0);
      cases.push({ service: transient.id, restart: TRANSIENT, ends: "crash", afterMs: CRASH_AFTER_MS, signalAtMs: restartAtMs + CRASH_AFTER_MS / 2, restarted: true });
    }
  }
  return cases;
}

function findBackoff(supervisor: ResolvedSupervisor, child: ResolvedNode): ResolvedBackoff | undefined {
  return (child.kind === "service" ? child.backoff : undefined) ?? supervisor.backoff;
}

/** The members of the restart set of `child` in `supervisor`: what the strategy picks, plus whoever needs it. */
function predictRestartMembers(ctx: Context, supervisor: ResolvedSupervisor, child: ResolvedNode): Set<NodeId> {
  const siblings = supervisor.children;
  const at = siblings.indexOf(child);
  const picked = supervisor.strategy === ONE_FOR_ONE ? [child] : supervisor.strategy === ONE_FOR_ALL ? siblings : siblings.slice(at);
  const members = new Set<NodeId>();
  const queue: ResolvedNode[] = [];
  const add = (node: ResolvedNode): void => {
    const stack: ResolvedNode[] = [node];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (members.has(current.id)) continue;
      members.add(current.id);
      queue.push(current);
      if (current.kind === "supervisor") for (const c of current.children) stack.push(c);
    }
  };
  for (const node of picked) add(node);
  // Holders whose dependents were added already; a holder's ancestors are scanned with it.
  const scanned = new Set<NodeId>();
  for (let head = 0; head < queue.length; head++) {
    // A node's handle is stale when it restarts, and so is a handle of any supervisor holding it.
    for (let holder: ResolvedNode | undefined = queue[head]!; holder !== undefined && !scanned.has(holder.id); holder = ctx.table.parentOf(holder.id)) {
      scanned.add(holder.id);
      const dependents = ctx.neededBy.get(holder.id);
      if (dependents !== undefined) for (const dependent of dependents) if (!members.has(dependent.id)) add(dependent);
    }
  }
  return members;
}

/** Members that stay down: temporary nodes and everything under a temporary supervisor of the set. */
function predictStayingDown(ctx: Context, members: ReadonlySet<NodeId>): Set<NodeId> {
  const down = new Set<NodeId>();
  for (const id of members) {
    for (let node: ResolvedNode | undefined = ctx.table.nodeOf(id); node !== undefined; node = ctx.table.parentOf(node.id)) {
      if (node.restart === TEMPORARY && members.has(node.id)) {
        down.add(id);
        break;
      }
    }
  }
  return down;
}

function restartSet(ctx: Context, supervisor: ResolvedSupervisor, child: ResolvedNode): RestartSet {
  const key = restartKey(supervisor, child);
  if (ctx.last?.key === key) return ctx.last.set;
  const members = predictRestartMembers(ctx, supervisor, child);
  const set = { members, down: predictStayingDown(ctx, members) };
  ctx.last = { key, set };
  return set;
}

/** The strategy alone decides the set: every child of a supervisor restarting all its children shares one. */
function restartKey(supervisor: ResolvedSupervisor, child: ResolvedNode): string {
  return supervisor.strategy === ONE_FOR_ALL ? supervisor.id : `${supervisor.id}\0${child.id}`;
}

function predictRestartSet(ctx: Context, supervisor: ResolvedSupervisor, child: ResolvedNode): { restarted: NodeId[]; stoppedOnly: NodeId[] } {
  const { members, down } = restartSet(ctx, supervisor, child);
  const ordered = sortByDeclaration(ctx, [...members].filter((id) => ctx.table.nodeOf(id).kind === "service"));
  return { restarted: ordered.filter((id) => !down.has(id)), stoppedOnly: ordered.filter((id) => down.has(id)) };
}

/** False when a service of the set needs something that stays down: its start would fail, and the case is not a plain restart. */
function isCleanRestart(ctx: Context, supervisor: ResolvedSupervisor, child: ResolvedNode): boolean {
  if (ctx.neverStranded) return true;
  const key = restartKey(supervisor, child);
  let clean = ctx.clean.get(key);
  if (clean === undefined) {
    clean = computeCleanRestart(ctx, supervisor, child);
    ctx.clean.set(key, clean);
  }
  return clean;
}

function isNeverStranded(table: NodeTable): boolean {
  const inSubtree = (id: NodeId, ancestor: NodeId): boolean => {
    const position = table.positionOf(id);
    const start = table.positionOf(ancestor);
    return position >= start && position < table.subtreeEnd[start]!;
  };
  for (let i = 0; i < table.nodes.length; i++) {
    const node = table.nodes[i]!;
    if (node.kind !== "service") continue;
    for (let d = 0; d < node.needs.length; d++) {
      const dep = node.needs[d]!;
      for (let holder: ResolvedNode | undefined = table.nodeOf(dep.target); holder !== undefined; holder = table.parentOf(holder.id)) {
        if (holder.restart === TEMPORARY && !inSubtree(node.id, holder.id)) return false;
      }
    }
  }
  return true;
}

function computeCleanRestart(ctx: Context, supervisor: ResolvedSupervisor, child: ResolvedNode): boolean {
  const { members, down } = restartSet(ctx, supervisor, child);
  // Nodes whose subtree holds a service that stays down: each down service and its ancestors.
  const holdsDown = new Set<NodeId>();
  for (const id of down) {
    if (ctx.table.nodeOf(id).kind !== "service") continue;
    for (let at: NodeId | undefined = id; at !== undefined && !holdsDown.has(at); at = ctx.table.parentOf(at)?.id) holdsDown.add(at);
  }
  if (holdsDown.size === 0) return true;
  for (const id of members) {
    const node = ctx.table.nodeOf(id);
    if (node.kind !== "service" || down.has(id)) continue;
    for (const dep of node.needs) if (holdsDown.has(dep.target)) return false;
  }
  return true;
}

/**
 * The give-ups of a crash loop of `service`: its supervisor gives up after intensity+1 crashes;
 * each parent restarts the failed child `intensity` times and gives up at the next failure, up
 * to the app. Undefined when that is not certain: a temporary supervisor on the way (it stays
 * down and the app runs on), a restart that is not clean, a backoff slow enough that the
 * restarts may never fill an intensity window, or a loop too long to simulate.
 */
function predictGiveUps(ctx: Context, supervisor: ResolvedSupervisor, service: ResolvedService): NodeId[] | undefined {
  let failing: ResolvedNode = service;
  let owner: ResolvedSupervisor | undefined = supervisor;
  let cycleMs = LOOP_CRASH_AFTER_MS;
  let gaveUp: NodeId[] = [];
  // Every failed condition means undefined: the cheap ones first, the restart sets last.
  const links: [ResolvedSupervisor, ResolvedNode][] = [];
  for (; owner !== undefined; failing = owner, owner = ctx.table.parentOf(owner.id)) {
    if (failing !== service && failing.restart === TEMPORARY) return undefined;
    links.push([owner, failing]);
    const backoff = findBackoff(owner, failing);
    // Upper bound of the time from the owner's first restart to its give-up: every restart waits
    // at most its full backoff step, and each failure of the child takes at most `cycleMs`.
    let roundMs = 0;
    for (let k = 1; k <= owner.intensity.max + 1; k++) roundMs += cycleMs + boundDelay(backoff, k);
    if (roundMs >= owner.intensity.periodMs) return undefined;
    gaveUp = [...Array.from({ length: owner.intensity.max + 1 }, () => gaveUp).flat(), owner.id];
    if (gaveUp.length > MAX_GAVE_UP) return undefined;
    cycleMs = roundMs;
  }
  for (const [linkOwner, linkFailing] of links) if (!isCleanRestart(ctx, linkOwner, linkFailing)) return undefined;
  return gaveUp;
}

/** The longest the k-th restart in a row can wait: minMs·2^(k-1) within [minMs, maxMs]. */
function boundDelay(backoff: ResolvedBackoff | undefined, k: number): number {
  if (backoff === undefined) return 0;
  return Math.min(backoff.maxMs, Math.max(backoff.minMs, backoff.minMs * 2 ** Math.min(k - 1, 52)));
}

function sortByDeclaration(ctx: Context, ids: readonly NodeId[]): NodeId[] {
  return [...ids].sort((a, b) => ctx.table.positionOf(a) - ctx.table.positionOf(b));
}
