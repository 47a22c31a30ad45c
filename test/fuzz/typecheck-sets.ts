// Writes generated sets as projects side by side, type-checks them all with one `tsc --strict`
// run and imports every plan.ts in one tsx process: "compiles to code that type-checks and
// imports", for a sample of the fuzzer's accepted specs. Returns one line per failing set.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../golden/specs.ts";
import { ensureFuzzProject } from "./property.ts";

const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

export interface GeneratedSet {
  readonly source: string;
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

export function typeCheckSets(sets: readonly GeneratedSet[], label: string): string[] {
  if (sets.length === 0) return [];
  // Inside the repository, so that `supervise/runtime` resolves through the package's self-reference.
  const root = join(REPO_ROOT, ".gen-tmp", `fuzz-typecheck-${label}-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  sets.forEach((set, i) => {
    const dir = join(root, `p${i}`);
    ensureFuzzProject(dir);
    mkdirSync(join(dir, "gen"), { recursive: true });
    for (const file of set.files) writeFileSync(join(dir, "gen", file.path), file.content);
  });
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: ["node"], skipLibCheck: true, allowImportingTsExtensions: true },
      include: ["p*/gen/plan.ts", "p*/gen/types.ts", "p*/gen/main.ts", "p*/services"],
    }),
  );
  const failures: string[] = [];
  const blame = (output: string, what: string): void => {
    const failing = new Set([...output.matchAll(/p(\d+)[\\/]gen/g)].map((m) => Number(m[1])));
    for (const i of failing) failures.push(`${what}: ${output.split("\n").find((l) => l.includes(`p${i}/`)) ?? ""}\n${sets[i]!.source}`);
    if (failing.size === 0) failures.push(`${what}: ${output.slice(0, 2000)}`);
  };
  try {
    execFileSync(process.execPath, [TSC, "-p", root, "--pretty", "false"], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    blame(String((error as { stdout?: string }).stdout ?? error), "tsc");
  }
  // Importing plan.ts runs it (main.ts would start the app): the data loads and is the set's.
  const urls = sets.map((_, i) => pathToFileURL(join(root, `p${i}`, "gen", "plan.ts")).href);
  const script = `for (const [i, url] of ${JSON.stringify(urls)}.entries()) {
  try { const { plan } = await import(url); if (typeof plan?.generation !== "string") throw new Error("no plan"); }
  catch (error) { console.log("p" + i + "/gen/plan.ts: " + String(error).split("\\n")[0]); process.exitCode = 1; }
}`;
  try {
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    blame(String((error as { stdout?: string }).stdout ?? error), "import");
  }
  if (failures.length === 0) rmSync(root, { recursive: true, force: true });
  return failures;
}
