// The warm-up as a task the service owns, and awaited work.
import type { ServiceScope } from "../../../runtime/api/types.ts";

async function warmUp(keys: string[]): Promise<number> {
  return keys.length;
}

export async function start(scope: ServiceScope) {
  scope.go("warm-up", () => warmUp(["a", "b"]));
  scope.go("refresh", async (signal) => {
    while (!signal.aborted) {
      scope.log(`${await warmUp(["c"])} warmed`);
      await scope.sleep(1_000);
    }
  });
  void Promise.resolve(); // an explicit discard is a decision, not an accident
  return {};
}
