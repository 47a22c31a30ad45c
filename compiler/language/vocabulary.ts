// The vocabulary of the language: every setting a block may hold, and every name a setting may
// take, written once. Placement and repetition checks, value checks, the wording of syntax
// errors, the defaults the model applies and the settings table of docs/language.md are read off
// this table (docs/language.md is checked against it by test/front-end/docs.test.ts).
//
// The table is typed against the AST: `satisfies Record<PlacedKind, SettingSpec>` makes a missing
// or an extra row a compile error, so a new setting in compiler/language/ast.ts cannot be
// forgotten here. The names the runtime also needs (strategies, restart policies) are defined in
// runtime/api/plan.ts, which the runtime can import; this file re-uses them.
import type { BlockKind, SettingKind } from "./ast.ts";
import {
  ONE_FOR_ALL,
  ONE_FOR_ONE,
  PERMANENT,
  REST_FOR_ONE,
  RESTART_POLICIES,
  STRATEGIES,
  TEMPORARY,
  TRANSIENT,
  UNCATCHABLE_SIGNALS,
  type RestartPolicy,
  type Strategy,
} from "../../runtime/api/plan.ts";

export { ONE_FOR_ALL, ONE_FOR_ONE, PERMANENT, REST_FOR_ONE, RESTART_POLICIES, STRATEGIES, TEMPORARY, TRANSIENT, UNCATCHABLE_SIGNALS };
export type { RestartPolicy, Strategy };

/** Where `deploy` says the app runs. Only the compiler knows platforms: generated code never sees them. */
export const PLATFORMS = ["kubernetes", "compose", "systemd"] as const;
export type Platform = (typeof PLATFORMS)[number];
/** Each platform by name, to compare against without spelling it again. */
export const [KUBERNETES, COMPOSE, SYSTEMD] = PLATFORMS;

/** Signals that may start a graceful shutdown (Node can install a handler for each, on Linux and macOS). */
export const SHUTDOWN_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"] as const;

/** Signals that can ask a program to stop, by the POSIX list (plus SIGWINCH: Apache's graceful stop). */
export const STOP_SIGNALS = [
  "SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGKILL", "SIGABRT", "SIGALRM", "SIGPIPE",
  "SIGCHLD", "SIGURG", "SIGPROF", "SIGVTALRM", "SIGXCPU", "SIGXFSZ", "SIGSYS", "SIGTRAP", "SIGBUS", "SIGFPE", "SIGILL",
  "SIGSEGV",
] as const;

/** The one stream `ready when` watches. */
export const READY_SOURCES = ["stdout"] as const;

/** Everything placed like a setting: the settings of the AST, and `shutdown`, which the AST keeps apart. */
export type PlacedKind = SettingKind | "shutdown";

/** What a setting's value is, which decides how it is checked and how its default is shown. */
export type ValueKind =
  | "duration"
  | "shutdown-signals"
  | "strategy"
  | "intensity"
  | "module-path"
  | "restart-policy"
  | "refs"
  | "phases"
  | "platform"
  | "command-line"
  | "stop-signal"
  | "readiness"
  | "env-vars"
  | "directory"
  | "duration-range"
  | "count"
  | "reload-signal"
  | "port"
  | "host";

/** A default, for the blocks it applies to: a setting may default differently per block. */
export interface DefaultSpec<V> {
  readonly in: readonly BlockKind[];
  /** The value the model uses when the setting is not written; absent when nothing is assumed. */
  readonly value?: V;
  /** How docs show the default when that is not the value itself ("required", "the spec's directory"). */
  readonly shown?: string;
  /** Where the default comes from, as docs/language.md cites it; "—" when it needs no source. */
  readonly source: string;
}

export interface SettingSpec<V = unknown> {
  /** The keywords as written: `stop timeout` for "stop-timeout". */
  readonly words: string;
  /** The whole line in the notation of docs/language.md: `stop timeout <duration>`. */
  readonly syntax: string;
  /** The blocks it may be written in, in the order messages list them. */
  readonly blocks: readonly BlockKind[];
  readonly value: ValueKind;
  /** Repeatable settings add up (each `needs` line adds to the list); others are given once per block. */
  readonly repeatable: boolean;
  /** Only for a service that runs a program: a module runs inside the supervisor's own process. */
  readonly execOnly?: true;
  /** The setting that it replaces: a service either runs a module or a program. */
  readonly insteadOf?: PlacedKind;
  /** For durations: whether `infinity` is allowed. */
  readonly infinite?: true;
  readonly defaults: readonly DefaultSpec<V>[];
  /** One line on what it means (for editors' hover text). */
  readonly meaning: string;
}

/** Types the default of a row without widening it (`satisfies` alone checks but widens nothing away). */
function setting<V>(spec: SettingSpec<V>): SettingSpec<V> {
  return spec;
}

/** The settings in the order docs/language.md lists them; `shutdown` is placed like one. */
export const SETTINGS = {
  grace: setting<number>({
    words: "grace",
    syntax: "grace <duration>",
    blocks: ["app"],
    value: "duration",
    repeatable: false,
    defaults: [{ in: ["app"], value: 30_000, source: "Kubernetes' default `terminationGracePeriodSeconds`" }],
    meaning: "The budget for the whole shutdown, counted from the first signal.",
  }),
  signals: setting<readonly string[]>({
    words: "signals",
    syntax: "signals <name>, ...",
    blocks: ["app"],
    value: "shutdown-signals",
    repeatable: false,
    defaults: [{ in: ["app"], value: ["SIGTERM", "SIGINT"], source: "what process managers and terminals send" }],
    meaning: "The signals that start a graceful shutdown.",
  }),
  strategy: setting<Strategy>({
    words: "strategy",
    syntax: "strategy <name>",
    blocks: ["app", "supervisor"],
    value: "strategy",
    repeatable: false,
    defaults: [{ in: ["app", "supervisor"], value: ONE_FOR_ONE, source: "Erlang/OTP supervisor default" }],
    meaning: "Which children a supervisor restarts when one of them ends.",
  }),
  intensity: setting<{ readonly max: number; readonly periodMs: number }>({
    words: "intensity",
    syntax: "intensity <n> per <duration>",
    blocks: ["app", "supervisor"],
    value: "intensity",
    repeatable: false,
    defaults: [{ in: ["app", "supervisor"], value: { max: 1, periodMs: 5_000 }, source: "Erlang/OTP supervisor default (intensity 1, period 5 s)" }],
    meaning: "How many restarts within a period a supervisor allows before it gives up.",
  }),
  module: setting<never>({
    words: "module",
    syntax: 'module "<path>"',
    blocks: ["service"],
    value: "module-path",
    repeatable: false,
    defaults: [{ in: ["service"], shown: "required", source: "—" }],
    meaning: "The module that implements the service: it exports `start()` and runs in the supervisor's process.",
  }),
  "start-timeout": setting<number>({
    words: "start timeout",
    syntax: "start timeout <duration>",
    blocks: ["service"],
    value: "duration",
    repeatable: false,
    defaults: [{ in: ["service"], value: 15_000, source: "uber-go/fx default `StartTimeout`" }],
    meaning: "How long a service may take to start before the start counts as failed.",
  }),
  "stop-timeout": setting<number>({
    words: "stop timeout",
    syntax: "stop timeout <duration>",
    blocks: ["service", "supervisor"],
    value: "duration",
    repeatable: false,
    infinite: true,
    defaults: [
      { in: ["service"], value: 5_000, source: "Erlang/OTP worker default shutdown (5000 ms)" },
      { in: ["supervisor"], value: Infinity, source: "Erlang/OTP supervisor-child default; bounded by the enclosing budget and `grace`" },
    ],
    meaning: "How long a node may take to stop before it is abandoned.",
  }),
  restart: setting<RestartPolicy>({
    words: "restart",
    syntax: "restart <name>",
    blocks: ["service", "supervisor"],
    value: "restart-policy",
    repeatable: false,
    defaults: [{ in: ["service", "supervisor"], value: PERMANENT, source: "Erlang/OTP default restart type" }],
    meaning: "Whether a node that ended is started again: always, after a failure only, or never.",
  }),
  needs: setting<never>({
    words: "needs",
    syntax: "needs <ref>, ...",
    blocks: ["service", "supervisor"],
    value: "refs",
    repeatable: true,
    defaults: [{ in: ["service", "supervisor"], shown: "nothing", source: "—" }],
    meaning: "What this node uses: each must have started before it starts, and stops only after it has stopped.",
  }),
  shutdown: setting<never>({
    words: "shutdown",
    syntax: "shutdown <phases>",
    blocks: ["app", "supervisor"],
    value: "phases",
    // Given once per block, but a second line gets its own message (SUP3007), not SUP2004.
    repeatable: false,
    defaults: [{ in: ["app", "supervisor"], shown: "derived from `needs`", source: "see [Shutdown order](#shutdown-order)" }],
    meaning: "The order in which a supervisor stops its children: phases left to right.",
  }),
  deploy: setting<never>({
    words: "deploy",
    syntax: "deploy <platform> [timeout <duration>]",
    blocks: ["app"],
    value: "platform",
    repeatable: false,
    defaults: [{ in: ["app"], shown: "none", source: "the platform's default kill timeout, see [`deploy`](#deploy)" }],
    meaning: "Where the app runs, so that the shutdown is checked against the platform's kill timeout.",
  }),
  exec: setting<never>({
    words: "exec",
    syntax: 'exec "<command line>"',
    blocks: ["service"],
    value: "command-line",
    repeatable: false,
    insteadOf: "module",
    defaults: [{ in: ["service"], shown: "—", source: "see [process services](#process-services-exec)" }],
    meaning: "The program the service runs as a child process, split into arguments without a shell.",
  }),
  "stop-signal": setting<string>({
    words: "stop signal",
    syntax: "stop signal <name>",
    blocks: ["service"],
    value: "stop-signal",
    repeatable: false,
    execOnly: true,
    defaults: [{ in: ["service"], value: "SIGTERM", source: "systemd's default `KillSignal`" }],
    meaning: "The signal a program receives first when it must stop.",
  }),
  "ready-when": setting<never>({
    words: "ready when",
    syntax: 'ready when stdout "<text>"',
    blocks: ["service"],
    value: "readiness",
    repeatable: false,
    execOnly: true,
    defaults: [{ in: ["service"], shown: "started once spawned", source: "—" }],
    meaning: "The program counts as started once a line of its output contains this text.",
  }),
  env: setting<never>({
    words: "env",
    syntax: 'env <NAME> "<value>", ...',
    blocks: ["service"],
    value: "env-vars",
    repeatable: true,
    execOnly: true,
    defaults: [{ in: ["service"], shown: "the supervisor's environment", source: "—" }],
    meaning: "Environment variables for the program, on top of the supervisor's own.",
  }),
  cwd: setting<string>({
    words: "cwd",
    syntax: 'cwd "<directory>"',
    blocks: ["service"],
    value: "directory",
    repeatable: false,
    execOnly: true,
    defaults: [{ in: ["service"], value: ".", shown: "the spec's directory", source: "—" }],
    meaning: "The directory the program runs in, relative to the spec file.",
  }),
  // On the app and a supervisor: the delay before restarting its children; on a service: its own.
  backoff: setting<never>({
    words: "backoff",
    syntax: "backoff <first>..<longest>",
    blocks: ["app", "supervisor", "service"],
    value: "duration-range",
    repeatable: false,
    defaults: [{ in: ["app", "supervisor", "service"], shown: "none: restart at once", source: "OTP restarts at once; see [`backoff`](#backoff)" }],
    meaning: "The delay before a restart: it doubles from the first to at most the longest.",
  }),
  after: setting<never>({
    words: "after",
    syntax: "after <ref>, ...",
    blocks: ["service", "supervisor"],
    value: "refs",
    repeatable: true,
    defaults: [{ in: ["service", "supervisor"], shown: "nothing", source: "systemd's `After=`, without `Requires=`" }],
    meaning: "Start after these (once started) and stop before them, without using them or restarting with them.",
  }),
  replicas: setting<number>({
    words: "replicas",
    syntax: "replicas <n>",
    blocks: ["service"],
    value: "count",
    repeatable: false,
    defaults: [{ in: ["service"], value: 1, source: "one instance, as Compose's `deploy.replicas`" }],
    meaning: "How many instances of the service run, each with its own scope and index, each restarted on its own.",
  }),
  reload: setting<never>({
    words: "reload",
    syntax: "reload <signal>",
    blocks: ["app"],
    value: "reload-signal",
    repeatable: false,
    defaults: [{ in: ["app"], shown: "none", source: "nginx and systemd's `ExecReload` use SIGHUP; see [`reload`](#reload)" }],
    meaning: "The signal that asks each service to reload (its `reload(scope)` export), one at a time, in start order.",
  }),
  "reload-signal": setting<string>({
    words: "reload signal",
    syntax: "reload signal <name>",
    blocks: ["service"],
    value: "stop-signal",
    repeatable: false,
    execOnly: true,
    defaults: [{ in: ["service"], shown: "the app's `reload` signal", source: "—" }],
    meaning: "The signal a program receives when the app reloads.",
  }),
  "health-port": setting<never>({
    words: "health port",
    syntax: "health port <number>",
    blocks: ["app"],
    value: "port",
    repeatable: false,
    defaults: [{ in: ["app"], shown: "none: no health endpoints", source: "—" }],
    meaning: "The port on which the app answers /livez, /readyz and /startupz.",
  }),
  "health-host": setting<never>({
    words: "health host",
    syntax: "health host <address>",
    blocks: ["app"],
    value: "host",
    repeatable: false,
    defaults: [{ in: ["app"], shown: "every interface", source: "Node.js `server.listen` without a host; probes reach a pod by its IP" }],
    meaning: "The address the health endpoints listen on.",
  }),
  drain: setting<number>({
    words: "drain",
    syntax: "drain <duration>",
    blocks: ["app"],
    value: "duration",
    repeatable: false,
    defaults: [{ in: ["app"], value: 0, shown: "none: the stop begins at the signal", source: "—" }],
    meaning: "After the first signal, readiness fails at once and services keep running this long before the ordered stop.",
  }),
} satisfies Record<PlacedKind, SettingSpec<unknown>>;

/** Every placed kind, in table order. */
export const PLACED_KINDS = Object.keys(SETTINGS) as PlacedKind[];

/** How a setting is written: `stop timeout` for "stop-timeout". */
export function settingWords(kind: PlacedKind): string {
  return SETTINGS[kind].words;
}

export function isAllowed(kind: PlacedKind, block: BlockKind): boolean {
  return SETTINGS[kind].blocks.includes(block);
}

/** The settings that only a service running a program (`exec`) can use. */
export const EXEC_ONLY_KINDS: readonly PlacedKind[] = PLACED_KINDS.filter((k) => SETTINGS[k].execOnly === true);

/** The first word of every setting, as the grammar sees it: `stop` for `stop timeout` and `stop signal`. */
export const SETTING_FIRST_WORDS: readonly string[] = [...new Set(PLACED_KINDS.map((k) => SETTINGS[k].words.split(" ")[0]!))];

/** The default of `kind` in a block of kind `block`; throws for a setting that has none there (a bug). */
export function findDefault<V>(spec: SettingSpec<V>, block: BlockKind): V {
  const found = spec.defaults.find((d) => d.in.includes(block));
  if (found?.value === undefined) throw new Error(`'${spec.words}' has no default value in a ${block}`);
  return found.value;
}
