// swallowed-abort: the loop of the issue. Once aborted, the sleep rejects at once, the catch
// retries, and the task spins on microtasks: the event loop never turns again.
import { setTimeout as sleep } from "node:timers/promises";
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  let runs = 0;
  scope.go("retry", async (signal) => {
    for (;;) {
      try {
        await sleep(250, undefined, { signal });
        runs++;
      } catch {
        // BUG: retries whatever the error, the abort included
      }
    }
  });
  return { runs: () => runs };
}
