// Benchmark 4: compiler throughput on generated specs of 100, 1,000 and 10,000 services, through
// the compiler API, phase by phase: analyze (parse, check, resolve), build the emit model,
// render the templates, write the files to a scratch directory.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { analyzeSource } from "../compiler/driver/api.ts";
import { buildEmitModel } from "../compiler/emit/emit-model.ts";
import { renderFiles, type GeneratedFile } from "../compiler/emit/render.ts";
import { writeGeneratedFiles } from "../compiler/emit/write-files.ts";
import { generateSpec } from "./generate-spec.ts";
import { checkTarget, collectGarbage, summarize, type Benchmark, type BenchOptions, type BenchReport, type Cell } from "./harness.ts";
import { BENCH_WORK, REPO_ROOT } from "./paths.ts";

const PHASES = ["analyze", "emit model", "render", "write"] as const;
type Phase = (typeof PHASES)[number];

const TARGET_10K_MS = 1000;
const LINEAR_LIMIT = 11;

export interface CompileTiming {
  readonly phases: Record<Phase, number>;
  readonly total: number;
  readonly outputBytes: number;
}

const SPEC_DIR = join(REPO_ROOT, "bench", "fixtures");

/** Runs every phase once on `source` and times each; throws if the spec has errors. */
export function compileOnce(source: string, outDir: string): CompileTiming {
  const t0 = performance.now();
  const analysis = analyzeSource(source, "bench.sup", SPEC_DIR);
  const t1 = performance.now();
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (!analysis.app || errors.length > 0) {
    const first = errors.slice(0, 3).map((d) => `${d.code} ${d.message}`);
    throw new Error(`generated spec does not check: ${first.join("; ")}`);
  }
  const model = buildEmitModel(analysis.app, { specName: "bench.sup", outToSpecDir: "../../../../bench/fixtures" });
  const t2 = performance.now();
  const files: GeneratedFile[] = renderFiles(model);
  const t3 = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeGeneratedFiles(outDir, files);
  const t4 = performance.now();
  const outputBytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
  return {
    phases: { analyze: t1 - t0, "emit model": t2 - t1, render: t3 - t2, write: t4 - t3 },
    total: t4 - t0,
    outputBytes,
  };
}

export interface SizeResult {
  readonly size: number;
  readonly lines: number;
  readonly first: number;
  readonly medians: Record<Phase, number>;
  readonly total: number;
  readonly outputBytes: number;
}

export function measureCompile(size: number, runs: number): SizeResult {
  const spec = generateSpec(size, { modulePath: "./stub-service.ts" });
  const outDir = join(BENCH_WORK, `compile-${size}`);
  const timings: CompileTiming[] = [];
  // The first compile in a size pays for JIT warmup of size-specific paths; it is kept apart.
  for (let i = 0; i <= runs; i++) {
    collectGarbage();
    timings.push(compileOnce(spec.source, outDir));
  }
  rmSync(outDir, { recursive: true, force: true });
  const measured = timings.slice(1);
  const medians = Object.fromEntries(PHASES.map((p) => [p, summarize(measured.map((t) => t.phases[p])).median])) as Record<Phase, number>;
  return {
    size,
    lines: spec.source.split("\n").length - 1,
    first: timings[0]!.total,
    medians,
    total: summarize(measured.map((t) => t.total)).median,
    outputBytes: timings[0]!.outputBytes,
  };
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const sizes = options.quick ? [10, 50] : [100, 1_000, 10_000];
  const runs = options.quick ? 1 : 5;
  // The first compile of the process also loads chevrotain's parser and compiles the templates.
  const coldStart = performance.now();
  compileOnce(generateSpec(10, { modulePath: "./stub-service.ts" }).source, join(BENCH_WORK, "compile-cold"));
  const coldMs = performance.now() - coldStart;
  const results = sizes.map((size) => measureCompile(size, runs));
  const rows: Cell[][] = results.map((r) => [
    r.size,
    r.lines,
    ...PHASES.map((p) => r.medians[p]),
    r.total,
    (r.size / r.total) * 1000,
    r.outputBytes,
  ]);
  const shares = results.map((r) => `${r.size}: ${PHASES.map((p) => `${p} ${((r.medians[p] / r.total) * 100).toFixed(0)}%`).join(", ")}`);
  const growth: string[] = [];
  const targets = [];
  for (let i = 1; i < results.length; i++) {
    const factor = results[i]!.total / results[i - 1]!.total;
    const input = results[i]!.size / results[i - 1]!.size;
    growth.push(`${results[i - 1]!.size} → ${results[i]!.size} (${input}× input): ${factor.toFixed(1)}× time`);
    if (!options.quick) {
      targets.push(checkTarget(`linear growth ${results[i - 1]!.size} → ${results[i]!.size}: ≤ ${LINEAR_LIMIT}× time for 10× input`, `${factor.toFixed(1)}×`, factor <= LINEAR_LIMIT));
    }
  }
  const largest = results[results.length - 1]!;
  if (!options.quick) targets.unshift(checkTarget(`compile 10k services ≤ ${TARGET_10K_MS} ms`, `${largest.total.toFixed(0)} ms`, largest.total <= TARGET_10K_MS));
  return {
    tables: [
      {
        title: `Compiler throughput, median of ${runs} per size (ms)`,
        columns: [
          { title: "services", unit: "count" },
          { title: "spec lines", unit: "count" },
          ...PHASES.map((p) => ({ title: p, unit: "ms" as const })),
          { title: "total", unit: "ms" },
          { title: "services/s", unit: "count" },
          { title: "output", unit: "bytes" },
        ],
        rows: rows.map((r) => r.map((c, i) => (i === 7 && typeof c === "number" ? Math.round(c) : c))),
        notes: [
          `first compile in a fresh process (loads the parser, compiles templates; 10 services): ${coldMs.toFixed(0)} ms`,
          `phase shares: ${shares.join(" | ")}`,
          `growth: ${growth.join(" | ")}`,
        ],
      },
    ],
    targets,
  };
}

export const compilerBenchmark: Benchmark = { name: "compiler", run };
