// The same poller, stopping between polls; and a loop that drains a queue, which ends with it.
import type { ServiceScope } from "../../../runtime/api/types.ts";

async function poll(signal: AbortSignal): Promise<number> {
  return signal.aborted ? 0 : 1;
}

export async function start(scope: ServiceScope) {
  let polled = 0;
  const queue: number[] = [];
  scope.go("poller", async (signal) => {
    while (!signal.aborted) {
      polled += await poll(signal);
      while (queue.length > 0) polled += await Promise.resolve(queue.shift() ?? 0);
      await scope.sleep(1_000);
    }
  });
  // A flag set by an abort listener is the signal, read another way.
  let stopping = false;
  scope.signal.addEventListener("abort", () => (stopping = true), { once: true });
  scope.go("flagged", async () => {
    while (!stopping) await scope.sleep(1_000);
  });
  return { polled: () => polled, push: (n: number) => queue.push(n) };
}
