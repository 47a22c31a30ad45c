// The shared benchmark harness: timing with warmup and a median over several runs, heap
// measurements after a forced GC, and the report shape every benchmark module returns. The
// machine is shared and noisy, so every figure is a median and every table puts our figure next
// to baselines measured in the same run: the ratios are what to read, not the absolute numbers.
import { performance } from "node:perf_hooks";

export interface BenchOptions {
  /** Tiny sizes and few runs: what the smoke test and `npm run bench -- --quick` use. */
  readonly quick: boolean;
}

export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly runs: number;
}

/** A cell is a number (formatted by the printer), a word like "overflow", or nothing ("-"). */
export type Cell = number | string | undefined;

/**
 * How a column's numbers are printed, and what they may be: "ms" a duration (> 0), "delta-ms" a
 * difference of durations (any sign), "bytes" a heap difference (any sign), "ratio" (> 0),
 * "count" (> 0).
 */
export type Unit = "ms" | "delta-ms" | "ratio" | "bytes" | "count" | "text";

export interface Column {
  readonly title: string;
  readonly unit: Unit;
}

export interface Table {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
  readonly notes: readonly string[];
}

export interface TargetCheck {
  readonly target: string;
  readonly actual: string;
  readonly met: boolean;
}

export interface BenchReport {
  readonly tables: readonly Table[];
  readonly targets: readonly TargetCheck[];
}

export interface Benchmark {
  /** What `npm run bench -- <name>` selects (substring match). */
  readonly name: string;
  readonly run: (options: BenchOptions) => Promise<BenchReport>;
}

export interface MeasureOptions {
  readonly warmup?: number;
  readonly runs?: number;
  /** Stop adding runs once this much time was spent (at least `minRuns` are always taken). */
  readonly budgetMs?: number;
  readonly minRuns?: number;
  /** Force a full GC before each timed run (default). False: measure on a warm, grown heap. */
  readonly gc?: boolean;
}

/**
 * Times `fn` (its setup included; pass a `setup` to exclude it). GC is forced before each run so
 * one run's garbage is not collected on the next one's clock.
 */
export async function measure<T>(
  fn: (state: T) => unknown,
  options: MeasureOptions & { readonly setup?: () => T | Promise<T>; readonly teardown?: (state: T) => unknown } = {},
): Promise<Sample> {
  const { warmup = 1, runs = 7, budgetMs = 4000, minRuns = 3, setup, teardown } = options;
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < warmup + runs; i++) {
    const state = (setup ? await setup() : undefined) as T;
    collectGarbage();
    const t0 = performance.now();
    await fn(state);
    const elapsed = performance.now() - t0;
    if (teardown) await teardown(state);
    if (i >= warmup) times.push(elapsed);
    if (times.length >= minRuns && performance.now() - started > budgetMs) break;
  }
  return summarize(times);
}

export interface Variant<T = any> {
  readonly setup?: () => T | Promise<T>;
  readonly fn: (state: T) => unknown;
}

/** B against A, round by round: the median of the rounds' ratios and a 95% confidence interval of it, in percent. */
export interface PairedPercent {
  readonly percent: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Runs two variants in mirrored rounds, A B B A then B A A B, and returns each variant's figures
 * (what `once` returns) two per round. On this machine a run's place in a round biases it by
 * about 1% (measured comparing a variant with itself in rounds that were always A B B A: the
 * second place was slower), as much as the costs some benchmarks look for; mirrored, each variant
 * takes every place equally often, and a slow phase of the machine hits both alike.
 */
export async function runMirrored<T>(once: (variant: 0 | 1) => T | Promise<T>, rounds: number, warmup = 0): Promise<[T[], T[]]> {
  const figures: [T[], T[]] = [[], []];
  for (let round = 0; round < warmup + rounds; round++) {
    const first: 0 | 1 = round % 2 === 0 ? 0 : 1;
    const second: 0 | 1 = first === 0 ? 1 : 0;
    for (const variant of [first, second, second, first]) {
      const figure = await once(variant);
      if (round >= warmup) figures[variant].push(figure);
    }
  }
  return figures;
}

/**
 * B against A for figures from runMirrored (two per round, in order): each round's ratio of sums,
 * their median, and the distribution-free 95% interval of that median (the order statistics
 * n/2 ± 0.98·√n of the sorted ratios).
 */
export function pairedPercent(a: readonly number[], b: readonly number[]): PairedPercent {
  const ratios: number[] = [];
  for (let i = 0; i + 1 < a.length && i + 1 < b.length; i += 2) ratios.push((b[i]! + b[i + 1]!) / (a[i]! + a[i + 1]!));
  if (ratios.length === 0) throw new Error("pairedPercent: no rounds");
  ratios.sort((x, y) => x - y);
  const n = ratios.length;
  const at = (rank: number) => (ratios[Math.min(n - 1, Math.max(0, rank))]! - 1) * 100;
  const spread = 0.98 * Math.sqrt(n);
  return { percent: summarize(ratios).median * 100 - 100, low: at(Math.floor(n / 2 - spread)), high: at(Math.ceil(n / 2 + spread)) };
}

/**
 * Times several variants run by run in turn (A, B, A, B, ...) so that a slow phase of a shared,
 * noisy machine hits all of them alike: use this whenever the figure that matters is a ratio.
 */
export async function measureInterleaved(variants: readonly Variant[], options: MeasureOptions = {}): Promise<Sample[]> {
  const { warmup = 1, runs = 7, budgetMs = 4000, minRuns = 3, gc = true } = options;
  const times: number[][] = variants.map(() => []);
  const started = performance.now();
  for (let i = 0; i < warmup + runs; i++) {
    for (let v = 0; v < variants.length; v++) {
      const variant = variants[v]!;
      const state: unknown = variant.setup ? await variant.setup() : undefined;
      if (gc) collectGarbage();
      const t0 = performance.now();
      await variant.fn(state);
      const elapsed = performance.now() - t0;
      if (i >= warmup) times[v]!.push(elapsed);
    }
    if (i + 1 - warmup >= minRuns && performance.now() - started > budgetMs) break;
  }
  return times.map(summarize);
}

/** Median and minimum of a list of timings (milliseconds). */
export function summarize(times: readonly number[]): Sample {
  if (times.length === 0) throw new Error("summarize: no samples");
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, runs: sorted.length };
}

export const gcAvailable = typeof globalThis.gc === "function";

/** A full GC before each timed run, so one run's garbage is not collected on the next one's clock. */
export function collectGarbage(): void {
  if (gcAvailable) globalThis.gc!();
}

/** Heap in use after a full GC (bytes). Without --expose-gc the figure includes garbage. */
export function heapAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap in use once garbage is really gone: WeakRef targets created in the current job stay alive
 * until it ends, FinalizationRegistry callbacks and closed timer lists are released later, so
 * let the event loop turn (and a timer tick pass) between collections.
 */
export async function heapAfterSettledGc(): Promise<number> {
  await nextTurn();
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 10));
  collectGarbage();
  await nextTurn();
  return heapAfterGc();
}

/** Lets pending timers, I/O callbacks and microtasks run (one macrotask turn). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function ratio(ours: number, theirs: number): number {
  return theirs > 0 ? ours / theirs : Number.NaN;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return "-";
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 0.5) return "0 B";
  if (abs >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes.toFixed(0)} B`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** One target line: `met` decides the mark; the text says what was asked and what we got. */
export function checkTarget(target: string, actual: string, met: boolean): TargetCheck {
  return { target, actual, met };
}
