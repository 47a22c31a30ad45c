// The JavaScript loop, stopping when asked.
import { setTimeout as sleep } from "node:timers/promises";

export async function start(scope) {
  scope.go("sync", async (signal) => {
    while (!signal.aborted) {
      try {
        await sleep(1_000, undefined, { signal });
      } catch (err) {
        if (!signal.aborted) scope.log(String(err));
      }
    }
  });
  return {};
}
