// JavaScript too: a catch-and-retry loop around a sleep that ignores the signal.
import { setTimeout as sleep } from "node:timers/promises";

export async function start(scope) {
  scope.go("sync", async () => {
    while (true) { // expect: SUP5001
      try {
        await sleep(1_000); // expect: SUP5002
      } catch (err) { // expect: SUP5003
        scope.log(String(err));
      }
    }
  });
  return {};
}
