// The socket's finalizer comes after an await: a start cancelled while connecting leaves it open.
import { once } from "node:events";
import { connect } from "node:net";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  const socket = connect(6379, "127.0.0.1");
  await once(socket, "connect");
  scope.defer(() => void socket.destroy()); // expect: SUP5007
  return { socket };
}
