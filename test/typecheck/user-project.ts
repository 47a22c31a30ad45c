// What the tests that type-check generated code share: the repository's tsc, a user's strict
// tsconfig, and one way to run tsc on a project folder.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../golden/specs.ts";

const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

/** A user's strict tsconfig: NodeNext modules, as for any ESM TypeScript project run by tsx. */
export const USER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    types: ["node"],
    skipLibCheck: true,
    allowImportingTsExtensions: true,
  },
  include: ["gen", "services"],
};

/** Writes `tsconfig` into `dir` and runs tsc there; returns its output ("" when it type-checks). */
export function typeCheckProject(dir: string, tsconfig: object = USER_TSCONFIG, extraArgs: readonly string[] = []): string {
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  try {
    execFileSync(process.execPath, [TSC, "-p", ".", "--pretty", "false", ...extraArgs], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

/** Writes `tsconfig` into `dir` and lists the files tsc would compile there. */
export function listProjectFiles(dir: string, tsconfig: object): string {
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  return execFileSync(process.execPath, [TSC, "-p", ".", "--listFilesOnly"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
}
