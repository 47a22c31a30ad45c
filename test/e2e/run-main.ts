// Runs a generated main.ts as a real process, as the end-to-end suites need it: through node's
// tsx loader (so a signal reaches it directly), from the repository (so `supervise/runtime`
// resolves), signalled once when ready.
import { spawn, type ChildProcess } from "node:child_process";
import { REPO_ROOT } from "../golden/specs.ts";
import { guardProgress } from "../reliability/progress-guard.ts";

export interface Finished {
  readonly code: number | null;
  readonly log: string;
}

/** Starts a generated main.ts, waits until the runtime reports every service started, signals it. */
export function runAndSignal(mainTs: string, signal: NodeJS.Signals, readyLine: RegExp): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", mainTs], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SHOP_PORT: "0", FORCE_COLOR: "0" },
    });
    let log = "";
    let signalled = false;
    const onData = (chunk: Buffer): void => {
      watchdog.progress();
      log += chunk.toString();
      if (!signalled && readyLine.test(log)) {
        signalled = true;
        child.kill(signal);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    // Ends only a run that shows nothing for 60s: a loaded machine is slow, not stuck.
    const watchdog = guardProgress(60_000, () => {
      child.kill("SIGKILL");
      reject(new Error(`${mainTs} showed no progress for 60s; log:\n${log}`));
    });
    child.on("exit", (code) => {
      watchdog.stop();
      resolve({ code, log });
    });
  });
}
