// frozen-loop: polls for a file only a callback could create, without awaiting.
import { existsSync } from "node:fs";
import type { Scope } from "../../corpus-types.ts";

export async function start(_scope: Scope) {
  while (!existsSync("/nonexistent/supervise-corpus-ready")) {
    // BUG: spins; the event loop never turns
  }
}
