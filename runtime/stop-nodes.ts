// Stops a set of subtrees in order: a node begins stopping once everything in its (and its
// ancestors') stopAfter, and everything that needs it, has stopped or been abandoned. Each service
// is bounded by its own stop timeout, and a supervisor with a finite stop timeout bounds its
// whole subtree from the moment it begins stopping. Abandoned counts as finished, so the rest
// goes on.
import { DependencyRun } from "./dependency-run.ts";
import type { NodeRt } from "./node-state.ts";
import type { ServiceInstance } from "./service-instance.ts";
import type { StartOwner } from "./start-nodes.ts";
import type { ShutdownReason } from "./types.ts";

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

function abandonService(instance: ServiceInstance, node: NodeRt, budgetMs: number): void {
  instance.abandon({ budgetMs, budget: { kind: "stop-timeout" }, reason: { kind: "timeout", service: node.id, budgetMs } });
}

export function stopNodes(owner: StartOwner, roots: readonly NodeRt[], reason: ShutdownReason): StopRun {
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  /** Supervisors of this run that had something to stop, with when they began and their timer. */
  const active = new Map<NodeRt, { began: number; clearTimer: () => void; overran: boolean; pending: string[] }>();

  const stopService = (node: NodeRt): void => {
    const instance = node.instance;
    if (instance === undefined || instance.isFinished) {
      run.complete(node);
      return;
    }
    instance.stop(reason);
    const budgetMs = node.plan.stopTimeoutMs;
    // A zero budget means "do not wait at all", not "wait until the next timer tick".
    if (budgetMs === 0 && !instance.isFinished) abandonService(instance, node, budgetMs);
    if (instance.isFinished) {
      run.complete(node);
      return;
    }
    // Only a stop still in progress gets a timer (and its closure); most finish synchronously.
    const clearTimer = budgetMs === Infinity ? undefined : owner.setTimer(budgetMs, () => abandonService(instance, node, budgetMs));
    instance.whenFinished(() => {
      clearTimer?.();
      run.complete(node);
    });
  };

  const beginSupervisor = (node: NodeRt): void => {
    if (node.parent !== undefined && findLiveServices(node).length === 0) return;
    const entry = { began: owner.clock.now(), clearTimer: () => {}, overran: false, pending: [] as string[] };
    active.set(node, entry);
    node.overranBudgetMs = undefined;
    owner.emit({ type: "stopping", id: node.id, reason });
    const budgetMs = node.plan.stopTimeoutMs;
    if (budgetMs === Infinity) return;
    const expire = (): void => {
      entry.overran = true;
      node.overranBudgetMs = budgetMs;
      // Everything still running below it is given up on, including what has not begun yet.
      run.batch(() => {
        for (const service of findLiveServices(node)) {
          service.instance!.abandon({
            budgetMs,
            budget: { kind: "supervisor-stop-timeout", supervisor: node.id },
            reason: { kind: "timeout", service: node.id, budgetMs },
          });
          for (const task of service.instance!.abandoned?.pendingTasks ?? []) entry.pending.push(`${service.id}: ${task.name}`);
        }
      });
    };
    if (budgetMs === 0) expire();
    else entry.clearTimer = owner.setTimer(budgetMs, expire);
  };

  const endSupervisor = (node: NodeRt): void => {
    const entry = active.get(node);
    if (entry === undefined) return;
    entry.clearTimer();
    node.stopMs = owner.clock.now() - entry.began;
    if (!entry.overran) owner.emit({ type: "stopped", id: node.id, durationMs: node.stopMs, errors: [] });
    else {
      const budgetMs = node.plan.stopTimeoutMs;
      const budget = { kind: "supervisor-stop-timeout", supervisor: node.id } as const;
      owner.emit({ type: "abandoned", id: node.id, budgetMs, budget, pendingTasks: entry.pending, pendingFinalizers: 0 });
    }
  };

  const run: DependencyRun = new DependencyRun(owner.index.nodes, roots, "stop", {
    begin(node, full) {
      if (node.isService) stopService(node);
      else if (full) beginSupervisor(node);
    },
    end(node, full) {
      if (!node.isService && full) endSupervisor(node);
      if (run.remaining === 0) resolveDone();
    },
  });
  run.start();
  if (run.remaining === 0) resolveDone();
  return { done, batch: (fn) => run.batch(fn) };
}
