// Benchmark: shop's generated services.test.ts, run as a user runs it (uvu through tsx). Its five
// services run in turn in a child process, each started for real twice (stopped once started,
// then during its start), so the figure is mostly start-ups: Node and tsx twice, the modules.
import { join } from "node:path";
import { ensureFreshBuild } from "./built.ts";
import { timeSpawn } from "./cli-start.ts";
import { checkTarget, type Benchmark, type BenchOptions, type BenchReport } from "./harness.ts";
import { REPO_ROOT } from "./paths.ts";

const UVU = join(REPO_ROOT, "node_modules", "uvu", "bin.js");
const GEN = "examples/shop/gen";
const TARGET_MS = 5_000;

async function run(options: BenchOptions): Promise<BenchReport> {
  ensureFreshBuild();
  const runs = options.quick ? 1 : 5;
  const warmup = options.quick ? 0 : 1;
  const floor = timeSpawn(["--import", "tsx", "-e", "0"], runs, warmup);
  const suite = timeSpawn(["--import", "tsx", UVU, GEN, "services\\.test\\.ts$"], runs, warmup);
  return {
    tables: [
      {
        title: `shop's services.test.ts (spawned, median of ${runs})`,
        columns: [
          { title: "command", unit: "text" },
          { title: "median ms", unit: "ms" },
          { title: "min ms", unit: "ms" },
        ],
        rows: [
          ["node --import tsx -e 0", floor.median, floor.min],
          [`uvu ${GEN} services.test.ts (5 services)`, suite.median, suite.min],
        ],
        notes: ["The services run in turn in one child process (node --import tsx; two on more than two cores), each started and stopped twice."],
      },
    ],
    targets: options.quick ? [] : [checkTarget(`shop's services.test.ts ≤ ${TARGET_MS} ms`, `${suite.median.toFixed(0)} ms`, suite.median <= TARGET_MS)],
  };
}

export const servicesSuiteBenchmark: Benchmark = { name: "services-suite", run };
