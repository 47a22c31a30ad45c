// Benchmark 3: shutdown wall time with real stop delays. Every service of a 10-layer DAG takes
// 20–50 ms to stop (a real timer in a finalizer); a service may begin to stop only once all its
// dependents have stopped. Independent stops overlap, so the shutdown must take the critical
// path (computed here from the graph and the delays, independently of the runtime), not the sum.
import { startGraph, type BaselineService } from "./baselines/promise-dag.ts";
import { loadRuntime, type RuntimeModule } from "./built.ts";
import { checkTarget, collectGarbage, summarize, type Benchmark, type BenchOptions, type BenchReport, type Cell, type TargetCheck } from "./harness.ts";
import { assertCleanStop, bindAll, buildPlan, runToShutdown, slowStop } from "./runtime-app.ts";
import { buildGraph, criticalPathMs, type Graph } from "./shapes.ts";

const SLACK_FACTOR = 1.02;
const SLACK_MS = 5;

/** Deterministic stop delays in [min, max] ms (a small LCG, so every run and machine agree). */
export function stopDelays(count: number, minMs: number, maxMs: number, seed = 42): number[] {
  const delays: number[] = [];
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    delays.push(minMs + (state % (maxMs - minMs + 1)));
  }
  return delays;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The same delays in the hand-written Promise DAG: what the timers alone allow. */
async function timeBaselineStop(graph: Graph, delays: readonly number[]): Promise<number> {
  const service: BaselineService<object> = { start: (index) => ({ index }), stop: (index) => sleep(delays[index]!) };
  const running = await startGraph(graph, service);
  const t0 = performance.now();
  await running.stop();
  return performance.now() - t0;
}

async function timeOursStop(rt: RuntimeModule, graph: Graph, delays: readonly number[]): Promise<number> {
  const run = await runToShutdown(rt, buildPlan(graph, `shutdown-${graph.size}`), bindAll(graph, slowStop(delays)));
  assertCleanStop(run, graph.size, `shutdown of ${graph.size}`);
  return run.stoppedAt - run.signalledAt;
}

export interface ShutdownResult {
  readonly size: number;
  readonly criticalPathMs: number;
  readonly sumMs: number;
  readonly oursMs: number;
  readonly baselineMs: number;
  readonly limitMs: number;
}

export async function measureShutdown(rt: RuntimeModule, size: number, delayRange: readonly [number, number], runs: number): Promise<ShutdownResult> {
  const graph = buildGraph("dag", size);
  const delays = stopDelays(size, delayRange[0], delayRange[1]);
  const critical = criticalPathMs(graph, delays);
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    ours.push(await timeOursStop(rt, graph, delays));
    collectGarbage();
    baseline.push(await timeBaselineStop(graph, delays));
  }
  return {
    size,
    criticalPathMs: critical,
    sumMs: delays.reduce((a, b) => a + b, 0),
    oursMs: summarize(ours).median,
    baselineMs: summarize(baseline).median,
    limitMs: critical * SLACK_FACTOR + SLACK_MS,
  };
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const rt = await loadRuntime();
  const sizes = options.quick ? [10] : [100, 1_000, 10_000];
  const range: [number, number] = options.quick ? [2, 5] : [20, 50];
  const runs = options.quick ? 1 : 5;
  const results: ShutdownResult[] = [];
  for (const size of sizes) results.push(await measureShutdown(rt, size, range, runs));
  const rows: Cell[][] = results.map((r) => [
    r.size,
    r.sumMs,
    r.criticalPathMs,
    r.limitMs,
    r.oursMs,
    r.oursMs - r.criticalPathMs,
    r.baselineMs,
    r.baselineMs - r.criticalPathMs,
  ]);
  const targets: TargetCheck[] = [];
  if (!options.quick) {
    for (const r of results) {
      targets.push(checkTarget(`shutdown of ${r.size} services ≤ critical path × ${SLACK_FACTOR} + ${SLACK_MS} ms (${r.limitMs.toFixed(0)} ms)`, `${r.oursMs.toFixed(0)} ms`, r.oursMs <= r.limitMs));
    }
  }
  return {
    tables: [
      {
        title: `Shutdown with real stop delays of ${range[0]}–${range[1]} ms per service, 10-layer DAG (median of ${runs}, ms)`,
        columns: [
          { title: "services", unit: "count" },
          { title: "sum of delays", unit: "ms" },
          { title: "critical path", unit: "ms" },
          { title: "limit", unit: "ms" },
          { title: "ours", unit: "ms" },
          { title: "ours − path", unit: "delta-ms" },
          { title: "Promise DAG", unit: "ms" },
          { title: "Promise − path", unit: "delta-ms" },
        ],
        rows,
        notes: [
          "ours: from SIGTERM to `runApp` resolving; each service's finalizer waits on a real setTimeout.",
          "critical path: the longest chain of stop delays where a service waits for all its dependents, computed from the graph in bench/shapes.ts (criticalPathMs), not by the runtime.",
          "Promise DAG: the same delays and order, hand-written; its excess over the path is what setTimeout itself adds (timers fire late by ≥1 ms per level).",
        ],
      },
    ],
    targets,
  };
}

export const shutdownBenchmark: Benchmark = { name: "shutdown", run };
