// An interval, a server, a listener on process and a child process, each released by a finalizer
// registered before the next await.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  let beats = 0;
  const interval = setInterval(() => beats++, 1_000);
  scope.defer(() => clearInterval(interval));
  const server = createServer((_req, res) => res.end("ok"));
  scope.defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const onHup = (): void => scope.log("reload");
  process.on("SIGHUP", onHup);
  scope.defer(() => void process.off("SIGHUP", onHup));
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  const exited = once(child, "exit");
  scope.defer(async () => {
    child.kill("SIGTERM");
    await exited;
  });
  return { beats: () => beats };
}
