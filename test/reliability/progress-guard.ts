// A guard for a test that drives a child process: it ends the run only when nothing has happened
// for `quietMs` (no output from the child, no step of ours), never at a fixed time after the start.
// It judges after pending I/O has been handled (setImmediate runs after the poll phase): a test
// process that was blocked for minutes (a synchronous tsc in another suite, a loaded machine)
// first reads what the child wrote meanwhile, instead of killing a child that was only waiting.
export interface ProgressGuard {
  /** Something happened: the quiet period starts again. */
  progress(): void;
  stop(): void;
}

export function guardProgress(quietMs: number, onStuck: () => void): ProgressGuard {
  let last = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = (): void => {
    setImmediate(() => {
      if (stopped) return;
      const quiet = performance.now() - last;
      if (quiet >= quietMs) onStuck();
      else timer = setTimeout(check, quietMs - quiet);
    });
  };
  timer = setTimeout(check, quietMs);
  return {
    progress: () => void (last = performance.now()),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
