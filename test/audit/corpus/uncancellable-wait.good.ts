// The same heartbeat with waits that end on a stop: the signal passed, or the scope's sleep.
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  let beats = 0;
  scope.go("heartbeat", async (signal) => {
    while (!signal.aborted) {
      await sleep(5_000, undefined, { signal }).catch(() => undefined);
      beats++;
      await scope.sleep(2_000);
      await sleep(10); // a wait this short does not hold a stop
    }
  });
  return { beats: () => beats };
}
