// The retry loop that lets the abort end it.
import { setTimeout } from "node:timers/promises";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  let runs = 0;
  let failures = 0;
  scope.go("retry", async (signal) => {
    for (;;) {
      try {
        await setTimeout(250, undefined, { signal });
        runs++;
      } catch (err) {
        if (signal.aborted) throw err;
        failures++;
      }
    }
  });
  return { runs: () => runs, failures: () => failures };
}
