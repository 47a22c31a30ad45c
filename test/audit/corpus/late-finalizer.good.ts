// The finalizer first, then the wait.
import { once } from "node:events";
import { connect } from "node:net";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  const socket = connect(6379, "127.0.0.1");
  scope.defer(() => void socket.destroy());
  await once(socket, "connect", { signal: scope.signal });
  return { socket };
}
