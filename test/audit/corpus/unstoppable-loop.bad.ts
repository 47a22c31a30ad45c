// A poller whose loop never looks at its signal: after a stop it keeps polling until the runtime
// gives up on it at the stop timeout.
import type { ServiceScope } from "../../../runtime/api/types.ts";

async function poll(): Promise<number> {
  return 1;
}

export async function start(scope: ServiceScope) {
  let polled = 0;
  scope.go("poller", async () => {
    while (true) { // expect: SUP5001
      polled += await poll();
      await scope.sleep(1_000);
    }
  });
  return { polled: () => polled };
}
