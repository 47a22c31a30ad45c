// What people write without a scope tree, measured as baselines for the cancellation benchmark:
// a chain of AbortControllers where each child listens to its parent's `abort` event, a plain
// loop of `abort()` calls (the floor for any design that hands out real AbortSignals), and the
// two usual ways to derive short-lived child signals from a long-lived parent.
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";

/** The reason every benchmark cancels with: the shape of the runtime's ShutdownReason. */
export const REASON = { kind: "signal", signal: "SIGTERM" } as const;

export type ChainResult = { readonly ms: number } | { readonly overflow: true; readonly abortedDepth: number };

/**
 * Builds a chain of `depth` controllers, then times root abort until the deepest is aborted.
 * Dispatch recurses once per level, so a deep chain overflows the stack; EventTarget catches the
 * RangeError and rethrows it on nextTick, where it would crash the process. It is caught here
 * and reported as an overflow (with how deep the abort got) instead.
 */
export async function runListenerChain(depth: number): Promise<ChainResult> {
  const controllers: AbortController[] = [new AbortController()];
  for (let i = 1; i < depth; i++) {
    const parent = controllers[i - 1]!.signal;
    const child = new AbortController();
    parent.addEventListener("abort", () => child.abort(parent.reason), { once: true });
    controllers.push(child);
  }
  const rethrown: unknown[] = [];
  const onUncaught = (error: unknown): void => {
    rethrown.push(error);
  };
  process.on("uncaughtException", onUncaught);
  let ms: number;
  try {
    const t0 = performance.now();
    controllers[0]!.abort(REASON);
    ms = performance.now() - t0;
    // The rethrow happens on nextTick; let it arrive while our handler is installed.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("uncaughtException", onUncaught);
  }
  const others = rethrown.filter((e) => !(e instanceof RangeError));
  if (others.length > 0) throw others[0];
  const deepest = controllers[depth - 1]!.signal;
  if (rethrown.length === 0 && deepest.aborted) return { ms };
  let abortedDepth = 0;
  while (abortedDepth < depth && controllers[abortedDepth]!.signal.aborted) abortedDepth++;
  return { overflow: true, abortedDepth };
}

/** `count` fresh controllers whose signals were read: the input of the abort() loop. */
export function createControllers(count: number): AbortController[] {
  const controllers: AbortController[] = [];
  for (let i = 0; i < count; i++) {
    const c = new AbortController();
    void c.signal;
    controllers.push(c);
  }
  return controllers;
}

/** `abort(reason)` on every controller: the floor once every signal has to fire. */
export function abortAll(controllers: readonly AbortController[]): void {
  for (let i = 0; i < controllers.length; i++) controllers[i]!.abort(REASON);
}

export interface FanOutResult {
  readonly ms: number;
  /** Heap still held after GC, with the parent alive and every child finished. */
  readonly retainedBytes: number;
}

/** Children are created in batches with a macrotask turn between them, as real tasks would be. */
export const FAN_OUT_BATCH = 10_000;

export interface FanOutHooks {
  readonly heap: () => Promise<number>;
  readonly turn: () => Promise<void>;
}

/**
 * One long-lived parent, `count` children created and finished one after the other. With
 * `remove` false, children never take their listener off the parent (the common mistake, and
 * the only choice when a child cannot know when it is done): adding a listener is O(listeners),
 * so this is O(n²). With `remove` true each finished child removes its listener.
 */
export async function runListenerFanOut(count: number, remove: boolean, hooks: FanOutHooks): Promise<FanOutResult> {
  const parent = new AbortController();
  setMaxListeners(0, parent.signal);
  const before = await hooks.heap();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const child = new AbortController();
    const onAbort = (): void => child.abort(parent.signal.reason);
    parent.signal.addEventListener("abort", onAbort, { once: true });
    if (remove) parent.signal.removeEventListener("abort", onAbort);
    if (i % FAN_OUT_BATCH === FAN_OUT_BATCH - 1) await hooks.turn();
  }
  const ms = performance.now() - t0;
  const retainedBytes = (await hooks.heap()) - before;
  parent.abort(REASON);
  return { ms, retainedBytes };
}

/** The floor for children whose signal is read: one controller created and aborted per child. */
export async function runAbortPerChild(count: number, hooks: FanOutHooks): Promise<FanOutResult> {
  const before = await hooks.heap();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const child = new AbortController();
    void child.signal;
    child.abort(REASON);
    if (i % FAN_OUT_BATCH === FAN_OUT_BATCH - 1) await hooks.turn();
  }
  const ms = performance.now() - t0;
  return { ms, retainedBytes: (await hooks.heap()) - before };
}

/** Children derived with `AbortSignal.any([parent])`: no listener, but each leaves a trace. */
export async function runAnyFanOut(count: number, hooks: FanOutHooks): Promise<FanOutResult> {
  const parent = new AbortController();
  const before = await hooks.heap();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const child = AbortSignal.any([parent.signal]);
    void child.aborted;
    if (i % FAN_OUT_BATCH === FAN_OUT_BATCH - 1) await hooks.turn();
  }
  const ms = performance.now() - t0;
  const retainedBytes = (await hooks.heap()) - before;
  parent.abort(REASON);
  return { ms, retainedBytes };
}
