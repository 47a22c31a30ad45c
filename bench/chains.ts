// Benchmark: the front end on the longest dependency chains, each figure from a fresh process
// (bench/chain-child.ts) so that its peak memory (max RSS) is its own: compile 10,000 services in
// a chain, and check 100,000. A chain is the worst shape for anything that recurses along
// dependencies or lists, per service, everything behind it.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { checkTarget, type Benchmark, type BenchOptions, type BenchReport, type Cell } from "./harness.ts";
import { REPO_ROOT } from "./paths.ts";

const TARGET_COMPILE_10K_MS = 1000;
const TARGET_COMPILE_10K_BYTES = 500 * 1024 * 1024;
const TARGET_CHECK_100K_MS = 10_000;

interface Measured {
  readonly ms: number;
  readonly maxRssBytes: number;
  readonly errors: number;
  readonly files: number;
}

type ChainMode = "check" | "compile" | "compile-warm";

function measureChain(mode: ChainMode, size: number): Measured {
  const output = execFileSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench", "chain-child.ts"), mode, String(size)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 1024 * 1024,
  });
  const measured = JSON.parse(output.trim().split("\n").pop()!) as Measured;
  if (measured.errors > 0) throw new Error(`the ${size}-service chain does not check (${measured.errors} errors)`);
  return measured;
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const cases: [ChainMode, number][] = options.quick
    ? [["compile", 100], ["check", 1_000]]
    : [["compile", 1_000], ["compile", 10_000], ["compile-warm", 10_000], ["check", 10_000], ["check", 100_000]];
  const results = cases.map(([mode, size]) => ({ mode, size, ...measureChain(mode, size) }));
  const rows: Cell[][] = results.map((r) => [`${r.mode} ${r.size.toLocaleString("en-US")}`, r.ms, r.maxRssBytes, r.size / (r.ms / 1000)]);
  const targets = [];
  if (!options.quick) {
    const compile10k = results.find((r) => r.mode === "compile" && r.size === 10_000)!;
    const check100k = results.find((r) => r.mode === "check" && r.size === 100_000)!;
    targets.push(
      checkTarget(`compile a 10k chain ≤ ${TARGET_COMPILE_10K_MS} ms`, `${compile10k.ms.toFixed(0)} ms`, compile10k.ms <= TARGET_COMPILE_10K_MS),
      checkTarget("compile a 10k chain ≤ 500 MB (max RSS of the process)", `${(compile10k.maxRssBytes / 1024 / 1024).toFixed(0)} MB`, compile10k.maxRssBytes <= TARGET_COMPILE_10K_BYTES),
      checkTarget(`check a 100k chain ≤ ${TARGET_CHECK_100K_MS / 1000} s`, `${(check100k.ms / 1000).toFixed(1)} s`, check100k.ms <= TARGET_CHECK_100K_MS),
    );
  }
  return {
    tables: [
      {
        title: "Dependency chains: one process per figure",
        columns: [
          { title: "what", unit: "text" },
          { title: "time", unit: "ms" },
          { title: "max RSS", unit: "bytes" },
          { title: "services/s", unit: "count" },
        ],
        rows,
        notes: [
          "max RSS includes the compiler's own code (~150 MB for Node.js, tsx and chevrotain before any spec).",
          "compile: the first compile of the process (what one `supervise compile` does); compile-warm: the third compile of the same spec in one process (what `supervise compile --watch` does on each change).",
        ],
      },
    ],
    targets,
  };
}

export const chainsBenchmark: Benchmark = { name: "chains", run };
