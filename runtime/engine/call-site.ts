// Where a task was started, for reports of what hung ("still running: loop, started at
// api.ts:42"). Capturing a V8 stack is cheap; formatting it is not, and happens only when a report
// reads it. The capture is kept short, and frames inside the runtime are skipped when reading.
import { fileURLToPath } from "node:url";

export interface CallSite {
  stack?: string;
}

/** The runtime's root folder: this file is in engine/, one level below it. */
const RUNTIME_DIR = fileURLToPath(new URL("..", import.meta.url));
/** Runtime frames (go, the attribution context) come first, so keep enough for a few of the caller's. */
const FRAMES_KEPT = 14;

export function captureSite(framesKept = FRAMES_KEPT): CallSite {
  const site: CallSite = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = framesKept;
  Error.captureStackTrace(site);
  Error.stackTraceLimit = limit;
  return site;
}

/** The first frame (innermost) of a captured stack that is not in `skip`: who called, runtime or not. */
export function findCaller(site: CallSite, skip: RegExp): { frame: string; inRuntime: boolean } | undefined {
  const frame = (site.stack ?? "").split("\n").slice(1).find((f) => !skip.test(f) && !/[( ]node:/.test(f));
  return frame === undefined ? undefined : { frame: frame.trim(), inRuntime: frame.includes(RUNTIME_DIR) };
}

/** The frames outside the runtime and Node's internals, innermost first, e.g. "start (file:///app/api.ts:42:9)". */
export function findUserFrames(site: CallSite): string[] {
  const frames = (site.stack ?? "").split("\n").slice(1);
  // "node:" frames are Node's own (node:internal/..., AsyncLocalStorage.run in node:async_hooks).
  return frames.filter((f) => !f.includes(RUNTIME_DIR) && !/[( ]node:/.test(f)).map((f) => f.trim().replace(/^at /, ""));
}
