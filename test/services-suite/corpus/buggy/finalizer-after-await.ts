// late-finalizer: the server opens, then an await, then its finalizer. A stop during that
// await (a cancelled start) leaves the server open.
import { once } from "node:events";
import { createServer } from "node:http";
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  await scope.sleep(200); // a warm-up that a stop cuts short
  if (scope.signal.aborted) throw new Error("start cancelled");
  scope.defer(() => void server.close()); // BUG: registered after the await
  return {};
}
