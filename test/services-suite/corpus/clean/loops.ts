// Task loops that end on the signal: the signal passed to what they await, the abort rethrown or
// checked in every catch, their own controller aborted by a finalizer.
import { once, EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Scope } from "../../corpus-types.ts";

const jobs = new EventEmitter();

export async function start(scope: Scope) {
  let runs = 0;
  scope.go("consumer", async (signal) => {
    try {
      for (;;) await once(jobs, "job", { signal });
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  });
  scope.go("poller", async (signal) => {
    while (!signal.aborted) {
      try {
        await sleep(250, undefined, { signal });
        runs++;
      } catch (error) {
        if (signal.aborted) break; // the abort ends the loop; anything else is retried
        scope.log(`retrying: ${String(error)}`);
      }
    }
  });
  const controller = new AbortController();
  scope.defer(() => controller.abort());
  scope.signal.addEventListener("abort", () => controller.abort(scope.signal.reason), { once: true });
  scope.go("tail", async () => {
    while (!controller.signal.aborted) await once(jobs, "line", { signal: controller.signal }).catch(() => undefined);
  });
  return { runs: () => runs };
}
