// Benchmark: what the watchdog (runtime/host/watchdog.ts) adds to a start and stop. The same
// start+stop as bench/start-stop.ts (N trivial services, a 10-layer DAG, SIGTERM once all have
// started), on the bench host without a watchdog and with the real one, in mirrored rounds
// (harness.ts runMirrored) so the machine's noise hits both alike. With it, the first run starts a worker
// thread next to the app and the process keeps it for the next runs: the target is that this
// costs at most 2%.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { loadRuntime, retryIfDistVanished, type RuntimeModule } from "./built.ts";
import { REPO_ROOT } from "./paths.ts";
import { checkTarget, collectGarbage, pairedPercent, runMirrored, summarize, type PairedPercent, type Benchmark, type BenchOptions, type BenchReport, type Cell, type TargetCheck } from "./harness.ts";
import { assertCleanStop, bindAll, buildPlan, runToShutdown, trivialStart } from "./runtime-app.ts";
import { buildGraph } from "./shapes.ts";

const TARGET_PERCENT = 2;
const TARGET_SIZE = 10_000;

interface Compared {
  readonly without: number;
  readonly with: number;
  /** The median of the rounds' ratios, with its 95% interval. */
  readonly paired: PairedPercent;
}

function compare(without: readonly number[], withIt: readonly number[]): Compared {
  return { without: summarize(without).median, with: summarize(withIt).median, paired: pairedPercent(without, withIt) };
}

async function measureSize(rt: RuntimeModule, size: number, quick: boolean): Promise<Compared> {
  const graph = buildGraph("dag", size);
  const plan = buildPlan(graph);
  const bindings = bindAll(graph, trivialStart);
  const once = async (variant: 0 | 1): Promise<number> => {
    const watchdog = variant === 1;
    collectGarbage();
    const t0 = performance.now();
    const run = await runToShutdown(rt, plan, bindings, undefined, { watchdog });
    const ms = performance.now() - t0;
    assertCleanStop(run, size, `dag ${size}${watchdog ? " with the watchdog" : ""}`);
    return ms;
  };
  // A warm start+stop of 10,000 services varies by a factor of two from run to run (with where the
  // collector's work falls): comparing the variant with itself, 40 rounds differ by up to ±4%, more
  // than the target; 200 rounds (800 runs, about 2.5 minutes) bring the spread to about ±1%.
  const rounds = quick ? 1 : size >= 10_000 ? 200 : 150;
  const [without, withIt] = await runMirrored(once, rounds, quick ? 0 : 2);
  return compare(without, withIt);
}

const ONCE_SCRIPT = join(REPO_ROOT, "bench", "start-stop-once.ts");

/** One start+stop in a new process (bench/start-stop-once.ts): what a deployed service does. */
function measureOnce(variant: "ours" | "ours-watchdog", size: number): { ms: number; wallMs: number } {
  const args = ["--expose-gc", "--import", "tsx", ONCE_SCRIPT, variant, "dag", String(size)];
  let wallMs = 0;
  const result = retryIfDistVanished(
    () => {
      const t0 = performance.now();
      const spawned = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8", stdio: "pipe", timeout: 120_000 });
      wallMs = performance.now() - t0;
      return spawned;
    },
    (r) => r.status !== 0,
  );
  if (result.status !== 0) throw new Error(`start-stop-once ${variant} dag ${size} exited ${String(result.status)}: ${result.stderr}`);
  const ms = (JSON.parse(result.stdout.trim().split("\n").pop() ?? "") as { ms?: unknown }).ms;
  if (typeof ms !== "number" || !(ms > 0)) throw new Error(`start-stop-once ${variant} printed ${result.stdout}`);
  return { ms, wallMs };
}

interface FreshFigures {
  /** Start+stop, timed inside the process. */
  readonly inProcess: Compared;
  /** The whole process, spawn to exit: loading, the thread's boot, the run and the exit. */
  readonly wall: Compared;
}

/** In new processes, in mirrored rounds; medians. */
async function measureFresh(size: number, rounds: number): Promise<FreshFigures> {
  const once = (variant: 0 | 1) => measureOnce(variant === 0 ? "ours" : "ours-watchdog", size);
  const [without, withIt] = await runMirrored(once, rounds);
  const pick = (runs: readonly { ms: number; wallMs: number }[], key: "ms" | "wallMs") => runs.map((r) => r[key]);
  return { inProcess: compare(pick(without, "ms"), pick(withIt, "ms")), wall: compare(pick(without, "wallMs"), pick(withIt, "wallMs")) };
}

const percentOf = (withIt: number, without: number): number => ((withIt - without) / without) * 100;

function row(label: string, m: Compared): Cell[] {
  const { percent, low, high } = m.paired;
  const paired = `${percent.toFixed(1)}% (${low.toFixed(1)} to ${high.toFixed(1)})`;
  return [label, m.without, m.with, m.with - m.without, `${percentOf(m.with, m.without).toFixed(1)}%`, paired];
}

function targetFor(where: string, m: Compared): TargetCheck {
  const percent = percentOf(m.with, m.without);
  const actual = `${percent.toFixed(1)}% (${m.with.toFixed(1)} vs ${m.without.toFixed(1)} ms)`;
  return checkTarget(`watchdog adds ≤ ${TARGET_PERCENT}% to start+stop of ${TARGET_SIZE.toLocaleString("en-US")} services (${where})`, actual, percent <= TARGET_PERCENT);
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const rt = await loadRuntime();
  const sizes = options.quick ? [100] : [1_000, TARGET_SIZE];
  const rows: Cell[][] = [];
  const targets: TargetCheck[] = [];
  for (const size of sizes) {
    const m = await measureSize(rt, size, options.quick);
    rows.push(row(size.toLocaleString("en-US"), m));
    if (size === TARGET_SIZE) targets.push(targetFor("in process", m));
  }
  // A fresh process pays for starting the thread: the case of a deployed service.
  const freshSize = options.quick ? 100 : TARGET_SIZE;
  const fresh = await measureFresh(freshSize, options.quick ? 1 : 20);
  rows.push(row(`${freshSize.toLocaleString("en-US")}, new process`, fresh.inProcess));
  rows.push(row(`${freshSize.toLocaleString("en-US")}, new process, spawn to exit`, fresh.wall));
  if (!options.quick) targets.push(targetFor("new process", fresh.inProcess));
  return {
    tables: [
      {
        title: "Start + stop with and without the watchdog (10-layer DAG, medians, interleaved)",
        columns: [
          { title: "services", unit: "text" },
          { title: "without ms", unit: "ms" },
          { title: "with ms", unit: "ms" },
          { title: "difference ms", unit: "delta-ms" },
          { title: "added", unit: "text" },
          { title: "paired (95% interval)", unit: "text" },
        ],
        rows,
        notes: [
          "With: the real watchdog (a worker thread, a heartbeat timer); its thread is started by the first run, in parallel with it, and kept for the next runs of the process.",
          "In-process runs after a forced GC, as in the start-stop benchmark's warm table. Rounds are mirrored (A B B A, then B A A B) so neither variant keeps the place in a round that favours it; \"added\" compares the medians of all runs (the target), \"paired\" is the median of the rounds' ratios with its 95% interval.",
          "New process: with the watchdog, the process imports the runtime's watchdog entry first, as the generated main.ts does, so the thread boots while the rest loads; start+stop is timed inside the process, spawn to exit by the parent (node and tsx booting, loading, the run, the exit).",
        ],
      },
    ],
    targets,
  };
}

export const watchdogBenchmark: Benchmark = { name: "watchdog", run };
