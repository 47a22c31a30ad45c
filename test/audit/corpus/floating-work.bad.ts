// A warm-up started and forgotten: stop neither waits for it nor sees it fail.
import type { ServiceScope } from "../../../runtime/api/types.ts";

async function warmUp(keys: string[]): Promise<number> {
  return keys.length;
}

export async function start(scope: ServiceScope) {
  warmUp(["a", "b"]); // expect: SUP5005
  // A loop started without scope.go: discarded on purpose, and still outliving the service.
  void (async () => { // expect: SUP5005
    while (!scope.signal.aborted) await warmUp(["d"]);
  })();
  scope.go("refresh", async (signal) => {
    while (!signal.aborted) {
      warmUp(["c"]).then((n) => scope.log(`${n} warmed`)); // expect: SUP5005
      await scope.sleep(1_000);
    }
  });
  return {};
}
