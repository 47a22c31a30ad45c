// leaked-resource: a child process nobody ends.
import { spawn } from "node:child_process";
import type { Scope } from "../../corpus-types.ts";

export async function start(_scope: Scope) {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); // BUG: never killed
  return { pid: child.pid };
}
