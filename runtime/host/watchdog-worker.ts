// The watchdog's thread (see watchdog.ts for why it exists). It shares a few numbers with the
// main thread and reads them on its own clock, so it keeps working while the main thread's event
// loop is starved: nothing here needs the main thread to turn.
//
// It runs as `eval` source, not from a file: a worker file would have to be found next to the
// runtime whatever way the runtime is loaded (built, bundled, through tsx), and a TypeScript
// loader would be started again in the worker for nothing. The source is plain JavaScript that
// reads only `workerData` (the shared memory) and each run's message; the slot numbers and phases
// below are the contract with watchdog.ts.

/** Int32 slots of the shared buffer. */
export const SLOT = {
  /** Bumped by the main thread's heartbeat timer: when it stops changing, the loop is not turning. */
  beat: 0,
  phase: 1,
  /** Set by the worker once it listens for signals. */
  watching: 2,
  /** Signals the main thread's handlers have run for while the worker was watching, and before. */
  handled: 3,
  handledEarly: 4,
  /** Set by the main thread when the watchdog's call reached it (it is writing the report). */
  concluding: 5,
  /** The number of the run being watched: a thread still on an earlier run stops when it changes. */
  run: 6,
} as const;

/** Float64 slots, after the Int32 ones (byte offset FLOAT_OFFSET). */
export const FLOAT_SLOT = {
  /** When the grace runs out, on the shared time line (`performance.timeOrigin + now()`); Infinity if not stopping. */
  deadline: 0,
  /** While starting: the longest start timeout of the plan, in ms. */
  startBudget: 1,
} as const;

/** After the Int32 slots, rounded up to a Float64's alignment. */
export const FLOAT_OFFSET = 32;
export const BUFFER_BYTES = FLOAT_OFFSET + 2 * 8;

export const PHASE = { starting: 1, running: 2, stopping: 3, done: 4 } as const;

/** What the thread is given when it starts (`workerData`): the memory it shares with the main thread, for all its runs. */
export interface WorkerData {
  readonly buffer: SharedArrayBuffer;
  /** Where the Float64 slots begin (FLOAT_OFFSET). */
  readonly floatOffset: number;
}

/** What the thread is sent for each run it watches. */
export interface WorkerInput {
  /** The run's number, as in SLOT.run. */
  readonly run: number;
  /** The key of this watchdog in the main thread's registry (several apps may run in one process). */
  readonly key: number;
  readonly app: string;
  readonly json: boolean;
  /** Signal names and numbers that start a shutdown. */
  readonly signals: readonly (readonly [string, number])[];
  readonly graceMs: number;
  readonly marginMs: number;
  readonly blockedMs: number;
  /** How often to look once a verdict can be near (a signal came, or the shutdown began). */
  readonly pollMs: number;
  /** How often to look before that. */
  readonly idlePollMs: number;
  /** How long a second signal may stay unanswered (the loop not turning) before it is forced. */
  readonly forceAfterMs: number;
  /**
   * How long the main thread has to take the watchdog's call before SIGKILL, and how long to end
   * the process once it has (writing a large report on a loaded machine takes a while).
   */
  readonly killAfterMs: number;
  readonly concludeMs: number;
  /** How many times the worker looks for the blocking service before it concludes. */
  readonly looks: number;
  readonly slot: typeof SLOT;
  readonly floatSlot: typeof FLOAT_SLOT;
  readonly phases: typeof PHASE;
}

export const WATCHDOG_WORKER_SOURCE = String.raw`
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const { performance } = require("node:perf_hooks");

// A worker gets no signal events (process.on("SIGTERM") is main-thread only), but a libuv signal
// handle in this thread's loop is told of every delivery, whatever the main thread is doing. The
// binding is deprecated (DEP0111) but present on every Node this runtime supports; without it, a
// second signal cannot force an exit while the loop is starved, and the grace still holds. Looked
// up once, as the thread boots (ahead of the run when it is booted ahead), not at each run.
let Signal;
try {
  process.noDeprecation = true;
  Signal = process.binding("signal_wrap").Signal;
} catch {}

// One run at a time, posted by the main thread: a thread started ahead of the first run waits
// for it, and one that has watched a run is kept for the next, so a process that runs apps one
// after another starts one thread. Every run shares the same memory with the main thread.
let current;
const ints = new Int32Array(workerData.buffer, 0, workerData.floatOffset / 4);
const floats = new Float64Array(workerData.buffer, workerData.floatOffset, 2);
parentPort.on("message", watch);

function watch(input) {
if (current !== undefined) current.stop();
current = undefined;
const { slot, floatSlot, phases } = input;
// A run that ended before its message came: the later run's message follows.
if (Atomics.load(ints, slot.run) !== input.run) return;
const now = () => performance.timeOrigin + performance.now();

let lastBeat = Atomics.load(ints, slot.beat);
let lastChange = now();
let sampled = false;
let acting = false;
let session;
const handles = [];
// Signals this thread saw, in order. The main thread sees the same ones and answers them in order:
// the i-th (from 1) is answered once it has handled i since this thread began watching. Counting
// those handled before, it is the process's n-th signal: the first starts the grace, any later
// one forces the exit.
const seen = [];
function findSignals() {
  const handled = Atomics.load(ints, slot.handled);
  const early = Atomics.load(ints, slot.handledEarly);
  return seen.map((s, i) => ({ name: s.name, at: s.at, answered: handled > i, first: early + i === 0 }));
}
function onSignal(name) {
  seen.push({ name, at: now() });
  lookSoon();
}

// The run's shutdown signals, each with a handle in this thread's loop.
if (Signal !== undefined) try {
  for (const [name, number] of input.signals) {
    const handle = new Signal();
    handle.onsignal = () => onSignal(name);
    if (handle.start(number) === 0) handles.push(handle);
    else handle.close();
  }
} catch {}
Atomics.store(ints, slot.watching, 1);

function write(fields, text) {
  const line = input.json
    ? JSON.stringify({ time: new Date().toISOString(), level: "error", app: input.app, event: "watchdog", ...fields })
    : "[" + input.app + "] " + text;
  try { writeSync(2, line + "\n"); } catch {}
}

function connect() {
  if (session !== undefined) return session;
  const { Session } = require("node:inspector");
  session = new Session();
  session.connectToMainThread();
  return session;
}

function evaluate(call, done) {
  const expression = "globalThis[Symbol.for(\"supervise.watchdog\")]?.get(" + input.key + ")?." + call;
  connect().post("Runtime.evaluate", { expression, returnByValue: true, silent: true }, done);
}

// Ends the process through the main thread (it writes the report and exits with the code); if it
// does not within killAfterMs (it is blocked outside JavaScript, where no interrupt reaches), SIGKILL.
function act(verdict) {
  acting = true;
  const kill = () => {
    write({ verdict: verdict.kind, blockedMs: Math.round(verdict.blockedMs), killed: true },
      "watchdog: the event loop has not turned for " + Math.round(verdict.blockedMs) + "ms and the main thread does not answer: killing the process (SIGKILL)");
    process.kill(process.pid, "SIGKILL");
  };
  setTimeout(() => {
    if (Atomics.load(ints, slot.concluding) === 1) setTimeout(kill, input.concludeMs);
    else kill();
  }, input.killAfterMs);
  // An interrupt can land between two callbacks of the blocking code, outside its service's
  // context: look a few times, and the report names the service if any look found it.
  let looks = 0;
  const look = () => {
    evaluate("look()", (error, result) => {
      const found = !error && result !== undefined && result.result !== undefined && result.result.value === true;
      if (found || ++looks >= input.looks) conclude();
      else look();
    });
  };
  const conclude = () => {
    evaluate("conclude(" + JSON.stringify(verdict) + ")", (error, result) => {
      // The main thread exits inside that call (closing the session: an error here); an answer
      // before it took the call means it could not. Once it has, the timer above decides.
      if (Atomics.load(ints, slot.concluding) === 1) return;
      if (error || result === undefined || result.result === undefined || result.result.value !== "exiting") kill();
    });
  };
  try { look(); } catch { kill(); }
}

// While running, a loop blocked past blockedMs: ask the main thread what it is running (it logs
// the sample once its loop turns again), then let go of the main thread.
function sample() {
  sampled = true;
  try {
    evaluate("sample()", () => {
      try { session.disconnect(); } catch {}
      session = undefined;
    });
  } catch {}
}

function check() {
  const t = now();
  const beat = Atomics.load(ints, slot.beat);
  if (beat !== lastBeat) {
    lastBeat = beat;
    lastChange = t;
    sampled = false;
  }
  const phase = Atomics.load(ints, slot.phase);
  // Done, or a later run has begun (its message is on its way): this run is not watched any more.
  if (phase === phases.done || Atomics.load(ints, slot.run) !== input.run) return stop();
  if (acting) return;
  const blockedMs = t - lastChange;
  const signals = findSignals();
  const forcing = signals.find((s) => !s.answered && !s.first && t - s.at >= input.forceAfterMs);
  if (forcing !== undefined && blockedMs >= input.forceAfterMs) return act({ kind: "forced", signal: forcing.name, blockedMs });
  let deadline = floats[floatSlot.deadline];
  // The grace counts from the first signal's arrival, answered or not (a starved loop answers late).
  const first = signals.find((s) => s.first);
  if (first !== undefined) deadline = Math.min(deadline, first.at + input.graceMs);
  if (blockedMs >= input.marginMs && t >= deadline + input.marginMs) {
    return act({ kind: "grace", graceMs: input.graceMs, blockedMs, signal: first === undefined ? undefined : first.name });
  }
  const startBudget = floats[floatSlot.startBudget];
  if (phase === phases.starting && blockedMs >= startBudget + input.marginMs) {
    return act({ kind: "start", startTimeoutMs: startBudget, blockedMs });
  }
  if (phase === phases.running && !sampled && blockedMs >= input.blockedMs) sample();
}

// How soon to look again. Closely (pollMs) once a verdict can be near: the shutdown has begun, or
// a signal came (the grace counts from it, and a later one is forced after forceAfterMs). Before
// that the only verdicts are a start blocked past the longest start timeout plus the margin, and
// (if asked) a blocked loop to sample: looking every idlePollMs, or at half the blocked threshold,
// is soon enough, and keeps this thread off the cores the start is using.
function nextLook() {
  if (seen.length > 0 || Atomics.load(ints, slot.phase) === phases.stopping) return input.pollMs;
  return Math.min(input.idlePollMs, input.blockedMs / 2);
}

let stopped = false;
let timer = setTimeout(look, nextLook());
function look() {
  check();
  if (!stopped) timer = setTimeout(look, nextLook());
}
// A signal came (its handle's callback runs once this function has returned): look closely from now on.
function lookSoon() {
  clearTimeout(timer);
  if (!stopped) timer = setTimeout(look, input.pollMs);
}

function stop() {
  stopped = true;
  clearTimeout(timer);
  for (const handle of handles.splice(0)) handle.close();
  if (session !== undefined) try { session.disconnect(); } catch {}
  session = undefined;
}
current = { stop };
}
`;
