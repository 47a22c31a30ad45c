// floating-work: work whose rejection nobody awaits.
import { setTimeout as sleep } from "node:timers/promises";
import type { Scope } from "../../corpus-types.ts";

async function refresh(): Promise<void> {
  await sleep(5);
  throw new Error("refresh failed");
}

export async function start(scope: Scope) {
  refresh(); // BUG: not awaited, not handed to scope.go
  scope.log("refreshing");
}
