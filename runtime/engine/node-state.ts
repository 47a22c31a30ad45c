// A node of the running tree: its plan, its links to other nodes (built once by plan-index.ts)
// and what happened to it (kept for the report). Edge lists start as one shared empty array and
// plan-index.ts gives a node its own list, at its exact size, only when it has edges: a
// 10k-service tree should not pay for 70k empty arrays.
import type { NodePlan, ServicePlan, SupervisorPlan } from "../api/plan.ts";
import type { ServiceInstance } from "./service-instance.ts";
import type { ReloadFn, StartFn } from "../api/types.ts";

const MAX_KEPT_ERRORS = 100;

/** Shared and frozen: pushing to it is a bug, and throws. */
export const NO_NODES = Object.freeze([]) as unknown as NodeRt[];
const NO_ERRORS = Object.freeze([]) as unknown as unknown[];

export class NodeRt {
  readonly id: string;
  readonly isService: boolean;
  children: NodeRt[] = NO_NODES;
  startFn: StartFn<any, unknown> | undefined;
  /** For one of the replicas of a service: all of them (shared), and its index; its plan id is the service's. */
  replicaGroup: NodeRt[] | undefined = undefined;
  replica = 0;
  /** What the app's reload signal calls, when the service has one. */
  reloadFn: ReloadFn | undefined = undefined;
  /** Orders services by their last successful start (a counter, not a time: many start in one tick). */
  startSeq = 0;
  /** Must have started before this node begins to start: what it needs, and its startAfter. */
  startPreds: NodeRt[] = NO_NODES;
  startDependents: NodeRt[] = NO_NODES;
  /** Must have stopped before this node begins to stop: its stopAfter, and whoever needs it. */
  stopPreds: NodeRt[] = NO_NODES;
  stopDependents: NodeRt[] = NO_NODES;
  /** Nodes whose `needs` name this one: their handles go stale when it restarts. */
  neededBy: NodeRt[] = NO_NODES;
  /** The targets of `plan.needs`, in the same order (resolved once, not on every start). */
  needTargets: NodeRt[] = NO_NODES;
  /**
   * What `scope.deps` holds when enclosing supervisors have needs: the service's own, then theirs,
   * nearest first, each key once (for a supervisor: what it passes down). Undefined: just `needs`.
   */
  deps: { readonly keys: readonly { readonly key: string }[]; readonly targets: readonly NodeRt[] } | undefined = undefined;

  // Run state. A service's current incarnation is `instance`; the rest is kept for the report.
  instance: ServiceInstance | undefined;
  /** Supervisor: times of its recent restarts, for the intensity check. */
  restartLog: readonly number[] = [];
  /** Clock time of its last successful start (for the backoff's reset after a long enough run). */
  upSince: number | undefined;
  /** Restarts in a row caused by its ends: the exponent of its restart backoff. */
  consecutiveRestarts = 0;
  starts = 0;
  restarts = 0;
  /** The most recent errors attributed to it (a service that keeps crashing must not grow this forever). */
  errors: unknown[] = NO_ERRORS;
  errorsDropped = 0;
  startMs: number | undefined;
  stopMs: number | undefined;
  /** Supervisor: gave up (restart limit) or overran its own stop budget in the last stop. */
  gaveUp = false;
  overranBudgetMs: number | undefined;

  constructor(
    readonly index: number,
    readonly plan: NodePlan,
    readonly parent: NodeRt | undefined,
    /** The instance id of a replica (`mailer#1`); the plan's id otherwise. */
    id: string = plan.id,
  ) {
    this.id = id;
    this.isService = plan.kind === "service";
  }

  get service(): ServicePlan {
    return this.plan as ServicePlan;
  }

  get supervisor(): SupervisorPlan {
    return this.plan as SupervisorPlan;
  }

  recordErrors(errors: readonly unknown[]): void {
    if (errors.length === 0) return;
    if (this.errors === NO_ERRORS) this.errors = [];
    for (const error of errors) this.errors.push(error);
    const excess = this.errors.length - MAX_KEPT_ERRORS;
    if (excess > 0) {
      this.errors.splice(0, excess);
      this.errorsDropped += excess;
    }
  }
}
