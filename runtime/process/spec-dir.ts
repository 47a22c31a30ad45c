// Where the spec's directory is at run time: exec services' `cwd` is relative to it. Generated
// main.ts cannot hold an absolute path (its output is deterministic and moves with the project),
// and a path relative to main.ts holds only in the sources: compiled to dist/, `../` from
// dist/gen/main.js is dist/, where the programs a spec runs (scripts/, bin/) were never copied.
//
// So main.ts passes two ways to find it, tried in order:
// 1. relative to this file, when the spec is there (the sources, run by tsx or node);
// 2. relative to the package root, the nearest folder above this file holding a package.json,
//    which Node needs beside compiled ES modules anyway ("type": "module"), and which tsc's
//    outDir moves nothing out of (dist/gen/main.js sits below the root as gen/main.ts does).
// When neither applies (no spec beside it, no package.json above, or no such folder there), the
// first is kept, and a program that cannot be found is reported by its service as before.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface SpecDirHints {
  /** The spec's folder from the generated main file, as the compiler saw it ("../"). */
  readonly fromHere: string;
  /** The spec's file name ("service.sup"), whose presence confirms the first way. */
  readonly specFile: string;
  /** The spec's folder from the package root (".", "app/"); absent when it had no package.json. */
  readonly fromPackageRoot?: string;
}

/**
 * The absolute path of the spec's directory for the generated main file at `mainUrl`
 * (`import.meta.url`, or a path). Synchronous: it runs once, before anything starts.
 */
export function locateSpecDir(mainUrl: string | URL, hints: SpecDirHints): string {
  const mainPath = typeof mainUrl === "string" && !mainUrl.startsWith("file:") ? resolve(mainUrl) : fileURLToPath(mainUrl);
  const here = dirname(mainPath);
  const beside = resolve(here, hints.fromHere);
  if (hints.fromPackageRoot === undefined || existsSync(join(beside, hints.specFile))) return beside;
  const root = findPackageRoot(here);
  if (root === undefined) return beside;
  const fromRoot = resolve(root, hints.fromPackageRoot);
  return isDirectory(fromRoot) ? fromRoot : beside;
}

function findPackageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}
