// leaked-resource: an interval nobody clears.
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  let beats = 0;
  setInterval(() => beats++, 1_000); // BUG: never cleared
  scope.log("heartbeat on");
  return { beats: () => beats };
}
