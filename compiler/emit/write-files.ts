// Writes a generated set without ever losing a user's work and so that a reader never sees half
// of it: a file that exists but does not start with the generated-file header is refused (a
// person wrote or edited it); every changed file is first written in full to a temporary
// sibling, and only then are the temporary files renamed over their targets, one after another
// with nothing in between. A crash (SIGKILL, power loss) in that short run can still leave a
// mix, which the generation id in every file makes detectable (compile --check, the runtime).
// Temporary files are created exclusively under names no person picks, and only files this
// process created, or that are provably an earlier compile's leftovers, are ever removed.
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { GENERATED_HEADER } from "./emit-model.ts";
import type { GeneratedFile } from "./render.ts";

export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Files that exist without the generated header: nothing was written when this is non-empty. */
  readonly refused: readonly string[];
}

export interface WriteOptions {
  /** Temporary files this process has created and not yet renamed: a signal handler removes them. */
  readonly temps?: TempFiles;
  /** Called once every temporary file is written, before the first rename (tests use it). */
  readonly beforeRename?: () => void;
}

const TEMP_SUFFIX = ".tmp";
/** File names stop at 255 bytes; the temporary name adds the pid, 12 hex digits and dots. */
const MAX_TEMP_STEM = 200;

/** The temporary files a process has created, so that it removes those and only those. */
export class TempFiles {
  readonly #paths = new Set<string>();

  /** Creates `.<name>.<pid>-<random>.tmp` beside `target`; never opens a file that exists. */
  create(target: string, content: string): string {
    for (;;) {
      // The name is cut short so that a long but valid file name still leaves room for the suffix.
      const temp = join(dirname(target), `.${basename(target).slice(0, MAX_TEMP_STEM)}.${process.pid}-${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
      try {
        writeFileSync(temp, content, { encoding: "utf8", flag: "wx" });
        this.#paths.add(temp);
        return temp;
      } catch (error) {
        // The file was not created, so it is not ours: only a name clash is worth another try.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  }

  /** Renames a temporary file this process created over its target: it is no longer a temp. */
  rename(temp: string, target: string): void {
    renameSync(temp, target);
    this.#paths.delete(temp);
  }

  /** Removes every temporary file still pending; safe to call from a signal handler. */
  removeAll(): void {
    for (const temp of this.#paths) rmSync(temp, { force: true });
    this.#paths.clear();
  }
}

function startsWithHeader(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(GENERATED_HEADER.length);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString("utf8", 0, read) === GENERATED_HEADER;
  } finally {
    closeSync(fd);
  }
}

/**
 * Anything but a regular file where a generated file belongs is an I/O error, before anything is
 * written: a directory, and also a pipe or a device, which opening to read the header would block
 * on (with the signals deferred, nothing could end it).
 */
function refuseNonFiles(targets: readonly string[]): void {
  for (const target of targets) {
    const stat = statSync(target, { throwIfNoEntry: false });
    if (stat === undefined || stat.isFile()) continue;
    const code = stat.isDirectory() ? "EISDIR" : "EFTYPE";
    throw Object.assign(new Error(`${code}: not a regular file, open '${target}'`), { code, syscall: "open", path: target });
  }
}

/** A regular file (links followed) that starts with the generated header; unreadable is not. */
function isGeneratedFile(path: string): boolean {
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return false;
  try {
    return startsWithHeader(path);
  } catch {
    return false;
  }
}

export function writeGeneratedFiles(outDir: string, files: readonly GeneratedFile[], options: WriteOptions = {}): WriteResult {
  const targets = files.map((f) => join(outDir, f.path));
  refuseNonFiles(targets);
  const refused = targets.filter((p) => existsSync(p) && !startsWithHeader(p));
  if (refused.length > 0) return { written: [], unchanged: [], refused };

  mkdirSync(outDir, { recursive: true });
  removeLeftoverTemps(outDir, files);
  const changed = files.filter((file, i) => !existsSync(targets[i]!) || readFileSync(targets[i]!, "utf8") !== file.content);
  const temps = options.temps ?? new TempFiles();
  try {
    const pending = changed.map((file) => {
      const target = join(outDir, file.path);
      return { temp: createTempFor(temps, target, file.content), target };
    });
    options.beforeRename?.();
    for (const { temp, target } of pending) temps.rename(temp, target);
  } finally {
    temps.removeAll();
  }
  const written = new Set(changed.map((f) => f.path));
  return { written: [...written], unchanged: files.map((f) => f.path).filter((p) => !written.has(p)), refused: [] };
}

/** A temporary file with the content, keeping the permissions of the file it will replace. */
function createTempFor(temps: TempFiles, target: string, content: string): string {
  let temp: string;
  try {
    temp = temps.create(target, content);
  } catch (error) {
    // Name the file the user knows, not the temporary one that could not be created.
    throw Object.assign(error as Error, { path: target });
  }
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing !== undefined) chmodSync(temp, existing.mode & 0o7777);
  return temp;
}

/**
 * Writes `content` to a temporary sibling of `target` and renames it over `target`, keeping the
 * permissions of a file it replaces: readers see the old file or the new one, never half.
 */
export function replaceFileAtomically(target: string, content: string): void {
  const temps = new TempFiles();
  try {
    temps.rename(createTempFor(temps, target, content), target);
  } finally {
    temps.removeAll();
  }
}

/**
 * Removes temporary files that an earlier compile left when it was killed (SIGKILL cannot be
 * handled). One is removed only when it is provably such a leftover: named for a generated file
 * with this module's pattern, created by a process that no longer runs, and starting with the
 * generated header. Anything else, a user's file included, is left alone.
 */
function removeLeftoverTemps(outDir: string, files: readonly GeneratedFile[]): void {
  const names = new Set(files.map((f) => f.path));
  for (const entry of readdirSync(outDir)) {
    const match = LEFTOVER.exec(entry);
    if (match === null || !names.has(match[1]!) || isRunning(Number(match[2]))) continue;
    const path = join(outDir, entry);
    if (isGeneratedFile(path)) rmSync(path, { force: true });
  }
}

const LEFTOVER = /^\.(.+)\.(\d+)-[0-9a-f]{12}\.tmp$/;

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Generated files from an earlier compile that this one no longer produces (e.g. renamed). */
export function findStaleGeneratedFiles(outDir: string, files: readonly GeneratedFile[]): string[] {
  if (!existsSync(outDir)) return [];
  const current = new Set(files.map((f) => f.path));
  return readdirSync(outDir)
    .filter((name) => name.endsWith(".ts") && !current.has(name))
    .filter((name) => isGeneratedFile(join(outDir, name)))
    .sort();
}
