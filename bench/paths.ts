// Where the benchmarks find the repository and put their scratch files. Generated projects go
// inside the repository (.gen-tmp/ is gitignored) so that `supervise/runtime` resolves through
// the package's self-reference, exactly as it does for a user.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Per process, so that two bench runs at once (a shared machine) never write the same files. */
export const BENCH_WORK = join(REPO_ROOT, ".gen-tmp", "bench", `run-${process.pid}`);

export const STUB_MODULE = join(REPO_ROOT, "bench", "fixtures", "stub-service.ts");

export const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
