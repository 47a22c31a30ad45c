// Benchmark 2b: fan-out. One long-lived scope and 1,000,000 short-lived children, each created
// and closed in turn (a request scope under a server's scope). Measured: wall time, and heap
// still held after GC with the parent alive. Baselines: a child AbortController listening to the
// parent (never removing its listener: O(n²), so capped and extrapolated; and removing it when
// done), and `AbortSignal.any([parent])`.
import { performance } from "node:perf_hooks";
import { loadClock, loadScopes } from "./built.ts";
import { FAN_OUT_BATCH, runAbortPerChild, runAnyFanOut, runListenerFanOut, type FanOutHooks, type FanOutResult } from "./baselines/abort-signals.ts";
import { checkTarget, heapAfterSettledGc, nextTurn, ratio, type Benchmark, type BenchOptions, type BenchReport, type Cell, type TargetCheck } from "./harness.ts";

const TIME_TARGET_MS = 2_000;
const RETAINED_TARGET_BYTES = 1024 * 1024;
const READ_TARGET_RATIO = 1.2;

const hooks: FanOutHooks = { heap: heapAfterSettledGc, turn: nextTurn };

export interface ScopeFanOutResult extends FanOutResult {
  readonly leftChildren: number;
}

/** `count` children of one scope, each created, given a task's worth of state, and closed. */
export async function runScopeFanOut(count: number, readSignals: boolean): Promise<ScopeFanOutResult> {
  const [{ Scope }, { realClock }] = await Promise.all([loadScopes(), loadClock()]);
  const parent = Scope.createRoot("server", { clock: realClock });
  void parent.signal;
  const before = await hooks.heap();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const child = parent.child("request");
    if (readSignals) void child.signal;
    await child.close();
    if (i % FAN_OUT_BATCH === FAN_OUT_BATCH - 1) await hooks.turn();
  }
  const ms = performance.now() - t0;
  const retainedBytes = (await hooks.heap()) - before;
  const leftChildren = parent.childCount;
  await parent.close();
  return { ms, retainedBytes, leftChildren };
}

interface Row {
  readonly what: string;
  readonly count: number;
  readonly result: FanOutResult;
  /** Estimated time for the full count when the run was capped (quadratic). */
  readonly extrapolatedMs?: number;
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const count = options.quick ? 2_000 : 1_000_000;
  const caps = options.quick ? [200, 400] : [10_000, 20_000];
  const rows: Row[] = [];
  const unread = await runScopeFanOut(count, false);
  rows.push({ what: "scope.child() + close(), signal unread", count, result: unread });
  const read = await runScopeFanOut(count, true);
  rows.push({ what: "scope.child() + close(), signal read", count, result: read });
  rows.push({ what: "AbortController + parent listener, removed when done", count, result: await runListenerFanOut(count, true, hooks) });
  const floor = await runAbortPerChild(count, hooks);
  rows.push({ what: "AbortController created and aborted (no parent)", count, result: floor });
  const anyCount = options.quick ? count : count / 10;
  const any = await runAnyFanOut(anyCount, hooks);
  rows.push({ what: "AbortSignal.any([parent])", count: anyCount, result: any, ...(anyCount < count ? { extrapolatedMs: (any.ms * count) / anyCount } : {}) });
  for (const cap of caps) {
    const result = await runListenerFanOut(cap, false, hooks);
    rows.push({ what: "AbortController + parent listener, never removed", count: cap, result, extrapolatedMs: result.ms * (count / cap) ** 2 });
  }
  const table: Cell[][] = rows.map((r) => [
    r.what,
    r.count,
    r.result.ms,
    r.extrapolatedMs,
    r.result.retainedBytes,
    r.result.retainedBytes / r.count,
  ]);
  const targets: TargetCheck[] = [];
  if (!options.quick) {
    targets.push(checkTarget(`1M children ≤ ${TIME_TARGET_MS} ms`, `${unread.ms.toFixed(0)} ms`, unread.ms <= TIME_TARGET_MS));
    targets.push(checkTarget("1M children retain < 1 MB after GC", `${(unread.retainedBytes / 1024).toFixed(0)} KB, ${unread.leftChildren} children left`, unread.retainedBytes < RETAINED_TARGET_BYTES && unread.leftChildren === 0));
    // Once a child's signal is read, its close must abort a real AbortController: Node's abort()
    // is then the floor, as in the depth benchmark.
    const x = ratio(read.ms, floor.ms);
    targets.push(checkTarget(`1M children with signal read ≤ ${READ_TARGET_RATIO}× creating and aborting 1M AbortControllers`, `${x.toFixed(2)}× (${read.ms.toFixed(0)} vs ${floor.ms.toFixed(0)} ms)`, x <= READ_TARGET_RATIO));
    targets.push(checkTarget("1M children with signal read retain < 1 MB after GC", `${(read.retainedBytes / 1024).toFixed(0)} KB, ${read.leftChildren} children left`, read.retainedBytes < RETAINED_TARGET_BYTES && read.leftChildren === 0));
  }
  const [small, large] = caps;
  const listenerRows = rows.filter((r) => r.what.endsWith("never removed"));
  const growth = listenerRows.length === 2 ? listenerRows[1]!.result.ms / listenerRows[0]!.result.ms : Number.NaN;
  return {
    tables: [
      {
        title: `Fan-out: ${count.toLocaleString("en-US")} short-lived children of one long-lived scope`,
        columns: [
          { title: "children from", unit: "text" },
          { title: "children", unit: "count" },
          { title: "ms", unit: "ms" },
          { title: `ms for ${count.toLocaleString("en-US")} (est.)`, unit: "ms" },
          { title: "retained after GC", unit: "bytes" },
          { title: "retained per child", unit: "bytes" },
        ],
        rows: table,
        notes: [
          `Children are created in batches of ${FAN_OUT_BATCH.toLocaleString("en-US")} with a macrotask turn in between; heap is measured after a forced GC with the parent still alive.`,
          `Never-removed listeners: ${small} → ${large} children took ${growth.toFixed(1)}× as long (quadratic: EventTarget checks for duplicates on every add); the estimate scales the larger run by (n/cap)².`,
          anyCount < count ? `AbortSignal.any was run on ${anyCount.toLocaleString("en-US")} children (linear, estimate × ${count / anyCount}); what it retains is nodejs/node#55351.` : "AbortSignal.any retention is nodejs/node#55351.",
        ],
      },
    ],
    targets,
  };
}

export const fanOutBenchmark: Benchmark = { name: "cancel-fanout", run };
