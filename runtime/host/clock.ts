// Every timer of the runtime goes through a Clock so that tests run on virtual time: a 30 s grace
// period is simulated in milliseconds, and the order in which timers fire is deterministic.
import { AsyncResource } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import type { Clock, Timer } from "../api/types.ts";

/** Node clamps longer delays to 1 ms (with a warning), so longer timers are re-armed in steps. */
const MAX_DELAY_MS = 2_147_483_647;

class RealTimer implements Timer {
  handle: ReturnType<typeof setTimeout> | undefined;
  constructor(
    readonly id: number,
    readonly due: number,
    readonly fn: () => void,
  ) {}
}

let nextRealTimerId = 1;

/** Arms `timer` for `delay` ms: one static callback and the timer as its argument, no closure per timer. */
function armReal(timer: RealTimer, delay: number): void {
  timer.handle = setTimeout(fireReal, delay, timer);
}

function fireReal(timer: RealTimer): void {
  const left = timer.due - performance.now();
  if (left >= 1) armReal(timer, Math.min(left, MAX_DELAY_MS));
  else timer.fn();
}

/**
 * The process clock. Its timers are deliberately *not* unref'd: while a start timeout, a stop
 * timeout or the grace period is pending, the process must stay alive to act on it, or Node
 * would exit early (code 13, "unsettled top-level await") with no report when every service is
 * blocked on a promise that holds no handle.
 */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn: () => void, ms: number): Timer {
    const delay = Math.max(0, ms);
    const timer = new RealTimer(nextRealTimerId++, performance.now() + delay, fn);
    armReal(timer, Math.min(delay, MAX_DELAY_MS));
    return timer;
  },
  clearTimeout(timer: Timer): void {
    if (timer instanceof RealTimer && timer.handle !== undefined) clearTimeout(timer.handle);
  },
};

interface VirtualTimer extends Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  /** The async context the timer was set in; the callback runs in it. */
  readonly context: AsyncResource;
  cleared: boolean;
}

export interface RunAllOptions {
  /** Throw when more timers than this fire (a timer that keeps re-arming itself). Default 100,000. */
  readonly maxTimers?: number;
}

/** Lets every promise chain that is ready settle (microtasks drain before an immediate runs). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock for tests. Time moves only when asked; timers fire in time order (ties in the order
 * they were set) and promise chains settle between two firings, so code that awaits after a
 * timer runs before the next timer fires, as it would on a real clock.
 */
export class VirtualClock implements Clock {
  #now = 0;
  #seq = 0;
  #heap: VirtualTimer[] = [];
  /** Timers in the heap that are still due (the heap drops cleared ones lazily). */
  readonly #pending = new Set<VirtualTimer>();

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const delay = Number.isNaN(ms) ? 0 : Math.max(0, ms);
    // Like a real timer, the callback runs in the async context it was set in, so errors it
    // raises are attributed to the service that set it (runtime/engine/attribution.ts). An AsyncResource
    // captures that context; `AsyncResource.bind` would too, at ~50× the cost (on Node 20 it also
    // builds a deprecation wrapper per call).
    const timer: VirtualTimer = {
      id: ++this.#seq,
      seq: this.#seq,
      at: this.#now + delay,
      fn,
      context: new AsyncResource("supervise.VirtualTimer"),
      cleared: false,
    };
    this.#push(timer);
    this.#pending.add(timer);
    return timer;
  }

  clearTimeout(timer: Timer): void {
    const t = timer as VirtualTimer;
    if (!this.#pending.delete(t)) return;
    t.cleared = true;
    // Lazy deletion; rebuild once cleared entries dominate so set-and-clear loops stay small.
    if (this.#heap.length > 64 && this.#pending.size < this.#heap.length / 2) this.#rebuild();
  }

  /** Timers set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#pending.size;
  }

  /** When the next timer fires, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    this.#dropCleared();
    return this.#heap[0]?.at;
  }

  /** Fires the next timer (moving time to it) and lets promises settle. False when none is pending. */
  async fireNext(): Promise<boolean> {
    await flushMicrotasks();
    this.#dropCleared();
    const timer = this.#pop();
    if (timer === undefined) return false;
    this.#pending.delete(timer);
    timer.cleared = true;
    this.#now = Math.max(this.#now, timer.at);
    timer.context.runInAsyncScope(timer.fn);
    await flushMicrotasks();
    return true;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number, options?: RunAllOptions): Promise<void> {
    return this.runUntil(this.#now + Math.max(0, ms), options);
  }

  /** Moves time to `time` (absolute), firing every timer due on the way. */
  async runUntil(time: number, options: RunAllOptions = {}): Promise<void> {
    const max = options.maxTimers ?? 100_000;
    let fired = 0;
    await flushMicrotasks();
    for (let next = this.nextTimerAt(); next !== undefined && next <= time; next = this.nextTimerAt()) {
      if (++fired > max) throw new Error(`VirtualClock: more than ${max} timers fired before ${time}ms; a timer keeps re-arming itself`);
      await this.fireNext();
    }
    this.#now = Math.max(this.#now, time);
    await flushMicrotasks();
  }

  /** Fires timers until none is pending. Throws when they never run out (see `maxTimers`). */
  async runAll(options: RunAllOptions = {}): Promise<void> {
    const max = options.maxTimers ?? 100_000;
    let fired = 0;
    while (await this.fireNext()) {
      if (++fired > max) throw new Error(`VirtualClock: more than ${max} timers fired; a timer keeps re-arming itself`);
    }
  }

  #dropCleared(): void {
    while (this.#heap.length > 0 && this.#heap[0]!.cleared) this.#pop();
  }

  #rebuild(): void {
    const live = this.#heap.filter((t) => !t.cleared);
    this.#heap = [];
    for (const t of live) this.#push(t);
  }

  #before(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(timer: VirtualTimer): void {
    const heap = this.#heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): VirtualTimer | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && this.#before(heap[l]!, heap[min]!)) min = l;
      if (r < heap.length && this.#before(heap[r]!, heap[min]!)) min = r;
      if (min === i) break;
      [heap[i], heap[min]] = [heap[min]!, heap[i]!];
      i = min;
    }
    return top;
  }
}
