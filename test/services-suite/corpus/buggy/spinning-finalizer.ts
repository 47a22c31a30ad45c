// frozen-loop: a finalizer that waits for a flag only a timer would set.
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  let flushed = false;
  scope.defer(() => {
    setTimeout(() => (flushed = true), 10);
    while (!flushed) {
      // BUG: the timer can never fire
    }
  });
}
