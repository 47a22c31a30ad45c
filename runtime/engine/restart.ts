// Restarts, the OTP way. When a service ends, its supervisor applies its strategy to choose what
// to restart (one_for_one: the child; one_for_all: all its children; rest_for_one: the child and
// the siblings declared after it), adds everything that needs any of it (their handles went
// stale), stops that set in stop order and starts it again in start order. More than `intensity`
// restarts within `periodMs` and the supervisor gives up: it stops its children and fails to
// its parent, which treats it as a failed child; the root giving up ends the program.
//
// Ends are handled one at a time, in the order they happened: a restart in progress finishes
// before the next end is looked at, and an end reported by an instance that has since been
// replaced is stale and ignored. Ends during the initial start wait until it is complete: a
// restart must never launch a node that the initial start is about to launch too.
//
// With a backoff (backoff.ts) the set is stopped at once and started again after the delay. A
// restart is charged against the intensity when it is carried out, as OTP counts restarts and not
// failures: at once for an immediate restart, after the delay for a delayed one.
import { computeRestartDelay, countConsecutiveRestart, findBackoff } from "./backoff.ts";
import type { NodeRt } from "./node-state.ts";
import type { PlanIndex } from "./plan-index.ts";
import type { ServiceInstance } from "./service-instance.ts";
import type { StartOptions, StartOwner, StartResult } from "./start-nodes.ts";
import { stopNodes } from "./stop-nodes.ts";
import type { ShutdownReason } from "../api/types.ts";
import { ONE_FOR_ALL, ONE_FOR_ONE, TEMPORARY, TRANSIENT } from "../api/plan.ts";

/** What the restart logic needs from the engine. */
export interface RestartOwner extends StartOwner {
  readonly shuttingDown: boolean;
  startNodes(roots: readonly NodeRt[], options?: StartOptions): Promise<StartResult>;
  beginShutdown(reason: ShutdownReason): void;
  /** The jitter source: a number in [0, 1). */
  random(): number;
  /** Waits `ms` on the clock, or less: it resolves as soon as a shutdown begins. */
  waitUnlessShutdown(ms: number): Promise<void>;
}

export interface EndNotice {
  readonly instance: ServiceInstance;
  readonly failure: boolean;
  readonly error: unknown;
  /** Clock time of the end (it may be handled later, after a restart in progress). */
  readonly at: number;
}

export class RestartQueue {
  readonly #owner: RestartOwner;
  #items: EndNotice[] = [];
  #running = false;
  #held = true;

  constructor(owner: RestartOwner) {
    this.#owner = owner;
  }

  push(notice: EndNotice): void {
    if (this.#owner.shuttingDown) return;
    this.#items.push(notice);
    if (!this.#running && !this.#held) void this.#process();
  }

  /** The initial start is complete: handle what ended meanwhile, and what ends from now on. */
  release(): void {
    this.#held = false;
    if (!this.#running && this.#items.length > 0) void this.#process();
  }

  clear(): void {
    this.#items = [];
  }

  async #process(): Promise<void> {
    this.#running = true;
    try {
      while (this.#items.length > 0 && !this.#owner.shuttingDown) await handleEnd(this.#owner, this.#items.shift()!);
    } catch (error) {
      this.#owner.internalError(error);
    } finally {
      this.#running = false;
    }
  }
}

async function handleEnd(owner: RestartOwner, { instance, failure, error, at }: EndNotice): Promise<void> {
  const node = instance.node;
  if (owner.shuttingDown || node.instance !== instance) return;
  const policy = node.plan.restart;
  if (policy === TEMPORARY || (policy === TRANSIENT && !failure)) {
    owner.emit({ type: "not-restarted", id: node.id, policy });
    await stopNodes(owner, [node], instance.scope.reason!).done;
    return;
  }
  await restartChild(owner, node.parent!, node, error, at);
}

/** Restarts `child` of `supervisor` (and what the strategy adds); retries while starts fail. */
async function restartChild(owner: RestartOwner, supervisor: NodeRt, child: NodeRt, error: unknown, endedAt: number): Promise<void> {
  const roots = computeRestartSet(owner.index, supervisor, child);
  const skip = findStayingDown(roots);
  const backoff = findBackoff(supervisor, child);
  let attempt = countConsecutiveRestart(child, backoff, endedAt);
  let cause = { service: child.id, error };
  for (;; attempt = ++child.consecutiveRestarts) {
    if (owner.shuttingDown) return;
    const delayMs = backoff === undefined ? 0 : computeRestartDelay(backoff, attempt, () => owner.random());
    if (delayMs === 0 && !chargeRestart(owner, supervisor)) {
      await giveUp(owner, supervisor);
      return;
    }
    for (const node of roots) {
      const willStart = !skip.has(node);
      owner.emit({ type: "restarting", id: node.id, supervisor: supervisor.id, cause: cause.service, willStart, delayMs: willStart ? delayMs : 0 });
    }
    await stopNodes(owner, roots, { kind: "sibling-failed", service: cause.service, error: cause.error }).done;
    if (owner.shuttingDown) return;
    if (delayMs > 0) {
      // Everything in the set has stopped: a shutdown during the wait has nothing left to stop here.
      await owner.waitUnlessShutdown(delayMs);
      if (owner.shuttingDown) return;
      if (!chargeRestart(owner, supervisor)) {
        await giveUp(owner, supervisor);
        return;
      }
    }
    const topmost = new Set(roots);
    for (const node of walk(roots)) {
      if (skip.has(node)) continue;
      node.restarts++;
      // A restarted supervisor starts afresh, as a new OTP supervisor process would: its
      // intensity record, and the backoff series of everything below it.
      node.restartLog = [];
      node.gaveUp = false;
      if (!topmost.has(node)) node.consecutiveRestarts = 0;
    }
    const result = await owner.startNodes(roots, { skip });
    if (result.kind !== "failed") return;
    // A start that fails during a restart counts as another restart of the same set.
    cause = { service: result.node.id, error: result.error };
  }
}

/** Records a restart; false when it is one more than the supervisor's intensity allows. */
function chargeRestart(owner: RestartOwner, supervisor: NodeRt): boolean {
  const now = owner.clock.now();
  const { intensity, periodMs } = supervisor.supervisor;
  supervisor.restartLog = [...supervisor.restartLog.filter((t) => now - t < periodMs), now];
  return supervisor.restartLog.length <= intensity;
}

async function giveUp(owner: RestartOwner, supervisor: NodeRt): Promise<void> {
  const { intensity, periodMs } = supervisor.supervisor;
  supervisor.gaveUp = true;
  supervisor.restartLog = [];
  owner.emit({ type: "gave-up", id: supervisor.id, restarts: intensity, periodMs });
  const reason: ShutdownReason = { kind: "restart-limit", supervisor: supervisor.id };
  if (supervisor.parent === undefined) {
    owner.beginShutdown(reason);
    return;
  }
  await stopNodes(owner, [supervisor], reason).done;
  if (owner.shuttingDown) return;
  const policy = supervisor.plan.restart;
  if (policy === TEMPORARY) {
    owner.emit({ type: "not-restarted", id: supervisor.id, policy });
    return;
  }
  const label = `supervisor "${supervisor.id}"`;
  const error = new Error(`${label} gave up: more than ${intensity} restart(s) in ${periodMs}ms`);
  await restartChild(owner, supervisor.parent, supervisor, error, owner.clock.now());
}

/**
 * The subtrees to restart, as their topmost nodes in declaration order: what the strategy picks,
 * plus, transitively, every node that needs something in the set or a supervisor containing it.
 * The compiler predicts the same sets independently (compiler/emit/restart-contract.ts, an oracle
 * for the generated suites): keep the two apart, never share code, or a bug in both goes unseen.
 */
export function computeRestartSet(index: PlanIndex, supervisor: NodeRt, child: NodeRt): NodeRt[] {
  const siblings = supervisor.children;
  const strategy = supervisor.supervisor.strategy;
  const picked = strategy === ONE_FOR_ONE ? [child] : strategy === ONE_FOR_ALL ? [...siblings] : siblings.slice(siblings.indexOf(child));
  const inSet = new Uint8Array(index.nodes.length);
  const relayed = new Uint8Array(index.nodes.length);
  const queue: NodeRt[] = [];
  const add = (node: NodeRt): void => {
    for (const member of walk([node])) {
      if (inSet[member.index] === 1) continue;
      inSet[member.index] = 1;
      queue.push(member);
    }
  };
  for (const node of picked) add(node);
  while (queue.length > 0) {
    for (let a: NodeRt | undefined = queue.pop(); a !== undefined && relayed[a.index] === 0; a = a.parent) {
      relayed[a.index] = 1;
      for (const dependent of a.neededBy) if (inSet[dependent.index] === 0) add(dependent);
    }
  }
  return index.nodes.filter((n) => inSet[n.index] === 1 && (n.parent === undefined || inSet[n.parent.index] === 0));
}

/** Temporary nodes (and everything under a temporary supervisor) are never started again. */
function findStayingDown(roots: readonly NodeRt[]): Set<NodeRt> {
  const down = new Set<NodeRt>();
  for (const node of walk(roots)) {
    if (node.plan.restart === TEMPORARY || (node.parent !== undefined && down.has(node.parent))) down.add(node);
  }
  return down;
}

/** Pre-order over the given subtrees, iteratively. */
function* walk(roots: readonly NodeRt[]): Generator<NodeRt> {
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}
