// Benchmark: `supervise audit examples/shop/shop.sup` cold, through the built CLI: a fresh Node
// each run loads the audit's chunk (typescript, ESLint, typescript-eslint), builds one program
// for shop's five modules and runs every rule. Next to it, `check` of the same spec: what every
// other command still costs, since only `audit` loads the chunk.
import { join } from "node:path";
import { ensureFreshBuild } from "./built.ts";
import { timeSpawn } from "./cli-start.ts";
import { checkTarget, ratio, type Benchmark, type BenchOptions, type BenchReport, type Cell, type Sample } from "./harness.ts";
import { REPO_ROOT } from "./paths.ts";

const CLI = join(REPO_ROOT, "dist", "cli.js");
const SPEC = "examples/shop/shop.sup";
const TARGET_MS = 3_000;

async function run(options: BenchOptions): Promise<BenchReport> {
  ensureFreshBuild();
  const runs = options.quick ? 1 : 5;
  // No untimed warmup run: every run is a cold start of the process (the file cache is warm).
  const audit = timeSpawn([CLI, "audit", SPEC], runs, 0);
  const check = timeSpawn([CLI, "check", SPEC], runs, 0);
  const row = (what: string, s: Sample): Cell[] => [what, s.median, s.min, ratio(s.median, check.median)];
  return {
    tables: [
      {
        title: `audit of examples/shop, cold (spawnSync, median of ${runs})`,
        columns: [
          { title: "command", unit: "text" },
          { title: "median ms", unit: "ms" },
          { title: "min ms", unit: "ms" },
          { title: "× check", unit: "ratio" },
        ],
        rows: [row(`node dist/cli.js audit ${SPEC}`, audit), row(`node dist/cli.js check ${SPEC}`, check)],
        notes: ["audit = check + loading the audit chunk + one TypeScript program for the 5 modules + 8 rules through ESLint's Linter."],
      },
    ],
    targets: options.quick ? [] : [checkTarget(`audit of examples/shop cold ≤ ${TARGET_MS} ms`, `${audit.median.toFixed(0)} ms`, audit.median <= TARGET_MS)],
  };
}

export const auditBenchmark: Benchmark = { name: "audit", run };
