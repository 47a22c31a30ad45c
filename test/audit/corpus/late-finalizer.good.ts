// The finalizer first, then the wait.
import { once } from "node:events";
import { connect } from "node:net";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  const socket = connect(6379, "127.0.0.1");
  // Declared here, awaited only when called: not an await between the socket and its finalizer.
  async function nextReply(): Promise<Buffer> {
    const [data] = (await once(socket, "data", { signal: scope.signal })) as [Buffer];
    return data;
  }
  scope.defer(() => void socket.destroy());
  await once(socket, "connect", { signal: scope.signal });
  return { socket, nextReply };
}
