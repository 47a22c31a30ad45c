// leaked-resource: a server nobody closes.
import { once } from "node:events";
import { createServer } from "node:http";
import type { Scope } from "../../corpus-types.ts";

export async function start(_scope: Scope) {
  const server = createServer((_req, res) => res.end("ok")).listen(0, "127.0.0.1"); // BUG: never closed
  await once(server, "listening");
  return { server };
}
