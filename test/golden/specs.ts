// Where the golden specs live and where their generated files are committed.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface GoldenSpec {
  readonly specPath: string;
  readonly outDir: string;
}

/** examples/<name>/<name>.sup -> examples/<name>/gen; test/fixtures/golden/<name>.sup -> .../<name>.out */
export function goldenSpecs(): GoldenSpec[] {
  const specs: GoldenSpec[] = [];
  const examples = join(REPO_ROOT, "examples");
  for (const name of readdirSync(examples).sort()) {
    const specPath = join(examples, name, `${name}.sup`);
    if (existsSync(specPath)) specs.push({ specPath, outDir: join(examples, name, "gen") });
  }
  const fixtures = join(REPO_ROOT, "test", "fixtures", "golden");
  for (const file of readdirSync(fixtures).sort()) {
    if (file.endsWith(".sup")) specs.push({ specPath: join(fixtures, file), outDir: join(fixtures, file.replace(/\.sup$/, ".out")) });
  }
  return specs;
}
