// Needs a store whose real service cannot start here: services.fixtures.ts gives it a double, so
// this service is still tested on its own.
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope<{ "broken-store": { get(key: string): string | undefined } }>) {
  const store = scope.deps["broken-store"];
  if (store.get("config") === undefined) throw new Error("no config in the store");
  scope.go("reader", async (signal) => {
    while (!signal.aborted) {
      store.get("config");
      await scope.sleep(100);
    }
  });
}
