// unstoppable-loop: waits for a job that never comes and never looks at its signal.
import { once, EventEmitter } from "node:events";
import type { Scope } from "../../corpus-types.ts";

const jobs = new EventEmitter();

export async function start(scope: Scope) {
  scope.go("consumer", async () => {
    for (;;) await once(jobs, "job"); // BUG: no signal
  });
}
