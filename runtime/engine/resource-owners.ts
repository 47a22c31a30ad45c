// Which service opened each resource that is still open. `leaks.ts` can only say what the process
// has open after the stop that it did not have before; this names the owner and the place. An
// async hook sees every handle as it is created (timers, intervals, servers, sockets, pipes, child
// processes, file handles, watchers), and the attribution context (attribution.ts) current at that
// moment is the service whose code created it; the hook keeps those until Node destroys them.
//
// The hook is costly (every handle pays for a stack capture), so only the generated services suite
// turns it on (runtime/testing/service-runner.ts), never a production run.
import { createHook } from "node:async_hooks";
import { findAttributed } from "./attribution.ts";
import { captureSite, findUserFrames, type CallSite } from "./call-site.ts";

/** A resource a service opened and that was still open when asked. */
export interface OwnedResource {
  /** "Timeout", "Interval", "TCPSERVERWRAP" (a server), "TCPWRAP" (a socket), "PROCESSWRAP" (a child process), ... */
  readonly type: string;
  /** The service whose code created it. */
  readonly service: string;
  /** Where it was created, the runtime's and Node's own frames left out (innermost first). */
  readonly stack: readonly string[];
  /** The child process's pid, for a PROCESSWRAP that has one. */
  readonly pid: number | undefined;
  /** Order of creation: later than a service's stop means code of it still ran after it stopped. */
  readonly sequence: number;
}

/**
 * Handles that stay open until someone closes them. Requests (a write, a connect, a DNS lookup),
 * immediates, ticks and promises end by themselves and are left out, as in leaks.ts.
 */
const HANDLE_TYPES = new Set([
  "Timeout",
  "TCPWRAP",
  "TCPSERVERWRAP",
  "PIPEWRAP",
  "PIPESERVERWRAP",
  "UDPWRAP",
  "TLSWRAP",
  "PROCESSWRAP",
  "FSEVENTWRAP",
  "STATWATCHER",
  "TTYWRAP",
  "FILEHANDLE",
]);

/** What people call each handle type in a report. */
const HANDLE_NAMES: Readonly<Record<string, string>> = {
  Timeout: "timer (setTimeout)",
  Interval: "interval (setInterval)",
  TCPWRAP: "socket",
  TCPSERVERWRAP: "server",
  PIPEWRAP: "pipe",
  PIPESERVERWRAP: "server (pipe)",
  UDPWRAP: "UDP socket",
  TLSWRAP: "TLS socket",
  PROCESSWRAP: "child process",
  FSEVENTWRAP: "file watcher (fs.watch)",
  STATWATCHER: "file watcher (fs.watchFile)",
  TTYWRAP: "terminal",
  FILEHANDLE: "file handle (fs.promises.open)",
};

/** A readable name for a handle type: "server", "interval (setInterval)". */
export function describeResourceType(type: string): string {
  return HANDLE_NAMES[type] ?? type;
}

/** Node's own frames (the hook, timers, net, http) come first: keep enough for the caller's. */
const FRAMES_KEPT = 40;
/** How far up the chain of causes a handle with no user frame is placed. */
const CAUSES_FOLLOWED = 8;

function captureDeepSite(): CallSite {
  return captureSite(FRAMES_KEPT);
}

interface Entry {
  readonly type: string;
  readonly service: string;
  readonly site: CallSite;
  readonly resource: object;
  readonly sequence: number;
}

export interface ResourceOwners {
  /** Resources still open that a service created, in creation order; only `service`'s when given. */
  open(service?: string): OwnedResource[];
  /** A number that grows with every resource created: compare with `OwnedResource.sequence`. */
  readonly sequence: number;
  /** Turns the hook off. */
  dispose(): void;
}

/** Starts recording which service creates each handle, from now on. */
export function trackResourceOwners(): ResourceOwners {
  const live = new Map<number, Entry>();
  // Short-lived resources (a DNS lookup, a tick) in flight, with where they began and what caused
  // them: a server listening on a host name is created in a lookup's callback, with no user frame
  // on its stack, so its place is found up the chain of causes.
  const inFlight = new Map<number, { readonly site: CallSite; readonly trigger: number }>();
  let sequence = 0;
  const placeOf = (site: CallSite, trigger: number): CallSite => {
    for (let step = 0, id = trigger; step < CAUSES_FOLLOWED && findUserFrames(site).length === 0; step++) {
      const cause = inFlight.get(id);
      if (cause === undefined) break;
      site = cause.site;
      id = cause.trigger;
    }
    return site;
  };
  const hook = createHook({
    init(asyncId, type, trigger, resource) {
      if (type === "PROMISE") return;
      const owner = findAttributed();
      if (owner === undefined) return;
      if (!HANDLE_TYPES.has(type)) {
        inFlight.set(asyncId, { site: captureDeepSite(), trigger });
        return;
      }
      live.set(asyncId, { type, service: owner.node.id, site: placeOf(captureDeepSite(), trigger), resource, sequence: ++sequence });
    },
    destroy(asyncId) {
      if (!live.delete(asyncId)) inFlight.delete(asyncId);
    },
  });
  hook.enable();
  return {
    open(service) {
      const found: OwnedResource[] = [];
      for (const entry of live.values()) {
        if (service !== undefined && entry.service !== service) continue;
        if (isClosed(entry)) continue;
        found.push({
          type: entry.type === "Timeout" && isRepeating(entry.resource) ? "Interval" : entry.type,
          service: entry.service,
          stack: findUserFrames(entry.site),
          pid: readPid(entry.resource),
          sequence: entry.sequence,
        });
      }
      return found;
    },
    get sequence() {
      return sequence;
    },
    dispose: () => void hook.disable(),
  };
}

/** Node emits `destroy` a turn late; a timer already knows it is done (cleared, or fired once). */
function isClosed(entry: Entry): boolean {
  return entry.type === "Timeout" && (entry.resource as { _destroyed?: unknown })._destroyed === true;
}

function isRepeating(resource: object): boolean {
  const repeat = (resource as { _repeat?: unknown })._repeat;
  return typeof repeat === "number";
}

function readPid(resource: object): number | undefined {
  const pid = (resource as { pid?: unknown }).pid;
  return typeof pid === "number" && pid > 0 ? pid : undefined;
}
