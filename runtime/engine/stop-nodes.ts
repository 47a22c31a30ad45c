// Stops a set of subtrees in order: a node begins stopping once everything in its (and its
// ancestors') stopAfter, and everything that needs it, has stopped or been abandoned. Each service
// is bounded by its own stop timeout, and a supervisor with a finite stop timeout bounds its
// whole subtree from the moment it begins stopping. Abandoned counts as finished, so the rest
// goes on.
import { DependencyRun, type RunHooks } from "./dependency-run.ts";
import type { NodeRt } from "./node-state.ts";
import type { Abandonment, FinishListener, ServiceInstance } from "./service-instance.ts";
import type { StartOwner } from "./start-nodes.ts";
import type { ShutdownReason } from "../api/types.ts";

export interface StopRun {
  /** Resolves when every node of the run has stopped or been abandoned. */
  readonly done: Promise<void>;
  /** See DependencyRun.batch. */
  batch(fn: () => void): void;
}

/** Every service under `node` (itself included) whose instance has not finished. */
export function findLiveServices(node: NodeRt): NodeRt[] {
  const live: NodeRt[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.instance !== undefined && !current.instance.isFinished) live.push(current);
    for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]!);
  }
  return live;
}


/**
 * Gives up on every service under `node` that is still running, in one batch of `run` (each is
 * told why before any end lets the next node begin), and appends "id: task" to `pending` for each
 * task they were still running. Appended during the batch: the batch's end may already report it.
 */
export function abandonLiveServices(run: StopRun, node: NodeRt, abandonment: Abandonment, pending: string[]): void {
  run.batch(() => {
    for (const service of findLiveServices(node)) {
      service.instance!.abandon(abandonment);
      for (const task of service.instance!.abandoned?.pendingTasks ?? []) pending.push(`${service.id}: ${task.name}`);
    }
  });
}

export function stopNodes(owner: StartOwner, roots: readonly NodeRt[], reason: ShutdownReason): StopRun {
  return new StopPass(owner, roots, reason);
}

/** A supervisor of the pass that had something to stop: when it began, its timer, what overran. */
interface ActiveSupervisor {
  readonly began: number;
  clearTimer: () => void;
  overran: boolean;
  readonly pending: string[];
}

/**
 * One stop pass. A class rather than closures, like StartPass: the same compiled methods from
 * pass to pass, and a service that finishes reports to the pass, not to a closure made for it.
 */
class StopPass implements StopRun, RunHooks, FinishListener {
  readonly done: Promise<void>;
  readonly #owner: StartOwner;
  readonly #reason: ShutdownReason;
  readonly #run: DependencyRun;
  /** Supervisors of this pass that had something to stop. */
  readonly #active = new Map<NodeRt, ActiveSupervisor>();
  #resolveDone!: () => void;

  constructor(owner: StartOwner, roots: readonly NodeRt[], reason: ShutdownReason) {
    this.#owner = owner;
    this.#reason = reason;
    this.done = new Promise<void>((resolve) => (this.#resolveDone = resolve));
    this.#run = new DependencyRun(owner.index.nodes, roots, "stop", this);
    this.#run.start();
    if (this.#run.remaining === 0) this.#resolveDone();
  }

  batch(fn: () => void): void {
    this.#run.batch(fn);
  }

  begin(node: NodeRt, full: boolean): void {
    if (node.isService) this.#stopService(node);
    else if (full) this.#beginSupervisor(node);
  }

  end(node: NodeRt, full: boolean): void {
    if (!node.isService && full) this.#endSupervisor(node);
    if (this.#run.remaining === 0) this.#resolveDone();
  }

  serviceFinished(instance: ServiceInstance): void {
    this.#run.complete(instance.node);
  }

  #stopService(node: NodeRt): void {
    const instance = node.instance;
    if (instance === undefined || instance.isFinished) {
      this.#run.complete(node);
      return;
    }
    instance.stop(this.#reason);
    const budgetMs = node.plan.stopTimeoutMs;
    // A zero budget means "do not wait at all", not "wait until the next timer tick".
    if (budgetMs === 0 && !instance.isFinished) instance.abandonForStopTimeout(budgetMs);
    if (instance.isFinished) {
      this.#run.complete(node);
      return;
    }
    instance.limitStop(budgetMs);
    instance.whenFinished(this);
  }

  #beginSupervisor(node: NodeRt): void {
    if (node.parent !== undefined && findLiveServices(node).length === 0) return;
    const owner = this.#owner;
    const entry: ActiveSupervisor = { began: owner.clock.now(), clearTimer: () => {}, overran: false, pending: [] };
    this.#active.set(node, entry);
    node.overranBudgetMs = undefined;
    owner.emit({ type: "stopping", id: node.id, reason: this.#reason });
    const budgetMs = node.plan.stopTimeoutMs;
    if (budgetMs === Infinity) return;
    const expire = (): void => this.#expireSupervisor(node, entry, budgetMs);
    if (budgetMs === 0) expire();
    else entry.clearTimer = owner.setTimer(budgetMs, expire);
  }

  /** A supervisor's budget ran out: everything still running below it is given up on, including what has not begun yet. */
  #expireSupervisor(node: NodeRt, entry: ActiveSupervisor, budgetMs: number): void {
    entry.overran = true;
    node.overranBudgetMs = budgetMs;
    const abandonment: Abandonment = {
      budgetMs,
      budget: { kind: "supervisor-stop-timeout", supervisor: node.id },
      reason: { kind: "timeout", service: node.id, budgetMs },
    };
    abandonLiveServices(this, node, abandonment, entry.pending);
  }

  #endSupervisor(node: NodeRt): void {
    const entry = this.#active.get(node);
    if (entry === undefined) return;
    const owner = this.#owner;
    entry.clearTimer();
    node.stopMs = owner.clock.now() - entry.began;
    if (!entry.overran) owner.emit({ type: "stopped", id: node.id, durationMs: node.stopMs, errors: [] });
    else {
      const budgetMs = node.plan.stopTimeoutMs;
      const budget = { kind: "supervisor-stop-timeout", supervisor: node.id } as const;
      owner.emit({ type: "abandoned", id: node.id, budgetMs, budget, pendingTasks: entry.pending, pendingFinalizers: 0 });
    }
  }
}
