// The two entry points. `runApp` runs an app to completion and says how it ended; `runMain` is
// what a generated main.ts calls: the same on the real process (its log format chosen by the
// command line or the environment), then exit with the code.
import type { RunResult, RuntimeEvent } from "../api/events.ts";
import { realHost, type Host } from "../host/host.ts";
import { createJsonLog } from "../logs/log-json.ts";
import { createTextLog, type LifecycleLog } from "../logs/log.ts";
import type { WatchdogSettings } from "../host/watchdog.ts";
import { readLogFormat, readWatchdog } from "./main-options.ts";
import { detectLauncher } from "./launcher-warning.ts";
import { indexPlan, type Bindings, type Reloads } from "../engine/plan-index.ts";
import type { AppPlan } from "../api/plan.ts";
import { AppSupervisor } from "../engine/supervisor.ts";
import { startHealthServer } from "../health/health-server.ts";

export interface RunOptions {
  /** Defaults to the real process (`realHost`). */
  readonly host?: Host;
  /** Every lifecycle event, as it happens. An exception thrown here is logged, not propagated. */
  readonly onEvent?: (event: RuntimeEvent) => void;
  /**
   * Lifecycle output through `host.writeLog`: "text" (default) lines for people, "json" one object
   * per line for log pipelines, "none" silent.
   */
  readonly log?: "text" | "json" | "none";
  /** The jitter source of restart backoff, a number in [0, 1); default Math.random. */
  readonly random?: () => number;
  /**
   * Run service code in a context naming the service, so that an uncaught exception or unhandled
   * rejection it causes is that service's crash rather than a shutdown. Default: true when the
   * host reports uncaught errors (`onFatal`). On Node 20 it makes every promise of the process
   * somewhat slower (docs/runtime.md has figures); false trades attribution for that.
   */
  readonly attributeErrors?: boolean;
  /**
   * The generation id of the code calling: a generated main.ts passes its own, and a plan from
   * another compile (a set half replaced, or files copied between outputs) is refused.
   */
  readonly generation?: string;
  /**
   * For an app with a reload signal: each module service's module, by id. Its `reload(scope)`
   * export, when it has one, is called on each reload signal (generated main.ts passes them).
   */
  readonly reloads?: Reloads;
  /**
   * Holds the grace period when service code starves the event loop (docs/runtime.md, "The
   * watchdog"): `false` for none, or its settings. On by default when the host can run one (the
   * real process can).
   */
  readonly watchdog?: WatchdogSettings | false | undefined;
  /**
   * Serve the plan's health endpoints (`health port` in the spec). Default: on the real process
   * only (a test host on virtual time opens no port).
   */
  readonly serveHealth?: boolean;
}

/**
 * Starts the tree, installs the signal handlers (removed again at the end) and resolves once the
 * app has stopped, with its exit code and report. Rejects only for an invalid plan or bindings,
 * before anything starts. Never exits the process.
 */
export async function runApp(plan: AppPlan, bindings: Bindings, options: RunOptions = {}): Promise<RunResult> {
  const host = options.host ?? realHost;
  checkGeneration(plan, options.generation);
  const index = indexPlan(plan, bindings, options.reloads);
  const format = options.log ?? "text";
  const log = createLog(plan, format, host);
  // Listening before anything starts: a port in use is a reason not to run, said at once. Opened
  // before the supervisor counts the process's resources, so it is not taken for a leak.
  const health = plan.health !== undefined && (options.serveHealth ?? host === realHost) ? await startHealthServer(plan.health) : undefined;
  const onEvent = health === undefined ? options.onEvent : (event: RuntimeEvent): void => {
    health.state.observe(event);
    options.onEvent?.(event);
  };
  try {
    const { random, attributeErrors, watchdog } = options;
    return await new AppSupervisor(index, host, { onEvent, log, random, attributeErrors, watchdog, json: format === "json" }).run();
  } finally {
    // Last: the endpoints answer through the drain and the stop, and never hold the exit.
    health?.close();
  }
}

/** Throws, before anything starts, when main.ts and plan.ts come from different compiles. */
function checkGeneration(plan: AppPlan, generation: string | undefined): void {
  if (generation === undefined || plan?.generation === generation) return;
  const planGeneration = typeof plan?.generation === "string" ? plan.generation : "none";
  throw new Error(`generated files are from different compiles (plan.ts ${planGeneration}, main.ts ${generation}): run supervise compile again`);
}

function createLog(plan: AppPlan, format: "text" | "json" | "none", host: Host): LifecycleLog | undefined {
  const write = (line: string): void => host.writeLog(line);
  if (format === "none") return undefined;
  return format === "json" ? createJsonLog(plan, write) : createTextLog(plan, write);
}

export interface MainOptions extends RunOptions {
  /** The program's arguments (default `process.argv.slice(2)`): `--log-format text|json`. */
  readonly argv?: readonly string[];
  /**
   * Its environment (default `process.env`): `SUPERVISE_LOG_FORMAT=text|json`,
   * `SUPERVISE_WATCHDOG=on|off`, `SUPERVISE_BLOCKED_WARNING=<ms>` (see `watchdog`).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * `runApp` on the real process, then `exit` with its code once the log output is flushed. The log
 * format comes from `options.log`, else `--log-format`, else SUPERVISE_LOG_FORMAT, else text; an
 * invalid one exits with code 2 before anything starts (a usage error, as for a CLI).
 */
export async function runMain(plan: AppPlan, bindings: Bindings, options: MainOptions = {}): Promise<void> {
  const host = options.host ?? realHost;
  const name = String(plan?.name);
  const choice = options.log !== undefined ? { format: options.log } : readLogFormat(options.argv ?? process.argv.slice(2), options.env ?? process.env);
  if ("problem" in choice) {
    host.writeLog(`[${name}] cannot run: ${choice.problem}`);
    host.exit(2);
    return;
  }
  const watchdog = options.watchdog !== undefined ? { settings: options.watchdog } : readWatchdog(options.env ?? process.env);
  if ("problem" in watchdog) {
    host.writeLog(`[${name}] cannot run: ${watchdog.problem}`);
    host.exit(2);
    return;
  }
  const { argv: _argv, env: _env, ...runOptions } = options;
  if (choice.format !== "none") warnAboutLauncher(name, choice.format, host, options.env ?? process.env);
  let exitCode: number;
  try {
    exitCode = (await runApp(plan, bindings, { ...runOptions, host, log: choice.format, watchdog: watchdog.settings })).exitCode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    host.writeLog(choice.format === "json" ? JSON.stringify({ time: new Date().toISOString(), level: "error", app: name, event: "cannot-run", error: message }) : `[${name}] cannot run: ${message}`);
    exitCode = 1;
  }
  host.exit(exitCode);
}

/** Once, before anything starts: a wrapper (npm start, npx) that will not pass the stop signal on. */
function warnAboutLauncher(name: string, format: "text" | "json", host: Host, env: Readonly<Record<string, string | undefined>>): void {
  const warning = detectLauncher({ env, entry: process.argv[1], cwd: process.cwd(), interactive: process.stdin.isTTY === true });
  if (warning === undefined) return;
  host.writeLog(
    format === "json"
      ? JSON.stringify({ time: new Date().toISOString(), app: name, event: "launcher-warning", launcher: warning.launcher, fix: warning.fix, message: warning.message })
      : `[${name}] warning: ${warning.message}`,
  );
}
