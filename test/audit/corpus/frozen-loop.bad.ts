// A start that polls for a file and a finalizer that waits for a flush callback, both spinning
// synchronously: no callback runs and no signal is answered while they spin.
import { existsSync } from "node:fs";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  const ready = "/tmp/ready";
  while (!existsSync(ready)) {} // expect: SUP5008
  let flushed = false;
  const flush = (done: () => void): void => void setImmediate(done);
  scope.defer(() => {
    flush(() => (flushed = true));
    while (!flushed) { // expect: SUP5008
      scope.log("waiting for the flush");
    }
  });
  return {};
}
