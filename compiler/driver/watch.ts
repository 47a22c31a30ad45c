// `compile --watch`: compile, then again whenever the spec or one of its module files changes,
// until SIGINT or SIGTERM. Directories are watched rather than files, because editors save by
// writing a new file and renaming it over the old one, which a watch on the old file misses; a
// module that does not exist yet is caught the moment it is created. Changes are debounced (an
// editor's save is several events), and a compile that fails (errors in the spec, a refused or
// failed write) is reported and waited out like any other.
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { readSpecFile } from "./api.ts";
import { parseSpec } from "../syntax/parse-spec.ts";
import type { Block } from "../language/ast.ts";

export interface WatchOptions {
  readonly specPath: string;
  /** One compile, its diagnostics and summary printed; throws only for a usage or I/O error. */
  readonly compile: () => Promise<unknown>;
  /** Prints a line about the watch itself (stderr). */
  readonly log: (line: string) => void;
  readonly debounceMs?: number;
}

/** The spec and the module files it names, as absolute paths (the spec alone when it cannot be read). */
export function watchedFiles(specPath: string): string[] {
  const files = [resolve(specPath)];
  let source: string;
  try {
    source = readSpecFile(specPath);
  } catch {
    return files;
  }
  const visit = (block: Block): void => {
    for (const s of block.settings) if (s.kind === "module" && s.path.value.startsWith(".")) files.push(resolve(dirname(specPath), s.path.value));
    block.children.forEach(visit);
  };
  const app = parseSpec(source, basename(specPath)).spec.app;
  if (app !== undefined) visit(app);
  return [...new Set(files)];
}

/** Runs until SIGINT or SIGTERM; resolves with exit code 0 once the watchers are closed. */
export function watchAndCompile(options: WatchOptions): Promise<number> {
  const { specPath, compile, log, debounceMs = 100 } = options;
  const watchers = new Map<string, FSWatcher>();
  let wanted = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let stopping = false;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((settle) => (finish = settle));

  const schedule = (changed?: string): void => {
    if (stopping) return;
    if (changed !== undefined && timer === undefined) log(`${changed} changed: compiling again`);
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void runOnce();
    }, debounceMs);
  };

  const rewatch = (): void => {
    wanted = new Set(watchedFiles(specPath));
    const dirs = new Set([...wanted].map((f) => dirname(f)));
    for (const [dir, watcher] of watchers) {
      if (dirs.has(dir)) continue;
      watcher.close();
      watchers.delete(dir);
    }
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, (_event, name) => {
          const path = name !== null ? join(dir, name.toString()) : "";
          if (wanted.has(path)) schedule(relative(".", path) || path);
        });
        // A folder that goes away ends its watch; the next compile watches again what exists.
        watcher.on("error", () => {
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // A module's folder that does not exist: its error is in the diagnostics; the spec's
        // folder is watched, and a fixed path is picked up when the spec changes.
      }
    }
    const modules = wanted.size - 1;
    log(`watching ${specPath} and ${modules} module file${modules === 1 ? "" : "s"} for changes (Ctrl-C to stop)`);
  };

  const stop = (): void => {
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    finish(0);
  };

  const runOnce = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await compile();
    } catch (error) {
      log(`supervise: ${error instanceof Error ? error.message : String(error)}`);
    }
    running = false;
    if (stopping) return stop();
    rewatch();
    if (again) {
      again = false;
      schedule();
    }
  };

  // A signal during a compile lets it finish (its write is never cut in half), then stops.
  function onSignal(): void {
    if (stopping) return;
    stopping = true;
    log("stopped watching");
    if (!running) stop();
  }
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  void runOnce();
  return done;
}
