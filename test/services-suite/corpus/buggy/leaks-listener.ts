// leaked-resource: a listener left on process.
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  process.on("SIGHUP", () => scope.log("reload")); // BUG: never removed
}
