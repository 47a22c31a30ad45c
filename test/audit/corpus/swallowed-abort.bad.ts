// The retry loop: the sleep does get the signal, but the catch swallows the AbortError and
// the loop goes on, spinning on microtasks once aborted.
import { setTimeout } from "node:timers/promises";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  let runs = 0;
  scope.go("retry", async (signal) => {
    for (;;) {
      try {
        await setTimeout(250, undefined, { signal });
        runs++;
      } catch { // expect: SUP5003
        /* retry */
      }
    }
  });
  return { runs: () => runs };
}
