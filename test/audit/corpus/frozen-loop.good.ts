// The same waits, awaited: callbacks run and signals are answered meanwhile.
import { existsSync } from "node:fs";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  const ready = "/tmp/ready";
  while (!existsSync(ready) && !scope.signal.aborted) await scope.sleep(50);
  const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  scope.defer(async () => {
    await flush();
  });
  const items = [3, 2, 1];
  let total = 0;
  while (items.length > 0) total += items.pop() ?? 0; // ends with the list
  return { total };
}
