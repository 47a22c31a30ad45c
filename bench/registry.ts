// Every benchmark, in the order `npm run bench` runs them. A module exports one `Benchmark`.
import { auditBenchmark } from "./audit.ts";
import { cancelBenchmark } from "./cancel.ts";
import { chainsBenchmark } from "./chains.ts";
import { cliStartBenchmark } from "./cli-start.ts";
import { compilerBenchmark } from "./compiler.ts";
import { fanOutBenchmark } from "./fanout.ts";
import { generatedBenchmark } from "./generated.ts";
import type { Benchmark } from "./harness.ts";
import { servicesSuiteBenchmark } from "./services-suite.ts";
import { shutdownBenchmark } from "./shutdown.ts";
import { startStopBenchmark } from "./start-stop.ts";
import { watchdogBenchmark } from "./watchdog.ts";

export const BENCHMARKS: readonly Benchmark[] = [
  startStopBenchmark,
  watchdogBenchmark,
  cancelBenchmark,
  fanOutBenchmark,
  shutdownBenchmark,
  compilerBenchmark,
  chainsBenchmark,
  cliStartBenchmark,
  generatedBenchmark,
  auditBenchmark,
  servicesSuiteBenchmark,
];
