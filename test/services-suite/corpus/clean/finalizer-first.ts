// The finalizer comes before the await: a cancelled start still closes the server.
import { once } from "node:events";
import { createServer } from "node:http";
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  const server = createServer();
  scope.defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  await scope.sleep(200);
  if (scope.signal.aborted) throw new Error("start cancelled");
  return { port: () => (server.address() as { port: number }).port };
}
