// Benchmark 1: start and stop N trivial services (100 / 1,000 / 10,000) in three shapes: flat, a
// chain, a 10-layer DAG. Ours: the AppPlan a compiler would emit, run by `runApp` on the real
// clock and shut down with SIGTERM once everything started. Baselines in the same run: a
// hand-written Promise DAG (the physical limit) and Effect 4 Layers (the faster of two wirings).
// Three ways: in this process after a forced GC, in this process on a warm heap, and at 10,000
// once per fresh process (bench/start-stop-once.ts), where the targets are checked.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildEffectApp, startAndStopEffect, startEffectApp, type EffectApp, type Wiring } from "./baselines/effect-layers.ts";
import { startAndStop, startGraph, trivialService } from "./baselines/promise-dag.ts";
import { loadRuntime, retryIfDistVanished, type RuntimeModule } from "./built.ts";
import {
  checkTarget,
  heapAfterSettledGc,
  measureInterleaved,
  ratio,
  type Benchmark,
  type BenchOptions,
  type BenchReport,
  type Cell,
  type Column,
  type TargetCheck,
  type Variant,
  summarize,
} from "./harness.ts";
import { REPO_ROOT } from "./paths.ts";
import { assertCleanStop, bindAll, buildPlan, runToShutdown, trivialStart } from "./runtime-app.ts";
import { buildGraph, SHAPES, type Graph, type ShapeName } from "./shapes.ts";

const BASELINE_TARGET = 1.5;
const EFFECT_TARGET = 20;
/** Heap per service is measured from this size on (see measureCase). */
const MEMORY_MIN_SIZE = 10_000;
/** Stacking layers with provideMerge copies the context per level: only for shallow graphs. */
const MAX_LAYERED_DEPTH = 100;
const ONCE_SCRIPT = join(REPO_ROOT, "bench", "start-stop-once.ts");

/** The Effect wirings worth trying on a graph, the per-service one first. */
function wiringsFor(graph: Graph): Wiring[] {
  return Math.max(...graph.layer) < MAX_LAYERED_DEPTH ? ["per-service", "layered"] : ["per-service"];
}

export interface FreshResult extends WarmResult {
  readonly effectWiring: Wiring;
  readonly runs: number;
}

/** Runs bench/start-stop-once.ts in a new process and returns the time it measured. */
function startStopInNewProcess(variant: string, shape: ShapeName, size: number): number {
  const args = ["--expose-gc", "--import", "tsx", ONCE_SCRIPT, variant, shape, String(size)];
  // On a shared machine someone's `npm run build` may be rewriting dist/ just then: wait, retry once.
  const result = retryIfDistVanished(
    () => spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8", stdio: "pipe", timeout: 120_000 }),
    (r) => r.status !== 0,
  );
  if (result.status !== 0) throw new Error(`start-stop-once ${variant} ${shape} ${size} exited ${String(result.status)}: ${result.stderr}`);
  const line = result.stdout.trim().split("\n").pop() ?? "";
  const ms = (JSON.parse(line) as { ms?: unknown }).ms;
  if (typeof ms !== "number" || !(ms > 0)) throw new Error(`start-stop-once ${variant} ${shape} ${size} printed ${JSON.stringify(line)}`);
  return ms;
}

/**
 * One start + stop per process, the way a deployed service runs its tree: code the JIT has not
 * seen, a heap that has not grown. The variants take turns (A, B, C, A, B, C, ...) like the
 * in-process runs, so a slow phase of the machine hits each alike.
 */
function measureFreshProcess(shape: ShapeName, size: number, quick: boolean): FreshResult {
  const wirings = wiringsFor(buildGraph(shape, size));
  const variants = ["ours", "promise", ...wirings.map((w) => `effect-${w}`)];
  const runs = quick ? 1 : 7;
  const times: number[][] = variants.map(() => []);
  for (let i = 0; i < runs; i++) for (let v = 0; v < variants.length; v++) times[v]!.push(startStopInNewProcess(variants[v]!, shape, size));
  const [ours, baseline, ...effects] = times.map(summarize);
  const best = effects.reduce((b, s, i) => (s.median < effects[b]!.median ? i : b), 0);
  return { shape, size, oursMs: ours!.median, baselineMs: baseline!.median, effectMs: effects[best]!.median, effectWiring: wirings[best]!, runs };
}

export interface WarmResult {
  readonly shape: ShapeName;
  readonly size: number;
  readonly oursMs: number;
  readonly baselineMs: number;
  readonly effectMs: number;
}

/**
 * The same runs without a GC before each: the heap is already grown by the previous runs, as in
 * a long-lived process. Allocation-heavy code (ours, Effect) is far faster here than right after
 * a collection, which is what a process start looks like; both are reported.
 */
async function measureWarm(rt: RuntimeModule, shape: ShapeName, size: number, quick: boolean): Promise<WarmResult> {
  const graph = buildGraph(shape, size);
  const plan = buildPlan(graph);
  const bindings = bindAll(graph, trivialStart);
  const effect = buildEffectApp(graph, wiringsFor(graph).at(-1)!);
  const [ours, baseline, effectSample] = await measureInterleaved(
    [{ fn: () => runToShutdown(rt, plan, bindings) }, { fn: () => startAndStop(graph) }, { fn: () => startAndStopEffect(effect) }],
    { runs: quick ? 1 : 9, warmup: quick ? 0 : 3, gc: false, budgetMs: 20_000 },
  );
  return { shape, size, oursMs: ours!.median, baselineMs: baseline!.median, effectMs: effectSample!.median };
}

export interface CaseResult {
  readonly shape: ShapeName;
  readonly size: number;
  readonly oursMs: number;
  readonly baselineMs: number;
  readonly effectMs: number;
  readonly effectWiring: Wiring;
  readonly oursBytes: number | undefined;
  readonly baselineBytes: number | undefined;
  readonly effectBytes: number | undefined;
}

function runsFor(size: number, quick: boolean): number {
  if (quick) return 1;
  return size >= 10_000 ? 5 : size >= 1_000 ? 9 : 15;
}

/** Heap held per service while everything runs: measured once per implementation, untimed. */
async function measureMemory(rt: RuntimeModule, graph: Graph, effect: EffectApp): Promise<[number, number, number]> {
  const plan = buildPlan(graph);
  const bindings = bindAll(graph, trivialStart);
  let before = await heapAfterSettledGc();
  let running = 0;
  await runToShutdown(rt, plan, bindings, async () => {
    running = await heapAfterSettledGc();
  });
  const ours = (running - before) / graph.size;

  before = await heapAfterSettledGc();
  const graphRun = await startGraph(graph, trivialService);
  const baseline = ((await heapAfterSettledGc()) - before) / graph.size;
  await graphRun.stop();

  before = await heapAfterSettledGc();
  const effectRun = await startEffectApp(effect);
  const effectBytes = ((await heapAfterSettledGc()) - before) / graph.size;
  await effectRun.stop();
  return [ours, baseline, effectBytes];
}

export async function measureCase(rt: RuntimeModule, shape: ShapeName, size: number, quick: boolean): Promise<CaseResult> {
  const graph = buildGraph(shape, size);
  const plan = buildPlan(graph);
  const bindings = bindAll(graph, trivialStart);
  const wirings = wiringsFor(graph);
  const effects = wirings.map((w) => buildEffectApp(graph, w));
  const variants: Variant[] = [
    {
      fn: async () => assertCleanStop(await runToShutdown(rt, plan, bindings), size, `${shape} ${size}`),
    },
    { fn: () => startAndStop(graph) },
    ...effects.map((app) => ({ fn: () => startAndStopEffect(app) })),
  ];
  const samples = await measureInterleaved(variants, { runs: runsFor(size, quick), warmup: quick ? 0 : 2, budgetMs: 20_000 });
  const effectSamples = samples.slice(2);
  const best = effectSamples.reduce((b, s, i) => (s.median < effectSamples[b]!.median ? i : b), 0);
  // Per-service heap is a difference of a few hundred KB at small N: below the noise of a GC'd
  // heap, so it is measured where it means something.
  const [oursBytes, baselineBytes, effectBytes] = size >= MEMORY_MIN_SIZE || quick ? await measureMemory(rt, graph, effects[best]!) : [undefined, undefined, undefined];
  return {
    shape,
    size,
    oursMs: samples[0]!.median,
    baselineMs: samples[1]!.median,
    effectMs: effectSamples[best]!.median,
    effectWiring: wirings[best]!,
    oursBytes,
    baselineBytes,
    effectBytes,
  };
}

/** The warm-heap and fresh-process tables: one size, a row per shape. */
const SHAPE_COLUMNS: readonly Column[] = [
  { title: "shape", unit: "text" },
  { title: "ours", unit: "ms" },
  { title: "Promise DAG", unit: "ms" },
  { title: "ours / Promise", unit: "ratio" },
  { title: "Effect", unit: "ms" },
  { title: "Effect / ours", unit: "ratio" },
];

function shapeRow(r: WarmResult): Cell[] {
  return [r.shape, r.oursMs, r.baselineMs, ratio(r.oursMs, r.baselineMs), r.effectMs, ratio(r.effectMs, r.oursMs)];
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const rt = await loadRuntime();
  const sizes = options.quick ? [20] : [100, 1_000, 10_000];
  const results: CaseResult[] = [];
  for (const shape of SHAPES) for (const size of sizes) results.push(await measureCase(rt, shape, size, options.quick));
  const rows: Cell[][] = results.map((r) => [
    r.shape,
    r.size,
    r.oursMs,
    r.baselineMs,
    ratio(r.oursMs, r.baselineMs),
    r.effectMs,
    ratio(r.effectMs, r.oursMs),
    r.oursBytes,
    r.baselineBytes,
    r.effectBytes,
  ]);
  const warmSize = sizes[sizes.length - 1]!;
  const warm: WarmResult[] = [];
  for (const shape of SHAPES) warm.push(await measureWarm(rt, shape, warmSize, options.quick));
  // The targets are checked on the fresh-process runs: a deployed service starts its tree once,
  // in a process of its own (see docs/benchmarks.md).
  const freshShapes = options.quick ? (["dag"] as const) : SHAPES;
  const fresh: FreshResult[] = freshShapes.map((shape) => measureFreshProcess(shape, warmSize, options.quick));
  const targets: TargetCheck[] = [];
  if (!options.quick) {
    for (const r of fresh) {
      const vsBaseline = ratio(r.oursMs, r.baselineMs);
      const vsEffect = ratio(r.effectMs, r.oursMs);
      targets.push(checkTarget(`${r.shape} 10k, fresh process: ≤ ${BASELINE_TARGET}× the Promise baseline`, `${vsBaseline.toFixed(1)}× (${r.oursMs.toFixed(0)} vs ${r.baselineMs.toFixed(0)} ms)`, vsBaseline <= BASELINE_TARGET));
      targets.push(checkTarget(`${r.shape} 10k, fresh process: ≥ ${EFFECT_TARGET}× faster than Effect`, `${vsEffect.toFixed(1)}× (Effect ${r.effectMs.toFixed(0)} ms, ${r.effectWiring})`, vsEffect >= EFFECT_TARGET));
    }
  }
  return {
    tables: [
      {
        title: "Start + stop of N trivial services (median ms, wall time, in this process, heap collected before each run)",
        columns: [
          { title: "shape", unit: "text" },
          { title: "N", unit: "count" },
          { title: "ours", unit: "ms" },
          { title: "Promise DAG", unit: "ms" },
          { title: "ours / Promise", unit: "ratio" },
          { title: "Effect", unit: "ms" },
          { title: "Effect / ours", unit: "ratio" },
          { title: "ours /svc", unit: "bytes" },
          { title: "Promise /svc", unit: "bytes" },
          { title: "Effect /svc", unit: "bytes" },
        ],
        rows,
        notes: [
          "ours: runApp(plan, bindings, { host, log: \"none\" }) from dist/runtime on the real clock; SIGTERM delivered once the app supervisor reports `started`; timed until runApp resolves.",
          "Effect: the faster of per-service `Layer.provide` and depth-stacked `Layer.provideMerge` wiring (the latter only for graphs shallower than 100 levels): " +
            results.map((r) => `${r.shape} ${r.size} ${r.effectWiring}`).join(", ") + ".",
          "/svc: heap held per service while all are running (after GC), in a separate untimed run; only at 10,000, below that the figure drowns in GC noise.",
        ],
      },
      {
        title: `The same at ${warmSize.toLocaleString("en-US")} on a warm heap (no GC between runs; median ms)`,
        columns: SHAPE_COLUMNS,
        rows: warm.map(shapeRow),
        notes: ["A heap grown by earlier runs, as in a long-lived process that starts trees again and again."],
      },
      {
        title: `The same at ${warmSize.toLocaleString("en-US")} in a fresh process (one start + stop per process; median ms)`,
        columns: SHAPE_COLUMNS,
        rows: fresh.map(shapeRow),
        notes: [
          `bench/start-stop-once.ts run by \`node --expose-gc --import tsx\`, ${fresh[0]?.runs ?? 0} process(es) per variant, taking turns; graph and modules prepared before the clock starts, a full GC just before it.`,
          "Effect: the faster wiring, " + fresh.map((r) => `${r.shape} ${r.effectWiring}`).join(", ") + ". The targets are checked on this table: it is how a deployed service starts its tree.",
        ],
      },
    ],
    targets,
  };
}

export const startStopBenchmark: Benchmark = { name: "start-stop", run };
