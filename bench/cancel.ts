// Benchmark 2a: cancellation through deep scope trees. A chain of nested scopes, 10 / 1,000 /
// 100,000 deep; timed from `root.cancel(reason)` to the deepest scope being cancelled, once with
// signals never read (no AbortController exists) and once with every signal read (one
// `abort()` per scope is then unavoidable). Baselines: a chain of AbortControllers each listening
// to its parent's `abort` event, and a plain loop of `abort(reason)` over as many controllers.
import type { Scope } from "../runtime/engine/scope.ts";
import { loadClock, loadScopes, type ClockModule, type ScopeModule } from "./built.ts";
import { abortAll, createControllers, REASON, runListenerChain, type ChainResult } from "./baselines/abort-signals.ts";
import { checkTarget, measureInterleaved, ratio, type Benchmark, type BenchOptions, type BenchReport, type Cell, type TargetCheck } from "./harness.ts";

const UNREAD_TARGET_MS = 1;
const READ_TARGET_RATIO = 1.2;

interface Chain {
  readonly root: Scope;
  readonly deepest: Scope;
}

/** root > c > c > ... `depth` scopes; with `readSignals`, every scope's signal was read. */
export function buildScopeChain(scopes: ScopeModule, clocks: ClockModule, depth: number, readSignals: boolean): Chain {
  const root = scopes.Scope.createRoot("root", { clock: clocks.realClock });
  let deepest = root;
  if (readSignals) void root.signal;
  for (let i = 1; i < depth; i++) {
    deepest = deepest.child("c");
    if (readSignals) void deepest.signal;
  }
  return { root, deepest };
}

export interface DepthResult {
  readonly depth: number;
  readonly unreadMs: number;
  readonly readMs: number;
  readonly abortLoopMs: number;
  readonly listenerChain: ChainResult;
}

async function measureDepth(depth: number, quick: boolean): Promise<DepthResult> {
  const [scopes, clocks] = await Promise.all([loadScopes(), loadClock()]);
  const runs = quick ? 1 : depth >= 100_000 ? 7 : 101;
  const cancel = (chain: Chain): void => {
    chain.root.cancel(REASON);
    if (!chain.deepest.cancelled) throw new Error(`depth ${depth}: the deepest scope was not cancelled`);
  };
  // Interleaved, each built in setup and GC'd before timing: the ratio to the abort() loop is
  // the figure that matters, and the machine's noise must hit both alike.
  const [unread, read, abortLoop] = await measureInterleaved(
    [
      { setup: () => buildScopeChain(scopes, clocks, depth, false), fn: cancel },
      {
        setup: () => buildScopeChain(scopes, clocks, depth, true),
        fn: (chain: Chain) => {
          cancel(chain);
          if (!chain.deepest.signal.aborted) throw new Error(`depth ${depth}: the deepest signal was not aborted`);
        },
      },
      { setup: () => createControllers(depth), fn: abortAll },
    ],
    { runs, warmup: quick ? 0 : 3, budgetMs: 15_000 },
  );
  // One run of the listener chain: at depth it overflows, and then it is not worth repeating.
  const listenerChain = await runListenerChain(depth);
  return { depth, unreadMs: unread!.median, readMs: read!.median, abortLoopMs: abortLoop!.median, listenerChain };
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const depths = options.quick ? [10, 100] : [10, 1_000, 100_000];
  const results: DepthResult[] = [];
  for (const depth of depths) results.push(await measureDepth(depth, options.quick));
  const rows: Cell[][] = results.map((r) => [
    r.depth,
    r.unreadMs,
    r.readMs,
    r.abortLoopMs,
    ratio(r.readMs, r.abortLoopMs),
    "ms" in r.listenerChain ? r.listenerChain.ms : `overflow at ~${r.listenerChain.abortedDepth}`,
  ]);
  const targets: TargetCheck[] = [];
  if (!options.quick) {
    const overflowed = results.filter((r) => !Number.isFinite(r.unreadMs) || !Number.isFinite(r.readMs));
    targets.push(checkTarget("no overflow at any depth (scope tree)", overflowed.length === 0 ? `ok up to ${depths.at(-1)!.toLocaleString("en-US")}` : "overflow", overflowed.length === 0));
    const at1k = results.find((r) => r.depth === 1_000)!;
    targets.push(checkTarget(`cancel @1,000 with signals never read ≤ ${UNREAD_TARGET_MS} ms`, `${at1k.unreadMs.toFixed(3)} ms`, at1k.unreadMs <= UNREAD_TARGET_MS));
    for (const r of results.filter((x) => x.depth >= 1_000)) {
      const x = ratio(r.readMs, r.abortLoopMs);
      targets.push(checkTarget(`cancel @${r.depth.toLocaleString("en-US")} with every signal read ≤ ${READ_TARGET_RATIO}× the abort() loop`, `${x.toFixed(2)}×`, x <= READ_TARGET_RATIO));
    }
  }
  return {
    tables: [
      {
        title: "Cancellation of a chain of nested scopes: root cancel → deepest cancelled (median ms)",
        columns: [
          { title: "depth", unit: "count" },
          { title: "scopes, signals unread", unit: "ms" },
          { title: "scopes, every signal read", unit: "ms" },
          { title: "abort() loop", unit: "ms" },
          { title: "read / loop", unit: "ratio" },
          { title: "AbortController listener chain", unit: "ms" },
        ],
        rows,
        notes: [
          "abort() loop: `controller.abort(reason)` over as many fresh controllers whose signals were read, no tree: the floor once every signal must fire.",
          "listener chain: each controller aborts its child from an `abort` listener; dispatch recurses per level, so past ~1,450–4,000 levels (depends on stack use) the RangeError is rethrown on nextTick and the deepest signals never abort. Caught and reported here instead of crashing.",
        ],
      },
    ],
    targets,
  };
}

export const cancelBenchmark: Benchmark = { name: "cancel-depth", run };
