// A finalizer that throws: the stop reports it.
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  scope.defer(() => {
    throw new Error("close failed"); // BUG: the connection could not be closed
  });
}
