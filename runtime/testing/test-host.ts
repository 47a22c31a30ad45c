// A host for tests: a virtual clock, signals sent by calling a method, log lines and exit codes
// kept in memory, and fatal errors raised by hand.
import type { Host } from "../host/host.ts";
import { VirtualClock } from "../host/clock.ts";

export interface TestHost extends Host {
  readonly clock: VirtualClock;
  /** Every line written through `writeLog`, in order. */
  readonly logs: string[];
  /** Every code passed to `exit`, in order. */
  readonly exitCodes: number[];
  /** Delivers a signal to the handlers installed for it, as the OS would. */
  sendSignal(signal: string): void;
  /** Reports an error nobody caught, as an unhandled rejection would reach the process. */
  raise(error: unknown, origin?: string): void;
  /** Installed signal and fatal-error handlers, to check that a run removed its own. */
  readonly handlerCount: number;
}

export function createTestHost(clock: VirtualClock = new VirtualClock()): TestHost {
  const signalHandlers = new Map<string, Set<() => void>>();
  const fatalHandlers = new Set<(error: unknown, origin: string) => void>();
  const logs: string[] = [];
  const exitCodes: number[] = [];
  return {
    clock,
    logs,
    exitCodes,
    onSignal(signal, handler) {
      const handlers = signalHandlers.get(signal) ?? new Set();
      signalHandlers.set(signal, handlers);
      // Wrapped, so the same function installed twice stays two installations, as with process.on.
      const installed = (): void => handler();
      handlers.add(installed);
      return () => void handlers.delete(installed);
    },
    exit: (code) => void exitCodes.push(code),
    writeLog: (line) => void logs.push(line),
    onFatal(handler) {
      const installed = (error: unknown, origin: string): void => handler(error, origin);
      fatalHandlers.add(installed);
      return () => void fatalHandlers.delete(installed);
    },
    sendSignal(signal) {
      for (const handler of [...(signalHandlers.get(signal) ?? [])]) handler();
    },
    raise(error, origin = "unhandledRejection") {
      for (const handler of [...fatalHandlers]) handler(error, origin);
    },
    get handlerCount() {
      let count = fatalHandlers.size;
      for (const handlers of signalHandlers.values()) count += handlers.size;
      return count;
    },
  };
}
