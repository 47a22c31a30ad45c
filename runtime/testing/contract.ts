// The shutdown and restart contract a spec promises, as plain data. The compiler derives every
// value from the spec (compiler/emit/contract.ts and restart-contract.ts) and writes it into the
// generated `shutdown.test.ts`; `buildContractCases` (contract-cases.ts) turns it into test cases
// that run the plan on virtual time. Every number is in milliseconds of virtual time: after the
// signal for the stop figures, after the start for the others.
import type { NodeId, PERMANENT, RestartPolicy, Strategy } from "../api/plan.ts";

export interface Contract {
  readonly app: string;
  readonly graceMs: number;
  readonly signals: readonly string[];
  /** Every service, in declaration order. */
  readonly services: readonly NodeId[];
  /** [service, dependency]: the dependency (a service) has started before the service starts. */
  readonly startEdges: readonly (readonly [service: NodeId, dependency: NodeId])[];
  /** [service, blocker]: the blocker (a service) has stopped before the service begins to stop. */
  readonly stopEdges: readonly (readonly [service: NodeId, blocker: NodeId])[];
  /** Per service: how long after the signal it is abandoned when it alone hangs on stop. */
  readonly hungStopMs: Readonly<Record<NodeId, number>>;
  readonly startTimeoutMs: Readonly<Record<NodeId, number>>;
  /** When every service hangs on stop: the exit time after the signal (grace caps it). */
  readonly allHungExitMs: number;
  /** `drain`: readiness fails at the signal and the stop begins this long after it; absent without one. */
  readonly drainMs?: number;
  /** The end of the critical path: the service still stopping when that exit happens. */
  readonly lastToStop: NodeId;
  /** Per supervisor, a permanent child crashing once: what its strategy restarts. */
  readonly restarts: readonly RestartCase[];
  /** The same children crashing in a loop: who gives up, in turn, up to the app. */
  readonly crashLoops: readonly CrashLoopCase[];
  /** The app's reload signal, when it has one: a reload keeps every service running. */
  readonly reloadSignal?: string;
  /** A service whose supervisors' stop timeouts bound it tighter than the grace: at most one. */
  readonly supervisorStops: readonly SupervisorStopCase[];
  /** Temporary and transient services ending: whether their policy restarts them. */
  readonly policies: readonly PolicyCase[];
  /** Consecutive restarts of a child with a backoff: the second waits longer than the first. */
  readonly backoffs: readonly BackoffCase[];
  /** A child crashing more often than the intensity, each crash a period after the last restart. */
  readonly spreadCrashes: readonly SpreadCase[];
}

/** A child crashing 1ms after every start: its first two restarts, by their backoff delays. */
export interface BackoffCase {
  readonly service: NodeId;
  readonly supervisor: NodeId;
  /** The first delay: exactly the backoff's minimum. */
  readonly firstDelayMs: number;
  /** The second is longer than the first and at most this (twice the minimum, within the maximum). */
  readonly secondDelayAtMostMs: number;
  readonly signalAtMs: number;
}

/** Crashes spread wider than the intensity's period never add up: the supervisor never gives up. */
export interface SpreadCase {
  readonly service: NodeId;
  readonly supervisor: NodeId;
  /** Longer than the period: no two restarts fall within one. */
  readonly crashAfterMs: number;
  /** At least this many crashes happen before the signal: more than the intensity allows in one period. */
  readonly crashes: number;
  readonly signalAtMs: number;
}

/** With its own stop timeout lifted, a service hanging on stop is abandoned after its supervisors' budget. */
export interface SupervisorStopCase {
  readonly service: NodeId;
  /** The smallest stop timeout of its supervisors (below the grace). */
  readonly budgetMs: number;
}

/** A temporary or transient service crashing (or returning) once, `afterMs` after it started. */
export interface PolicyCase {
  readonly service: NodeId;
  readonly restart: Exclude<RestartPolicy, typeof PERMANENT>;
  readonly ends: "crash" | "return";
  readonly afterMs: number;
  /** When the signal comes: after the restart, when there is one. */
  readonly signalAtMs: number;
  /** Whether it starts a second time: only a transient service that crashed. */
  readonly restarted: boolean;
}

/** A permanent service crashing once, `crashAfterMs` after it started; the signal comes after its restart. */
export interface RestartCase {
  /** The permanent service that crashes once. */
  readonly service: NodeId;
  readonly supervisor: NodeId;
  readonly strategy: Strategy;
  /** It crashes this long after it started; the signal comes half that long after it restarted. */
  readonly crashAfterMs: number;
  /** When it starts again: the crash plus the first backoff delay (exactly minMs), if any. */
  readonly restartAtMs: number;
  readonly signalAtMs: number;
  /** Services stopped and started again, in declaration order; everything else starts once. */
  readonly restarted: readonly NodeId[];
  /** Temporary services in the set: stopped with it, never started again. */
  readonly stoppedOnly: readonly NodeId[];
}

/** The same service crashing `crashAfterMs` after every start, with no signal: who gives up, in order. */
export interface CrashLoopCase {
  readonly service: NodeId;
  readonly crashAfterMs: number;
  /** Every `gave-up`, in order: its supervisor's first, the app's ("") last. */
  readonly gaveUp: readonly NodeId[];
  /** How often it crashes in all: its supervisor's intensity + 1 before each give-up of that supervisor. */
  readonly crashes: number;
}

/** One test of a contract: register it with a test runner, e.g. uvu's `test(name, run)`. */
export interface ContractCase {
  readonly name: string;
  /** Resolves when the runtime kept the promise; rejects with an `AssertionError` when it did not. */
  readonly run: () => Promise<void>;
}
