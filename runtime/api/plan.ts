// The shape of the tree that generated code hands to the runtime: plain data, produced by the
// compiler, already checked (names resolved to ids, no cycles, orders computed). The runtime
// still validates it cheaply (unknown ids, cycles) because hand-written plans are possible.

// The names the compiler and the runtime share are defined here, once, as arrays: the types come
// from them, the runtime validates plans against them, and the compiler's vocabulary
// (compiler/language/vocabulary.ts) re-uses them, so no other file needs to spell a name.

/** Erlang/OTP's restart strategies: which children a supervisor restarts when one fails. */
export const STRATEGIES = ["one_for_one", "one_for_all", "rest_for_one"] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** Each strategy by name, to compare against without spelling it again. */
export const [ONE_FOR_ONE, ONE_FOR_ALL, REST_FOR_ONE] = STRATEGIES;

/** Erlang/OTP's restart types: whether a node that ended is started again. */
export const RESTART_POLICIES = ["permanent", "transient", "temporary"] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];
/** Each policy by name: always restarted, restarted after a failure only, never restarted. */
export const [PERMANENT, TRANSIENT, TEMPORARY] = RESTART_POLICIES;

/** Signals no handler ever sees, so none of them can start a shutdown. */
export const UNCATCHABLE_SIGNALS = ["SIGKILL", "SIGSTOP"] as const;

/** Dotted path from the app, e.g. "db" or "workers.mailer". The app's own supervisor is "". */
export type NodeId = string;

export interface DepPlan {
  /** Property name in `scope.deps`. */
  readonly key: string;
  readonly target: NodeId;
}

interface NodePlanBase {
  readonly id: NodeId;
  readonly name: string;
  readonly needs: readonly DepPlan[];
  /** Must have started before this node starts (ancestors' startAfter applies too). */
  readonly startAfter: readonly NodeId[];
  /** Must have stopped before this node begins to stop (ancestors' stopAfter applies too). */
  readonly stopAfter: readonly NodeId[];
  /** Milliseconds; `Infinity` means no limit of its own. */
  readonly stopTimeoutMs: number;
  readonly restart: RestartPolicy;
}

/** Restart delay: exponential from minMs, doubling per consecutive restart, capped at maxMs, with jitter. */
export interface BackoffPlan {
  readonly minMs: number;
  readonly maxMs: number;
}

/** A process service: an external program supervised like a module service. */
export interface ExecPlan {
  /** Program and arguments, already split by the compiler (no shell is ever invoked). */
  readonly argv: readonly string[];
  /** Working directory relative to the spec's directory ("." when not given). */
  readonly cwd: string;
  /** Extra environment variables, on top of the supervisor's own environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Sent to the process group on stop; SIGKILL follows when the stop timeout runs out. */
  readonly stopSignal: string;
  /** When set, the service counts as started once a stdout line contains this text. */
  readonly readyWhenStdout?: string;
  /** Sent to the process group when the app reloads (the app's `reloadSignal` unless set). */
  readonly reloadSignal?: string;
}

export interface ServicePlan extends NodePlanBase {
  readonly kind: "service";
  readonly startTimeoutMs: number;
  /** Present for `exec` services; module services are bound to a start function instead. */
  readonly exec?: ExecPlan;
  /** Overrides the supervisor's backoff for this service. */
  readonly backoff?: BackoffPlan;
  /**
   * How many instances run (absent: 1). Each is a node of its own, `<id>#<i>` for i from 0, with
   * its own scope and restarts; dependents get their handles as a readonly array.
   */
  readonly replicas?: number;
}

export interface SupervisorPlan extends NodePlanBase {
  readonly kind: "supervisor";
  readonly strategy: Strategy;
  readonly intensity: number;
  readonly periodMs: number;
  /** Delay before restarting a child of this supervisor; none (restart at once) when absent. */
  readonly backoff?: BackoffPlan;
  readonly children: readonly NodePlan[];
}

export type NodePlan = ServicePlan | SupervisorPlan;

export interface AppPlan {
  /**
   * The id of the compile that produced this plan, the same in every file it wrote (absent from
   * hand-written plans): `runApp`'s `generation` option must match it.
   */
  readonly generation?: string;
  readonly name: string;
  readonly graceMs: number;
  readonly signals: readonly string[];
  /** The signal that reloads every service (`reload SIGHUP`); none when absent. Not a shutdown signal. */
  readonly reloadSignal?: string;
  /**
   * After the first signal: readiness fails at once, the services keep running this long, then
   * the ordered stop begins. Part of the grace, which counts from the first signal. None when absent.
   */
  readonly drainMs?: number;
  /** Serve /livez, /readyz and /startupz over HTTP (runMain and runApp on the real process). */
  readonly health?: HealthPlan;
  readonly root: SupervisorPlan;
}

/** Where the health endpoints listen. */
export interface HealthPlan {
  readonly port: number;
  /** Every interface when absent (Node.js's default for a server). */
  readonly host?: string;
}
