// The watchdog: the grace period must hold even when a service's code starves the event loop (a
// finalizer that spins, a `catch` that retries an aborted await forever on microtasks, a `start`
// that polls `existsSync`). The runtime's own timers and signal handlers are callbacks of that
// loop, so none of them can run then; something outside it has to.
//
// What works on Node 20 (measured): a worker thread reads a heartbeat the main thread writes to
// shared memory; when it stops changing past a deadline, the worker connects an inspector session
// to the main thread (`Session#connectToMainThread`). Inspector commands reach the main thread as
// V8 interrupts, which JavaScript services even while it spins, synchronous loops and microtask
// loops alike; so `Runtime.evaluate` runs a hook on the main thread, inside the code that blocks
// it: the hook names the service whose code is running (its async context) and the stack, writes
// the report through the normal log and exits with the code. A main thread blocked outside
// JavaScript (a synchronous child process, a hung file system) is not reached by an interrupt: the
// worker then says so on stderr and sends SIGKILL. Worker threads get no signal events, but a
// libuv signal handle in the worker's loop is told of every delivery, so a second signal still
// forces the exit (128 + n) while the main loop is starved.
//
// A clean run pays for a heartbeat timer (unref'd, every 100 ms) and a small worker, booted ahead
// of the run (prepareWatchdogThread) or next to it, and kept for the process's next run. The
// worker looks at the heartbeat every 250 ms until a verdict can be near (a signal, the shutdown),
// then every 50 ms; the inspector is only connected when a deadline has passed (or, if asked, to
// sample a blocked loop).
import { closeSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { BUFFER_BYTES, FLOAT_OFFSET, FLOAT_SLOT, PHASE, SLOT, WATCHDOG_WORKER_SOURCE, type WorkerData, type WorkerInput } from "./watchdog-worker.ts";
import { findSignalNumber } from "./signals.ts";

const HEARTBEAT_MS = 100;
const POLL_MS = 50;
const IDLE_POLL_MS = 250;
const FORCE_AFTER_MS = 250;
const KILL_AFTER_MS = 2_000;
const CONCLUDE_MS = 10_000;
const LOOKS = 5;
export const DEFAULT_MARGIN_MS = 500;

export interface WatchdogSettings {
  /** How far past a deadline (the grace, a start timeout) a blocked loop is tolerated. Default 500 ms. */
  readonly marginMs?: number | undefined;
  /** While running, report a loop blocked longer than this, naming who blocked it. Default: off (Infinity). */
  readonly blockedMs?: number | undefined;
}

/** Why the watchdog ends the process; `blockedMs`: how long the loop had not turned. */
export type WatchdogVerdict =
  /** The grace period ran out (plus the margin) while the loop was blocked. */
  | { readonly kind: "grace"; readonly graceMs: number; readonly blockedMs: number; readonly signal?: string | undefined }
  /** The loop was blocked during the start for longer than the longest start timeout (plus the margin). */
  | { readonly kind: "start"; readonly startTimeoutMs: number; readonly blockedMs: number }
  /** A second shutdown signal was not answered: the loop was blocked. */
  | { readonly kind: "forced"; readonly signal: string; readonly blockedMs: number };

/** What the main thread was running when the watchdog looked. */
export interface WatchdogProbe {
  /** The service whose code was running (its async context), when known. */
  readonly service: string | undefined;
  /** The stack of the blocking code, innermost first, the runtime's frames left out. */
  readonly frames: readonly string[];
  /** When the service is not known: the services starting or stopping at that moment. */
  readonly busy: readonly string[];
}

/** What the engine does for the watchdog; every call runs on the main thread. */
export interface WatchdogClient {
  /** Inside the blocking code: who is running. */
  probe(): WatchdogProbe;
  /** Inside the blocking code: write the report; returns the exit code. The process exits right after. */
  conclude(verdict: WatchdogVerdict, probe: WatchdogProbe): number;
  /** Once the loop turns again after being blocked for `ms` (past `blockedMs`), with what was sampled. */
  blocked(ms: number, probe: WatchdogProbe | undefined): void;
}

export interface WatchdogConfig extends WatchdogSettings {
  readonly app: string;
  readonly json: boolean;
  readonly signals: readonly string[];
  readonly graceMs: number;
}

export interface Watchdog {
  /** The app is starting: a loop blocked longer than `startTimeoutMs` (plus the margin) ends the process. */
  starting(startTimeoutMs: number): void;
  running(): void;
  /** The shutdown began: the process ends by the grace (plus the margin) even if the loop is blocked. */
  stopping(graceMs: number): void;
  /** A shutdown signal reached the main thread's handler. */
  signalHandled(): void;
  /** The run is over: the heartbeat stops and the worker is let go (not awaited). */
  close(): void;
  /**
   * True once the watchdog's thread listens for signals: a signal that comes earlier reaches only
   * the main thread. A thread booted ahead is there within a turn of its loop; one started with the
   * run takes tens of ms (longer on a loaded machine).
   */
  readonly watching: boolean;
  /** The process resources it holds until its thread has ended (`getActiveResourcesInfo` types). */
  readonly resources: readonly string[];
}

type Hook = { look(): boolean; conclude(verdict: WatchdogVerdict): string; sample(): void };

const REGISTRY_KEY = Symbol.for("supervise.watchdog");
let nextKey = 1;

function registry(): Map<number, Hook> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<number, Hook> };
  return (holder[REGISTRY_KEY] ??= new Map());
}

/** The shared time line of both threads (each thread's performance.now() has its own origin). */
function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Exits at once with `code`, from inside the inspector's call. Node prints "Waiting for the
 * debugger to disconnect..." on stderr when the process exits with an inspector session attached
 * (ours); the report is written by then, so the last exit listener closes stderr first.
 */
function exitNow(code: number, worker: Worker): void {
  // Stopped before the exit, which waits for every worker: this one is in the middle of a call to
  // this thread, and must not act on the session closing under it.
  void worker.terminate().catch(() => {});
  process.on("exit", () => {
    try {
      closeSync(2);
    } catch {
      // Already closed: nothing would be printed anyway.
    }
  });
  process.exit(code);
}

/**
 * The watchdog's thread and the memory it shares with this one, for the thread's whole life: a
 * run writes its state there rather than sending a new buffer with its message. Posting a
 * SharedArrayBuffer costs the main thread more than a plain message (2.2 ms against 0.3 ms at the
 * 90th percentile, measured at the start of a run right after a collection, to a thread that
 * ignores it), and the run's number in it tells a thread still on the previous run that it is over.
 */
interface WatchdogThread {
  readonly worker: Worker;
  readonly ints: Int32Array;
  readonly floats: Float64Array;
  /** Runs watched so far: the current one's number is in SLOT.run. */
  runs: number;
}

/** A thread not watching any run: started ahead of the first (prepareWatchdogThread), or kept after one. */
let parked: WatchdogThread | undefined;

/** A new thread, idle until a run posts its input; undefined if none can start. */
function spawnThread(): WatchdogThread | undefined {
  const buffer = new SharedArrayBuffer(BUFFER_BYTES);
  let worker: Worker;
  try {
    worker = new Worker(WATCHDOG_WORKER_SOURCE, {
      eval: true,
      workerData: { buffer, floatOffset: FLOAT_OFFSET } satisfies WorkerData,
      // Not the parent's flags: a TypeScript loader (--import tsx) would be started again for nothing.
      execArgv: [],
      env: {},
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
  } catch {
    return undefined;
  }
  const thread: WatchdogThread = { worker, ints: new Int32Array(buffer, 0, FLOAT_OFFSET / 4), floats: new Float64Array(buffer, FLOAT_OFFSET, 2), runs: 0 };
  // Never what keeps the process alive; a worker that fails must not take the app down (the app
  // then runs unwatched, as it would without).
  worker.unref();
  worker.on("error", () => {});
  worker.once("exit", () => {
    if (parked === thread) parked = undefined;
  });
  return thread;
}

/**
 * Starts the watchdog's thread now, idle until a run takes it. A Node worker takes ~40 ms of CPU
 * to boot (measured on Node 20); booted next to a start, it competes with the start for the
 * machine, and a signal that comes before it listens reaches only the main thread. Started while
 * the app's modules load (the generated main.ts imports `supervise/runtime/watchdog` first), it is
 * listening before the first service starts. Does nothing if a thread is already waiting.
 */
export function prepareWatchdogThread(): void {
  if (parked === undefined) parked = spawnThread();
}

/** Keeps the thread for the next run (it stops watching on its own: the phase says done); one is enough. */
function parkThread(thread: WatchdogThread): void {
  if (parked === undefined && thread.worker.threadId !== -1) parked = thread;
  else void thread.worker.terminate().catch(() => {});
}

/**
 * The shared state of a new run, on the parked thread or a new one. The run's number goes first:
 * a thread still on the previous run (it has not yet seen that run end) stops at its next look
 * instead of reading the new run's state as its own.
 */
function beginRun(): WatchdogThread | undefined {
  const thread = parked ?? spawnThread();
  parked = undefined;
  if (thread === undefined) return undefined;
  const { ints, floats } = thread;
  Atomics.store(ints, SLOT.run, ++thread.runs);
  for (const slot of [SLOT.phase, SLOT.watching, SLOT.handled, SLOT.handledEarly, SLOT.concluding]) Atomics.store(ints, slot, 0);
  floats[FLOAT_SLOT.deadline] = Infinity;
  floats[FLOAT_SLOT.startBudget] = Infinity;
  return thread;
}

/** Starts the watchdog of one run; undefined when this Node cannot run one (no worker threads). */
export function startWatchdog(config: WatchdogConfig, client: WatchdogClient): Watchdog | undefined {
  const thread = beginRun();
  if (thread === undefined) return undefined;
  const { worker, ints, floats, runs: run } = thread;
  const key = nextKey++;
  const signals: [string, number][] = [];
  for (const name of new Set(config.signals)) {
    const number = findSignalNumber(name);
    if (number !== undefined) signals.push([name, number]);
  }
  const input: WorkerInput = {
    run,
    key,
    app: config.app,
    json: config.json,
    signals,
    graceMs: config.graceMs,
    marginMs: config.marginMs ?? DEFAULT_MARGIN_MS,
    blockedMs: config.blockedMs ?? Infinity,
    pollMs: POLL_MS,
    idlePollMs: IDLE_POLL_MS,
    forceAfterMs: FORCE_AFTER_MS,
    killAfterMs: KILL_AFTER_MS,
    concludeMs: CONCLUDE_MS,
    looks: LOOKS,
    slot: SLOT,
    floatSlot: FLOAT_SLOT,
    phases: PHASE,
  };
  // Queued until the thread listens, if it is still booting.
  worker.postMessage(input);

  let sample: WatchdogProbe | undefined;
  let lastBeatAt = performance.now();
  const blockedMs = config.blockedMs ?? Infinity;
  const heartbeat = setInterval(() => {
    Atomics.add(ints, SLOT.beat, 1);
    const at = performance.now();
    const gap = at - lastBeatAt - HEARTBEAT_MS;
    lastBeatAt = at;
    if (gap >= blockedMs) {
      const probe = sample;
      sample = undefined;
      client.blocked(gap, probe);
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const hooks = registry();
  /** The last look that found the service, for a verdict taken where none is current. */
  let found: WatchdogProbe | undefined;
  hooks.set(key, {
    look() {
      const probe = client.probe();
      if (probe.service !== undefined) found = probe;
      return probe.service !== undefined;
    },
    conclude(verdict) {
      Atomics.store(ints, SLOT.concluding, 1);
      const current = client.probe();
      const probe = current.service === undefined && found !== undefined ? found : current;
      let code = 1;
      try {
        code = client.conclude(verdict, probe);
      } finally {
        exitNow(code, worker);
      }
      return "exiting";
    },
    sample() {
      sample = client.probe();
    },
  });

  const setPhase = (phase: number): void => void Atomics.store(ints, SLOT.phase, phase);
  let closed = false;
  return {
    get resources() {
      return worker.threadId === -1 ? [] : ["MessagePort"];
    },
    get watching() {
      return Atomics.load(ints, SLOT.watching) === 1;
    },
    starting(startTimeoutMs) {
      floats[FLOAT_SLOT.startBudget] = startTimeoutMs;
      setPhase(PHASE.starting);
    },
    running() {
      if (Atomics.load(ints, SLOT.phase) === PHASE.starting) setPhase(PHASE.running);
    },
    stopping(graceMs) {
      floats[FLOAT_SLOT.deadline] = Math.min(floats[FLOAT_SLOT.deadline]!, sharedNow() + graceMs);
      setPhase(PHASE.stopping);
    },
    signalHandled() {
      Atomics.add(ints, Atomics.load(ints, SLOT.watching) === 1 ? SLOT.handled : SLOT.handledEarly, 1);
    },
    close() {
      if (closed) return;
      closed = true;
      setPhase(PHASE.done);
      clearInterval(heartbeat);
      hooks.delete(key);
      parkThread(thread);
    },
  };
}
