// A task that checks its signal, but between checks waits on timers no stop can cut short.
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceScope } from "../../../runtime/api/types.ts";

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function start(scope: ServiceScope) {
  let beats = 0;
  scope.go("heartbeat", async (signal) => {
    while (!signal.aborted) {
      await sleep(5_000); // expect: SUP5002
      beats++;
      await delay(2_000); // expect: SUP5002
    }
  });
  return { beats: () => beats };
}
