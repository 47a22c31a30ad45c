// Benchmark 5: cold start of the built CLI. `node dist/cli.js check examples/shop/shop.sup`
// against `node -e 0` (the floor: starting Node itself), each spawned repeatedly, median.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ensureFreshBuild, retryIfDistVanished } from "./built.ts";
import { checkTarget, ratio, summarize, type Benchmark, type BenchOptions, type BenchReport, type Cell, type Sample } from "./harness.ts";
import { REPO_ROOT } from "./paths.ts";

const CLI = join(REPO_ROOT, "dist", "cli.js");
const SPEC = "examples/shop/shop.sup";
const TARGET_MS = 200;

/** Spawns `node ...args` `runs` times (after `warmup` untimed spawns) and times each to exit. */
export function timeSpawn(args: readonly string[], runs: number, warmup = 1): Sample {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const spawn = () => {
      const t0 = performance.now();
      const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8", stdio: "pipe", timeout: 60_000 });
      return { result, elapsed: performance.now() - t0 };
    };
    const { result, elapsed } = retryIfDistVanished(spawn, (r) => r.result.status !== 0);
    if (result.status !== 0) {
      throw new Error(`node ${args.join(" ")} exited ${String(result.status)}: ${result.stderr}`);
    }
    if (i >= warmup) times.push(elapsed);
  }
  return summarize(times);
}

async function run(options: BenchOptions): Promise<BenchReport> {
  ensureFreshBuild();
  const runs = options.quick ? 1 : 10;
  const warmup = options.quick ? 0 : 1;
  const floor = timeSpawn(["-e", "0"], runs, warmup);
  const check = timeSpawn([CLI, "check", SPEC], runs, warmup);
  const help = timeSpawn([CLI, "--help"], runs, warmup);
  const row = (what: string, s: Sample): Cell[] => [what, s.median, s.min, s.median - floor.median, ratio(s.median, floor.median)];
  return {
    tables: [
      {
        title: `CLI cold start (spawnSync, median of ${runs})`,
        columns: [
          { title: "command", unit: "text" },
          { title: "median ms", unit: "ms" },
          { title: "min ms", unit: "ms" },
          { title: "over node -e 0", unit: "delta-ms" },
          { title: "× node -e 0", unit: "ratio" },
        ],
        rows: [row("node -e 0", floor), row(`node dist/cli.js check ${SPEC}`, check), row("node dist/cli.js --help", help)],
        notes: ["dist/cli.js is the esbuild bundle made by `npm run build` (rebuilt first when older than its sources)."],
      },
    ],
    targets: options.quick ? [] : [checkTarget(`cli check cold start ≤ ${TARGET_MS} ms`, `${check.median.toFixed(0)} ms`, check.median <= TARGET_MS)],
  };
}

export const cliStartBenchmark: Benchmark = { name: "cli", run };
