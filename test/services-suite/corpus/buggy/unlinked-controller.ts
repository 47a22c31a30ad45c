// orphan-controller: its own controller, never tied to the scope's signal.
import { once, EventEmitter } from "node:events";
import type { Scope } from "../../corpus-types.ts";

const lines = new EventEmitter();

export async function start(scope: Scope) {
  const controller = new AbortController(); // BUG: never aborted on stop
  scope.go("tail", async () => {
    while (!controller.signal.aborted) await once(lines, "line", { signal: controller.signal });
  });
}
