// While compile writes a generated set, SIGINT, SIGTERM and SIGHUP wait: the write runs to its end
// (every temporary file written, then all renamed), and only then does the process end by the
// signal, as it would have (exit status 128+n). Without this a Ctrl-C between two renames would
// leave a new plan.ts beside an old main.ts, and one during a write a temporary file behind.
// The write is synchronous, so a signal cannot be handled in the middle of it: Node queues it,
// and the handlers here see it once the write has returned and the event loop turns.

import { constants } from "node:os";

const GUARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Runs `work` with the guarded signals deferred. Should one arrive, `cleanup` runs (removing
 * whatever `work` left pending) and the process ends by that signal; the promise then never
 * settles.
 */
export async function withSignalsDeferred<T>(work: () => T, cleanup: () => void): Promise<T> {
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    received ??= signal;
  };
  for (const signal of GUARDED) process.on(signal, onSignal);
  try {
    return work();
  } finally {
    // Let the event loop deliver a signal that came during the write before the handlers go.
    await turnEventLoop();
    await turnEventLoop();
    for (const signal of GUARDED) process.off(signal, onSignal);
    // A signal that another handler also saw (compile --watch stops on it) is that handler's to
    // act on, now that the write is whole; otherwise the process ends by it.
    if (received !== undefined && process.listenerCount(received) > 0) cleanup();
    else if (received !== undefined) await endBySignal(received, cleanup);
  }
}

function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Raises the signal again with no handler left, so the process ends as the signal says. */
function endBySignal(signal: NodeJS.Signals, cleanup: () => void): Promise<never> {
  cleanup();
  process.kill(process.pid, signal);
  // Delivered at once on POSIX; should it not be, exit with the status the signal would give.
  return new Promise<never>(() => setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 1000));
}
