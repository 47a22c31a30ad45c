// Writes generated files without ever losing a user's work: a file that exists but does not
// start with the generated-file header is refused (it was written or edited by a person), and
// each file is written to a temporary sibling and renamed, so a crash leaves either the old or
// the new file, never half of one.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { GENERATED_HEADER } from "./emit-model.ts";
import type { GeneratedFile } from "./render.ts";

export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Files that exist without the generated header: nothing was written when this is non-empty. */
  readonly refused: readonly string[];
}

function isGenerated(path: string): boolean {
  return readFileSync(path, "utf8").startsWith(GENERATED_HEADER);
}

export function writeGeneratedFiles(outDir: string, files: readonly GeneratedFile[]): WriteResult {
  const refused = files.map((f) => join(outDir, f.path)).filter((p) => existsSync(p) && !isGenerated(p));
  if (refused.length > 0) return { written: [], unchanged: [], refused };

  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const target = join(outDir, file.path);
    if (existsSync(target) && readFileSync(target, "utf8") === file.content) {
      unchanged.push(file.path);
      continue;
    }
    replaceFileAtomically(target, file.content);
    written.push(file.path);
  }
  return { written, unchanged, refused: [] };
}

/**
 * Writes `content` to a temporary sibling of `target` and renames it over `target`, keeping the
 * permissions of a file it replaces: readers see the old file or the new one, never half.
 */
export function replaceFileAtomically(target: string, content: string): void {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, content, { encoding: "utf8", flag: "wx" });
    if (existsSync(target)) chmodSync(temp, statSync(target).mode & 0o7777);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Generated files from an earlier compile that this one no longer produces (e.g. renamed). */
export function findStaleGeneratedFiles(outDir: string, files: readonly GeneratedFile[]): string[] {
  if (!existsSync(outDir)) return [];
  const current = new Set(files.map((f) => f.path));
  return readdirSync(outDir)
    .filter((name) => name.endsWith(".ts") && !current.has(name))
    .filter((name) => isGenerated(join(outDir, name)))
    .sort();
}
