// The same metrics service, releasing what it opened in finalizers or through the signal.
import { spawn } from "node:child_process";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  let samples = 0;
  const onHangup = (): void => scope.log("reloading");
  const sampler = setInterval(() => samples++, 1_000);
  scope.defer(() => clearInterval(sampler));
  process.on("SIGHUP", onHangup);
  scope.defer(() => {
    process.off("SIGHUP", onHangup);
  });
  const exporter = spawn("node", ["-e", "setInterval(() => {}, 1000)"], { signal: scope.signal });
  exporter.on("error", () => undefined);
  const app = { listen: (port: number) => ({ port, close: () => undefined }) };
  const server = app.listen(9464);
  scope.defer(() => server.close());
  return { samples: () => samples };
}
