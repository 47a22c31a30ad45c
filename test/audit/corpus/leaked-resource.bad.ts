// A metrics service that leaves an interval, a listener on process and a child process behind.
import { spawn } from "node:child_process";
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  let samples = 0;
  const onHangup = (): void => scope.log("reloading");
  setInterval(() => samples++, 1_000); // expect: SUP5004
  process.on("SIGHUP", onHangup); // expect: SUP5004
  const exporter = spawn("node", ["-e", "setInterval(() => {}, 1000)"]); // expect: SUP5004
  scope.log(`exporter ${exporter.pid}`);
  const app = { listen: (port: number) => ({ port, close: () => undefined }) };
  app.listen(9464); // expect: SUP5004
  return { samples: () => samples };
}
