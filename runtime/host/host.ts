// Everything the runtime needs from the process, behind one interface: tests drive a fake host
// on a virtual clock (runtime/testing/index.ts), production uses `realHost`.
import { realClock } from "./clock.ts";
import type { Clock } from "../api/types.ts";
import { startWatchdog, type Watchdog, type WatchdogClient, type WatchdogConfig } from "./watchdog.ts";

export interface Host {
  readonly clock: Clock;
  /** Calls `handler` on each delivery of `signal`; the returned function uninstalls it. */
  onSignal(signal: string, handler: () => void): () => void;
  /** Ends the process (after pending log output is flushed). */
  exit(code: number): void;
  /** One line of lifecycle output, without its newline. */
  writeLog(line: string): void;
  /**
   * Errors nobody can be blamed for (an unhandled rejection, an uncaught exception): the runtime
   * reports them and shuts down with exit code 1 instead of dying without a report.
   */
  onFatal?(handler: (error: unknown, origin: string) => void): () => void;
  /**
   * Keeps the process alive while the app runs. Signal handlers do not, so an app whose services
   * all wait on promises without I/O would otherwise end with Node's "unsettled top-level await".
   */
  keepAlive?(): () => void;
  /**
   * The types of the process's open resources (timers, sockets, servers, ...), one entry each:
   * compared before the start and after the stop, to warn about what the services left open.
   */
  activeResources?(): readonly string[];
  /**
   * Watches the main thread from outside its event loop, so that the grace period holds even when
   * service code starves the loop (watchdog.ts); undefined when it cannot.
   */
  startWatchdog?(config: WatchdogConfig, client: WatchdogClient): Watchdog | undefined;
}

export const realHost: Host = {
  clock: realClock,
  onSignal(signal, handler) {
    process.on(signal as NodeJS.Signals, handler);
    return () => void process.off(signal as NodeJS.Signals, handler);
  },
  exit(code) {
    process.exitCode = code;
    // On a pipe or file stderr is synchronous on Linux, but not everywhere (and not on a TTY on
    // every platform); the write callback runs once everything before it was handed over.
    process.stderr.write("", () => process.exit(code));
  },
  writeLog(line) {
    process.stderr.write(line + "\n");
  },
  onFatal(handler) {
    const onRejection = (reason: unknown): void => handler(reason, "unhandledRejection");
    const onException = (error: Error, origin: string): void => handler(error, origin);
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onException);
    return () => {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    };
  },
  keepAlive() {
    const interval = setInterval(() => {}, 1 << 30);
    return () => clearInterval(interval);
  },
  activeResources: () => process.getActiveResourcesInfo(),
  startWatchdog,
};
