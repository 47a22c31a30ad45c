// Benchmark 6: the generated code at scale. `tsc --strict --noEmit` (TypeScript 7, native) on the
// output for 1,000 and 10,000 services, and the run time of the generated shutdown test suite of
// a 100-service spec. Projects are generated inside the repository (.gen-tmp/bench/) so that
// `supervise/runtime` resolves through the package self-reference, as in a user's project.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { compileSource } from "../compiler/driver/api.ts";
import { writeGeneratedFiles } from "../compiler/emit/write-files.ts";
import { ensureFreshBuild, retryIfDistVanished } from "./built.ts";
import { generateSpec } from "./generate-spec.ts";
import { checkTarget, summarize, type Benchmark, type BenchOptions, type BenchReport, type Cell, type TargetCheck } from "./harness.ts";
import { BENCH_WORK, REPO_ROOT, TSC } from "./paths.ts";
import { USER_TSCONFIG } from "../test/typecheck/user-project.ts";

const UVU = join(REPO_ROOT, "node_modules", "uvu", "bin.js");
const TSC_TARGETS: Readonly<Record<number, number>> = { 1_000: 1_000, 10_000: 3_000 };
const SUITE_TARGET_MS = 2_000;

export interface GeneratedProject {
  readonly dir: string;
  readonly bytes: number;
}

/** Compiles a generated spec of `size` services into .gen-tmp/bench/run-<pid>/gen-<size>/gen. */
export function generateProject(size: number): GeneratedProject {
  const dir = join(BENCH_WORK, `gen-${size}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // From .gen-tmp/bench/run-<pid>/gen-N/ back to the repository's bench/fixtures/.
  const spec = generateSpec(size, { modulePath: "../../../../bench/fixtures/stub-service.ts" });
  writeFileSync(join(dir, "app.sup"), spec.source);
  const output = compileSource(spec.source, "app.sup", dir, join(dir, "gen"));
  const errors = output.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || output.files.length === 0) {
    throw new Error(`generated spec of ${size} does not compile: ${errors.slice(0, 3).map((d) => `${d.code} ${d.message}`).join("; ")}`);
  }
  writeGeneratedFiles(join(dir, "gen"), output.files);
  return {
    dir,
    bytes: output.files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0),
  };
}

interface Timed {
  readonly ms: number;
  readonly ok: boolean;
  readonly output: string;
}

/** A hung subprocess must end the measurement, not the benchmark run. */
const SUBPROCESS_TIMEOUT_MS = 120_000;

function timeNode(args: readonly string[], cwd: string): Timed {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", stdio: "pipe", maxBuffer: 64 * 1024 * 1024, timeout: SUBPROCESS_TIMEOUT_MS });
  const ms = performance.now() - t0;
  const timedOut = result.error !== undefined && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
  const output = timedOut ? `timed out after ${SUBPROCESS_TIMEOUT_MS} ms` : `${result.stdout}${result.stderr}`;
  return { ms, ok: result.status === 0, output };
}

function medianOf(runs: number, once: () => Timed): Timed & { readonly median: number } {
  const all: Timed[] = [];
  for (let i = 0; i < runs; i++) all.push(retryIfDistVanished(once, (t) => !t.ok));
  const failed = all.find((t) => !t.ok);
  return { ...(failed ?? all[0]!), median: summarize(all.map((t) => t.ms)).median };
}

/** The user's strict tsconfig the typecheck tests use, over the generated files only. */
const TSCONFIG = { ...USER_TSCONFIG, include: ["gen"] };

export function typecheckProject(project: GeneratedProject, runs: number): Timed & { readonly median: number } {
  writeFileSync(join(project.dir, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  return medianOf(runs, () => timeNode([TSC, "-p", ".", "--pretty", "false"], project.dir));
}

export function runGeneratedSuite(project: GeneratedProject, runs: number): Timed & { readonly median: number; readonly tests: number } {
  // Only the shutdown suite: uvu's default pattern would also import gen/main.ts, which runs the
  // app and waits for a signal forever, and services.test.ts (which runs the modules, one child
  // process each) has its own benchmark (bench/services-suite.ts).
  const result = medianOf(runs, () => timeNode(["--import", "tsx", UVU, "gen", "shutdown\\.test\\.ts$"], project.dir));
  const plain = result.output.replace(/\x1b\[[0-9;]*m/g, "");
  return { ...result, tests: Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0) };
}

function failure(what: string, timed: Timed): string {
  const first = timed.output.split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" / ");
  return `${what} FAILED: ${first}`;
}

async function run(options: BenchOptions): Promise<BenchReport> {
  ensureFreshBuild();
  const tscSizes = options.quick ? [10] : [1_000, 10_000];
  const suiteSize = options.quick ? 3 : 100;
  const runs = options.quick ? 1 : 3;
  const rows: Cell[][] = [];
  const notes: string[] = [];
  const targets: TargetCheck[] = [];

  const floor = medianOf(runs, () => timeNode([TSC, "--version"], REPO_ROOT));
  for (const size of tscSizes) {
    const project = generateProject(size);
    const tsc = typecheckProject(project, runs);
    rows.push([`tsc --strict --noEmit, ${size} services`, project.bytes, tsc.ok ? tsc.median : "errors"]);
    if (!tsc.ok) notes.push(failure(`tsc on ${size} services`, tsc));
    const goal = TSC_TARGETS[size];
    if (goal !== undefined) targets.push(checkTarget(`tsc --strict on ${size} generated services ≤ ${goal} ms`, tsc.ok ? `${tsc.median.toFixed(0)} ms` : "type errors", tsc.ok && tsc.median <= goal));
  }
  notes.push(`tsc --version (process start of the native compiler): ${floor.median.toFixed(0)} ms`);

  const tsxFloor = options.quick ? undefined : medianOf(runs, () => timeNode(["--import", "tsx", "-e", "0"], REPO_ROOT));
  const project = generateProject(suiteSize);
  const suite = runGeneratedSuite(project, runs);
  rows.push([`generated shutdown.test.ts, ${suiteSize} services (${suite.tests} tests)`, project.bytes, suite.ok ? suite.median : "failed"]);
  if (!suite.ok) notes.push(failure(`generated suite of ${suiteSize} services`, suite));
  if (tsxFloor) notes.push(`node --import tsx -e 0 (the fixed cost of running TypeScript through tsx): ${tsxFloor.median.toFixed(0)} ms`);
  if (!options.quick) {
    targets.push(checkTarget(`generated test suite of ${suiteSize} services ≤ ${SUITE_TARGET_MS} ms`, suite.ok ? `${suite.median.toFixed(0)} ms` : "failed", suite.ok && suite.median <= SUITE_TARGET_MS));
  }
  return {
    tables: [
      {
        title: `Generated code at scale (median of ${runs}, wall time of the subprocess)`,
        columns: [
          { title: "what", unit: "text" },
          { title: "generated", unit: "bytes" },
          { title: "ms", unit: "ms" },
        ],
        rows,
        notes,
      },
    ],
    targets,
  };
}

export const generatedBenchmark: Benchmark = { name: "generated", run };
