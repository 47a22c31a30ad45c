// uncancellable-wait: reads its signal, but the sleep it awaits cannot be cut short.
import { setTimeout as sleep } from "node:timers/promises";
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  scope.go("poller", async (signal) => {
    while (!signal.aborted) await sleep(60_000); // BUG: sleep without { signal }
  });
}
