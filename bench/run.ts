// `npm run bench [-- <name>...] [--quick]`: runs the benchmarks whose name contains one of the
// given words (all of them by default) and prints one table per benchmark. Run through
// `node --expose-gc --import tsx` so memory figures are taken after a real GC.
import { rmSync } from "node:fs";
import { ensureFreshBuild } from "./built.ts";
import { BENCHMARKS } from "./registry.ts";
import { gcAvailable } from "./harness.ts";
import { BENCH_WORK } from "./paths.ts";
import { describeMachine, formatReport } from "./print.ts";

interface Args {
  readonly quick: boolean;
  readonly filters: readonly string[];
}

function parseArgs(argv: readonly string[]): Args {
  const quick = argv.includes("--quick");
  const filters = argv.filter((a) => !a.startsWith("--"));
  const unknown = argv.filter((a) => a.startsWith("--") && a !== "--quick");
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(", ")} (known: --quick)`);
  return { quick, filters };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const selected = BENCHMARKS.filter((b) => args.filters.length === 0 || args.filters.some((f) => b.name.includes(f)));
  if (selected.length === 0) {
    process.stderr.write(`no benchmark matches ${args.filters.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")}\n`);
    return 2;
  }
  // Built once, up front: every benchmark then measures the same dist/.
  ensureFreshBuild();
  process.stdout.write(`# supervise benchmarks${args.quick ? " (--quick: tiny sizes, not comparable)" : ""}\n\n`);
  process.stdout.write(`machine: ${describeMachine()}\n`);
  if (!gcAvailable) process.stdout.write("warning: global.gc is not exposed; memory figures include garbage (run with --expose-gc)\n");
  let missed = 0;
  for (const bench of selected) {
    process.stdout.write(`\n## ${bench.name}\n\n`);
    const report = await bench.run({ quick: args.quick });
    process.stdout.write(`${formatReport(bench.name, report)}\n`);
    missed += report.targets.filter((t) => !t.met).length;
  }
  process.stdout.write(`\n${missed === 0 ? "all targets met" : `${missed} target(s) missed`}\n`);
  // Missed targets are findings, not failures: the exit code stays 0 so a run always completes.
  return 0;
}

try {
  process.exitCode = await main();
} finally {
  rmSync(BENCH_WORK, { recursive: true, force: true });
}
