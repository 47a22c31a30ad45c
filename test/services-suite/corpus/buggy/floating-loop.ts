// floating-work: a loop started without scope.go outlives the service.
import { setTimeout as sleep } from "node:timers/promises";
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  let ticks = 0;
  void (async () => {
    for (;;) {
      await sleep(50); // BUG: the loop was never handed to scope.go
      ticks++;
    }
  })();
  scope.log("ticking");
  return { ticks: () => ticks };
}
