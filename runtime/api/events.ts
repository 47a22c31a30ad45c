// What the runtime tells the outside world: lifecycle events while it runs, and a report when it
// has stopped. Plain data (errors aside), so tests can compare them and tools can serialize them.
import type { ShutdownReason } from "./types.ts";
import type { PERMANENT, RestartPolicy } from "./plan.ts";

/** A task a scope still runs when it should have ended: what a report names as hung. */
export interface PendingTask {
  readonly name: string;
  /** Id of the scope that owns it (a service id, or a child scope's id). */
  readonly scope: string;
  /** The first stack frame outside the runtime where `go` was called, when known. */
  readonly startedAt: string | undefined;
  /** The stack where `go` was called, runtime frames left out (a few frames: enough to find it). */
  readonly stack: readonly string[];
}

interface EventBase {
  /** Milliseconds since the run started, on the runtime's clock (virtual in tests). */
  readonly at: number;
  /** The node: a service or supervisor id; "" is the app's own supervisor. */
  readonly id: string;
}

/** Whose budget ran out when something was abandoned. */
export type Budget =
  | { readonly kind: "stop-timeout" } // the service's own stop timeout
  | { readonly kind: "supervisor-stop-timeout"; readonly supervisor: string }
  | { readonly kind: "grace" };

export type RuntimeEvent =
  | (EventBase & { readonly type: "starting" })
  | (EventBase & { readonly type: "started"; readonly durationMs: number })
  | (EventBase & { readonly type: "start-failed"; readonly error: unknown; readonly timedOut: boolean })
  | (EventBase & { readonly type: "signal"; readonly signal: string })
  | (EventBase & { readonly type: "stopping"; readonly reason: ShutdownReason })
  | (EventBase & { readonly type: "stopped"; readonly durationMs: number; readonly errors: readonly unknown[] })
  | (EventBase & {
      readonly type: "abandoned";
      readonly budgetMs: number;
      readonly budget: Budget;
      readonly pendingTasks: readonly string[];
      readonly pendingFinalizers: number;
    })
  /**
   * A task rejected while the service was running (`task` names it), or an uncaught exception or
   * unhandled rejection was attributed to it (`task` is "", `origin` says which): the service failed.
   */
  | (EventBase & { readonly type: "crashed"; readonly error: unknown; readonly task: string; readonly origin?: string })
  /** A task of a permanent service returned: the service ended normally. */
  | (EventBase & { readonly type: "ended"; readonly task: string })
  | (EventBase & {
      readonly type: "restarting";
      /** The supervisor applying its strategy. */
      readonly supervisor: string;
      /** The child whose end caused the restart. */
      readonly cause: string;
      /** False for a temporary node: it is stopped with the others but not started again. */
      readonly willStart: boolean;
      /** The backoff: it starts again this long after the set has stopped (0: at once). */
      readonly delayMs: number;
    })
  | (EventBase & { readonly type: "not-restarted"; readonly policy: Exclude<RestartPolicy, typeof PERMANENT> })
  | (EventBase & { readonly type: "gave-up"; readonly restarts: number; readonly periodMs: number })
  /**
   * The event loop did not turn (the watchdog, docs/runtime.md): `id` is the service whose code was
   * running ("" when unknown), `stack` that code's frames. "warning": it turns again after
   * `blockedMs`; otherwise the watchdog ends the process: the grace period ran out, the start took
   * longer than the longest start timeout, or a second signal went unanswered ("forced").
   */
  | (EventBase & {
      readonly type: "blocked";
      readonly verdict: BlockedVerdict;
      readonly blockedMs: number;
      /** The grace period or start timeout that ran out. */
      readonly budgetMs: number | undefined;
      readonly signal: string | undefined;
      readonly stack: readonly string[];
      /** The services starting or stopping at that moment, when the running one is not known. */
      readonly busy: readonly string[];
    })
  | (EventBase & { readonly type: "exit"; readonly code: number; readonly cause: ShutdownReason | undefined })
  /** The reload signal arrived (id ""): each running service with a reload is reloaded in start order. */
  | (EventBase & { readonly type: "reload-requested"; readonly signal: string })
  | (EventBase & { readonly type: "reloading" })
  | (EventBase & { readonly type: "reloaded"; readonly durationMs: number })
  /** Its reload threw, rejected or overran its start timeout: reported, and the app keeps running. */
  | (EventBase & { readonly type: "reload-failed"; readonly error: unknown; readonly timedOut: boolean })
  /** Every service was asked once (id ""). */
  | (EventBase & { readonly type: "reload-finished"; readonly reloaded: number; readonly failed: number; readonly durationMs: number })
  /**
   * The app's readiness changed (id ""): ready once every service has started, not ready from the
   * first signal or the start of a shutdown on. `/readyz` answers from it.
   */
  | (EventBase & { readonly type: "readiness"; readonly ready: boolean; readonly cause: ReadinessCause })
  /** The first signal began the drain (`drainMs`): services keep running, then the ordered stop begins. */
  | (EventBase & { readonly type: "draining"; readonly signal: string; readonly drainMs: number });

/** Why readiness changed: every service started, the first signal, or a shutdown for another cause. */
export type ReadinessCause = "started" | "signal" | "shutdown";

/** When the app was ready and drained, for an app that reports readiness (health or drain in its plan). */
export interface ReadinessReport {
  /** Since the run started; undefined if it never was ready. */
  readonly readyAtMs: number | undefined;
  /** When readiness failed (the first signal, or the start of the shutdown); undefined if it never did. */
  readonly notReadyAtMs: number | undefined;
  /** How long services kept running after the first signal before the stop began; undefined without a drain. */
  readonly drainedMs: number | undefined;
}

export type BlockedVerdict = "warning" | "grace" | "start" | "forced";

export type RuntimeEventType = RuntimeEvent["type"];

/** A node's state when the report was taken. */
export type NodeState = "running" | "stopped" | "abandoned" | "failed" | "never-started";

export interface NodeReport {
  readonly id: string;
  readonly kind: "service" | "supervisor";
  readonly state: NodeState;
  /** Successful starts, the first one included. */
  readonly starts: number;
  readonly restarts: number;
  /** Of the last start and the last stop, when they completed. */
  readonly startMs: number | undefined;
  readonly stopMs: number | undefined;
  /** Why it was last asked to stop. */
  readonly stopReason: ShutdownReason | undefined;
  /** For an abandoned node: the budget it overran (whose, and how long), and what it was still running. */
  readonly budgetMs: number | undefined;
  readonly budget: Budget | undefined;
  readonly pendingTasks: readonly PendingTask[];
  readonly pendingFinalizers: number;
  /** Errors attributed to it: failed starts, crashes, failing finalizers, late errors (the last 100). */
  readonly errors: readonly unknown[];
  /** Older errors not kept, for a node that failed more than 100 times. */
  readonly errorsDropped: number;
}

export interface ShutdownReport {
  readonly app: string;
  readonly exitCode: number;
  /** What started the shutdown (undefined if the run never got that far). */
  readonly cause: ShutdownReason | undefined;
  /** The signal that forced the exit, when a second one arrived. */
  readonly forcedBy: string | undefined;
  readonly durationMs: number;
  /** Every node, supervisors included, in declaration order. */
  readonly nodes: readonly NodeReport[];
  /** Service ids by final state, in declaration order. */
  readonly stopped: readonly string[];
  readonly abandoned: readonly string[];
  readonly failed: readonly string[];
  readonly running: readonly string[];
  readonly neverStarted: readonly string[];
  /**
   * Process resources (handles: timers, sockets, servers, child processes) open after the tree
   * stopped that were not open before it started, counted by type, e.g. `{ Timeout: 2 }`. Empty
   * when nothing was left open; undefined when the host cannot tell (only the real process can).
   */
  readonly leftOpen: Readonly<Record<string, number>> | undefined;
  /** Set when the watchdog ended the process: the event loop was blocked, by that service ("" when unknown). */
  readonly blocked?: { readonly verdict: Exclude<BlockedVerdict, "warning">; readonly service: string; readonly budgetMs: number | undefined } | undefined;
  /** Present when the plan has health endpoints or a drain. */
  readonly readiness?: ReadinessReport;
}

export interface RunResult {
  readonly exitCode: number;
  readonly report: ShutdownReport;
}

/** An event without its timestamp: what the engine emits; `at` is added in one place. */
export type EventInput = RuntimeEvent extends infer E ? (E extends RuntimeEvent ? Omit<E, "at"> : never) : never;
