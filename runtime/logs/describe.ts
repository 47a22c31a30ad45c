// Wording shared by both lifecycle logs (text and JSON) and the end-of-run report: durations,
// errors on one line, and why something stopped.
import { fileURLToPath } from "node:url";
import type { ShutdownReason } from "../api/types.ts";

/** The runtime's root folder (this file is in logs/): its frames are not the service's code. */
const RUNTIME_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * The frames of an error's stack that are the service's code (or the libraries it called):
 * the runtime's and Node's own left out, e.g. "start (file:///app/api.ts:12:9)".
 */
export function findServiceFrames(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== "string") return [];
  const frames = error.stack.split("\n").filter((line) => /^\s+at /.test(line));
  return frames.filter((f) => !f.includes(RUNTIME_DIR) && !/[( ]node:/.test(f)).map((f) => f.trim().replace(/^at /, ""));
}

/** "250ms", "1.5s", "30s", "2m30s", "1h"; "no limit" for Infinity. */
export function formatDuration(ms: number): string {
  if (ms === Infinity) return "no limit";
  if (ms < 1000) return ms < 10 && !Number.isInteger(ms) ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1))}s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return (h > 0 ? `${h}h` : "") + (m > 0 ? `${m}m` : "") + (s > 0 ? `${s}s` : "");
}

/** One line: "Error: message" for errors, JSON for plain data, String() for the rest. */
export function formatError(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = `${error.name}: ${error.message}`;
  else if (typeof error === "object" && error !== null) {
    try {
      text = JSON.stringify(error);
    } catch {
      text = String(error);
    }
  } else text = String(error);
  return text.replace(/\s*\n\s*/g, " ");
}

function label(id: string): string {
  return id === "" ? "the app" : id;
}

/** Why something is stopping, as the end of a sentence. */
export function describeReason(reason: ShutdownReason): string {
  switch (reason.kind) {
    case "signal":
      return `received ${reason.signal}`;
    case "parent":
      return `its owner ${label(reason.path)} closed`;
    case "sibling-failed":
      if (reason.service === "") return `fatal error: ${formatError(reason.error)}`;
      return reason.error === undefined ? `${reason.service} ended` : `${reason.service} failed: ${formatError(reason.error)}`;
    case "timeout":
      return reason.service === "" ? `grace period of ${formatDuration(reason.budgetMs)} expired` : `${label(reason.service)} ran out of its ${formatDuration(reason.budgetMs)} budget`;
    case "restart-limit":
      return `${reason.supervisor === "" ? "the app" : `supervisor ${reason.supervisor}`} reached its restart limit`;
    case "start-failed":
      return `${reason.service} failed to start: ${formatError(reason.error)}`;
    default: {
      // A new kind of reason must be worded above. Checked when compiling only: describing why
      // something stops must not throw while it stops.
      const unhandled: never = reason;
      return String((unhandled as { readonly kind: unknown }).kind);
    }
  }
}
