// Needs the store: started after the real one, or with the double of services.fixtures.ts.
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope<{ store: { get(key: string): string | undefined } }>) {
  const { store } = scope.deps;
  if (store.get("config") === undefined) throw new Error("no config in the store");
  scope.go("reader", async (signal) => {
    while (!signal.aborted) {
      store.get("config");
      await scope.sleep(100);
    }
  });
}
