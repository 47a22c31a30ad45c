// The engine's side of the watchdog (runtime/host/watchdog.ts): who is running when the event
// loop is blocked, and the report when the watchdog ends the process. `probe` and `conclude` run
// inside the blocking code (an inspector interrupt), so they only read state and write the log
// synchronously: nothing here may wait for the loop.
import { findAttributed } from "./attribution.ts";
import { captureSite, findUserFrames } from "./call-site.ts";
import type { PlanIndex } from "./plan-index.ts";
import type { WatchdogClient, WatchdogProbe, WatchdogVerdict } from "../host/watchdog.ts";
import type { BlockedVerdict, EventInput } from "../api/events.ts";

/** Enough frames to get past the inspector's and the hook's own to the blocking code and its callers. */
const FRAMES_KEPT = 40;

export interface WatchdogOwner {
  readonly index: PlanIndex;
  readonly shutdownSignal: string | undefined;
  emit(input: EventInput): void;
  /** Ends the run now, synchronously (report and summary written); returns the exit code. */
  concludeBlocked(verdict: WatchdogVerdict, service: string): number;
}

/** Frames of the code running now, the runtime's, Node's and the inspector's own left out. */
function captureBlockingFrames(): string[] {
  const site = captureSite(FRAMES_KEPT);
  // "<anonymous>" frames are the expression the inspector evaluated, or built-ins (Promise.reject).
  return findUserFrames(site).filter((frame) => !frame.startsWith("<anonymous>") && !frame.endsWith("(<anonymous>)"));
}

/** The services in the middle of a start or a stop: who may be blocking, when the context does not say. */
function findBusy(index: PlanIndex): string[] {
  const busy: string[] = [];
  for (const node of index.nodes) {
    const phase = node.instance?.phase;
    if (phase === "starting" || phase === "stopping") busy.push(node.id);
  }
  return busy;
}

function budgetOf(verdict: WatchdogVerdict): number | undefined {
  if (verdict.kind === "grace") return verdict.graceMs;
  return verdict.kind === "start" ? verdict.startTimeoutMs : undefined;
}

export function createWatchdogClient(owner: WatchdogOwner): WatchdogClient {
  const event = (verdict: BlockedVerdict, blockedMs: number, probe: WatchdogProbe, budgetMs: number | undefined, signal: string | undefined): EventInput => ({
    type: "blocked",
    id: probe.service ?? "",
    verdict,
    blockedMs,
    budgetMs,
    signal,
    stack: probe.frames,
    busy: probe.busy,
  });
  return {
    probe() {
      const running = findAttributed();
      // Another app's service (several apps in one process) is named all the same: it is what blocks.
      const service = running?.node.id;
      return { service, frames: captureBlockingFrames(), busy: service === undefined ? findBusy(owner.index) : [] };
    },
    conclude(verdict, probe) {
      owner.emit(event(verdict.kind, verdict.blockedMs, probe, budgetOf(verdict), verdict.kind === "start" ? undefined : (verdict.signal ?? owner.shutdownSignal)));
      return owner.concludeBlocked(verdict, probe.service ?? "");
    },
    blocked(ms, probe) {
      owner.emit(event("warning", ms, probe ?? { service: undefined, frames: [], busy: [] }, undefined, undefined));
    },
  };
}
