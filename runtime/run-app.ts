// The two entry points. `runApp` runs an app to completion and says how it ended; `runMain` is
// what a generated main.ts calls: the same on the real process, then exit with the code.
import type { RunResult, RuntimeEvent } from "./events.ts";
import { realHost, type Host } from "./host.ts";
import { createTextLog } from "./log.ts";
import { indexPlan, type Bindings } from "./plan-index.ts";
import type { AppPlan } from "./plan.ts";
import { AppSupervisor } from "./supervisor.ts";

export interface RunOptions {
  /** Defaults to the real process (`realHost`). */
  readonly host?: Host;
  /** Every lifecycle event, as it happens. An exception thrown here is logged, not propagated. */
  readonly onEvent?: (event: RuntimeEvent) => void;
  /** "text" (default): lifecycle lines through `host.writeLog`; "none": silent. */
  readonly log?: "text" | "none";
  /** The jitter source of restart backoff, a number in [0, 1); default Math.random. */
  readonly random?: () => number;
  /**
   * Run service code in a context naming the service, so that an uncaught exception or unhandled
   * rejection it causes is that service's crash rather than a shutdown. Default: true when the
   * host reports uncaught errors (`onFatal`). On Node 20 it makes every promise of the process
   * somewhat slower (docs/runtime.md has figures); false trades attribution for that.
   */
  readonly attributeErrors?: boolean;
}

/**
 * Starts the tree, installs the signal handlers (removed again at the end) and resolves once the
 * app has stopped, with its exit code and report. Rejects only for an invalid plan or bindings,
 * before anything starts. Never exits the process.
 */
export async function runApp(plan: AppPlan, bindings: Bindings, options: RunOptions = {}): Promise<RunResult> {
  const host = options.host ?? realHost;
  const index = indexPlan(plan, bindings);
  const log = options.log === "none" ? undefined : createTextLog(plan, (line) => host.writeLog(line));
  return new AppSupervisor(index, host, { onEvent: options.onEvent, log, random: options.random, attributeErrors: options.attributeErrors }).run();
}

/** `runApp` on the real process, then `exit` with its code once the log output is flushed. */
export async function runMain(plan: AppPlan, bindings: Bindings, options: RunOptions = {}): Promise<void> {
  const host = options.host ?? realHost;
  let exitCode: number;
  try {
    exitCode = (await runApp(plan, bindings, { ...options, host })).exitCode;
  } catch (error) {
    host.writeLog(`[${String(plan?.name)}] cannot run: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  }
  host.exit(exitCode);
}
