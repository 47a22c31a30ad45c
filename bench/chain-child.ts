// One measurement of bench/chains.ts in a fresh process, so that its peak memory is its own:
// `node --import tsx bench/chain-child.ts <check|compile|compile-warm> <services>` prints
// {"ms": ..., "maxRssBytes": ..., "errors": ...} for a chain of that many services, each needing
// the one before (the deepest dependency path a spec of that size can have).
import { analyzeSource, compileSource } from "../compiler/driver/api.ts";
import { SPEC_DIR_FOR_CHAINS, chainSpec } from "./chains-spec.ts";

const [mode, size] = [process.argv[2], Number(process.argv[3])];
const source = chainSpec(size);
// Loading the compiler is not part of the figure: a warm-up on a small spec first.
analyzeSource(chainSpec(10), "chain.sup", SPEC_DIR_FOR_CHAINS);
const compile = () => compileSource(source, "chain.sup", SPEC_DIR_FOR_CHAINS, `${SPEC_DIR_FOR_CHAINS}/gen`);
// "compile-warm": the third compile of the same spec in the process, as `supervise compile --watch`
// does on each change: the compiler's code is already optimized and the heap sized.
if (mode === "compile-warm") {
  compile();
  compile();
}
const start = performance.now();
const result = mode === "check" ? analyzeSource(source, "chain.sup", SPEC_DIR_FOR_CHAINS) : compile();
const ms = performance.now() - start;
const errors = result.diagnostics.filter((d) => d.severity === "error").length;
const files = "files" in result ? (result.files as readonly unknown[]).length : 0;
process.stdout.write(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, errors, files }) + "\n");
