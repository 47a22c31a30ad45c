// The spec of bench/chains.ts: n services in one chain (s1 needs s0, s2 needs s1, ...), every one
// running the stub module, with a grace that their stop timeouts fit in.
import { join } from "node:path";
import { REPO_ROOT } from "./paths.ts";

export const SPEC_DIR_FOR_CHAINS = join(REPO_ROOT, "bench", "fixtures");

export function chainSpec(size: number): string {
  const lines = [`app chain${size} {`, "  grace 500h"];
  for (let i = 0; i < size; i++) {
    lines.push(`  service s${i} { module "./stub-service.ts"  stop timeout 1s${i > 0 ? `  needs s${i - 1}` : ""} }`);
  }
  lines.push("}", "");
  return lines.join("\n");
}
