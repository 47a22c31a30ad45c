// Where a task was started, for reports of what hung ("still running: loop, started at
// api.ts:42"). Capturing a V8 stack is cheap; formatting it is not, and happens only when a report
// reads it. The capture is kept short, and frames inside the runtime are skipped when reading.
import { fileURLToPath } from "node:url";

export interface CallSite {
  stack?: string;
}

const RUNTIME_DIR = fileURLToPath(new URL(".", import.meta.url));
const FRAMES_KEPT = 8;

export function captureSite(): CallSite {
  const site: CallSite = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES_KEPT;
  Error.captureStackTrace(site);
  Error.stackTraceLimit = limit;
  return site;
}

/** The first frame outside the runtime and Node's internals, e.g. "start (file:///app/api.ts:42:9)". */
export function firstUserFrame(site: CallSite): string | undefined {
  const frames = (site.stack ?? "").split("\n").slice(1);
  const frame = frames.find((f) => !f.includes(RUNTIME_DIR) && !f.includes("node:internal"));
  return frame?.trim().replace(/^at /, "");
}
