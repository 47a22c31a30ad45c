// The small API that chains the phases: read -> analyze (parse, check, resolve) -> build the
// emit model -> render -> write, and the tools around the language (fmt, graph, plan). The CLI,
// the tests and the benchmarks all go through here.
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { analyzeSpec, type Analysis as SpecAnalysis } from "./pipeline.ts";
import type { PathKind } from "../analysis/registry.ts";
import { buildEmitModel } from "../emit/emit-model.ts";
import { renderFiles, type GeneratedFile } from "../emit/render.ts";
import type { ResolvedApp, ResolvedNode } from "../model/model.ts";
import { findStaleGeneratedFiles, replaceFileAtomically, writeGeneratedFiles, type WriteOptions, type WriteResult } from "../emit/write-files.ts";
import { stampGeneration } from "../emit/generation.ts";
import { findUrlCharacter, showControls } from "../analysis/modules.ts";
import { IoError, UsageError, withIoErrors } from "./usage-errors.ts";
import { formatSpec } from "../tools/format-spec.ts";
import { renderGraph, type GraphFormat } from "../tools/render-graph.ts";
import { renderPlan, type PlanFormat } from "../tools/render-plan.ts";

export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  /** File name -> source text, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
  readonly app: ResolvedApp | undefined;
}

export interface CompileOutput extends Analysis {
  readonly files: readonly GeneratedFile[];
}

export { UsageError } from "./usage-errors.ts";

/** Analyses spec text. `fileName` is how diagnostics name the file; `specDir` resolves modules. */
export function analyzeSource(source: string, fileName: string, specDir: string): Analysis {
  const result = analyzeSpecText(source, fileName, specDir);
  return { diagnostics: result.diagnostics, sources: new Map([[fileName, source]]), app: result.app };
}

/** The front end's whole result, syntax tree included (for editors), with the CLI's file-system wiring. */
export function analyzeSpecText(source: string, fileName: string, specDir: string): SpecAnalysis {
  return analyzeSpec(source, fileName, {
    specDir,
    // One system call answers all three questions.
    fileExists: (path) => statPath(path) !== "missing",
    directoryExists: (path) => statPath(path) === "directory",
    statPath,
    readFile: (path) => readFileSync(path, "utf8"),
    searchPath: process.env["PATH"],
    listDirectory: (path) => readdirSync(path),
  });
}

/**
 * What a path names, symbolic links followed (a link to a module file is that file). A path the
 * system cannot stat (below a file, a loop of links) does not exist, as for `existsSync`.
 */
function statPath(path: string): PathKind {
  let stats;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch {
    return "missing";
  }
  if (stats === undefined) return "missing";
  return stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other";
}

/** Analyses and renders, in memory. Files are produced only when there are no errors. */
export function compileSource(source: string, fileName: string, specDir: string, outDir: string): CompileOutput {
  const analysis = analyzeSource(source, fileName, specDir);
  if (!analysis.app || hasErrors(analysis.diagnostics)) return { ...analysis, files: [] };
  const outToSpecDir = toPosix(relative(resolve(outDir), resolve(specDir))) || ".";
  const model = buildEmitModel(analysis.app, { specName: basename(fileName), outToSpecDir, packageToSpecDir: findPackageToSpecDir(specDir) });
  // main.ts imports each module by a path through this folder: one that an import reads as a URL
  // differently from the file system cannot be written so that both tsc and Node.js find the file.
  const unsafe = findUrlCharacter(outToSpecDir);
  if (unsafe !== undefined && model.modules.length > 0) {
    throw new UsageError(
      `cannot import the modules from '${outDir}': the path from it to the spec's folder, '${showControls(outToSpecDir)}', holds '${unsafe}', which an import path (a URL) reads differently; choose an --out inside the spec's folder`,
    );
  }
  return { ...analysis, files: stampGeneration(renderFiles(model)) };
}

/** The spec's folder from the nearest folder at or above it holding a package.json, if any. */
function findPackageToSpecDir(specDir: string): string | undefined {
  const start = resolve(specDir);
  for (let dir = start; ; dir = dirname(dir)) {
    if (statPath(join(dir, "package.json")) === "file") return toPosix(relative(dir, start)) || ".";
    if (dirname(dir) === dir) return undefined;
  }
}

export function readSpecFile(specPath: string): string {
  return withIoErrors("read", specPath, () => {
    const kind = statPath(specPath);
    if (kind !== "file") throw new IoError(`cannot read '${specPath}': ${kind === "missing" ? "no such file" : "not a file"}`);
    return readFileSync(specPath, "utf8");
  });
}

export function checkSpecFile(specPath: string): Analysis {
  return analyzeSource(readSpecFile(specPath), displayName(specPath), dirname(specPath));
}

export interface CompileFileResult extends CompileOutput {
  readonly outDir: string;
  readonly write: WriteResult | undefined;
  readonly stale: readonly string[];
}

/** Compiles a spec and writes its set; `options` lets the CLI guard the write against signals. */
export function compileSpecFile(specPath: string, outDir: string | undefined, options: WriteOptions = {}): CompileFileResult {
  const { target, output } = compileSpecInMemory(specPath, outDir);
  if (output.files.length === 0) return { ...output, outDir: target, write: undefined, stale: [] };
  return withIoErrors("write", target, () => {
    const write = writeGeneratedFiles(target, output.files, options);
    return { ...output, outDir: target, write, stale: findStaleGeneratedFiles(target, output.files) };
  });
}

export interface CheckGeneratedResult extends CompileOutput {
  readonly outDir: string;
  /** Each generated file that is not on disk exactly as compile would write it, with why. */
  readonly outdated: readonly { readonly path: string; readonly problem: "missing" | "differs" }[];
}

/** `compile --check`: compares what compile would write with the files on disk; writes nothing. */
export function checkGeneratedFiles(specPath: string, outDir: string | undefined): CheckGeneratedResult {
  const { target, output } = compileSpecInMemory(specPath, outDir);
  const outdated = withIoErrors("read", target, () =>
    output.files.flatMap((file): CheckGeneratedResult["outdated"] => {
      const path = join(target, file.path);
      const kind = statPath(path);
      if (kind === "missing") return [{ path, problem: "missing" }];
      return kind === "file" && readFileSync(path, "utf8") === file.content ? [] : [{ path, problem: "differs" }];
    }),
  );
  return { ...output, outDir: target, outdated };
}

function compileSpecInMemory(specPath: string, outDir: string | undefined): { target: string; output: CompileOutput } {
  if (outDir === "") throw new UsageError("--out needs a directory");
  const target = outDir ?? `${dirname(specPath)}${sep}gen`;
  // statSync, not existsSync: an out dir below a file (ENOTDIR) is named as such, here.
  const stat = withIoErrors("write to", target, () => statSync(target, { throwIfNoEntry: false }));
  if (stat !== undefined && !stat.isDirectory()) throw new IoError(`cannot write to '${target}': it exists and is not a directory`);
  return { target, output: compileSource(readSpecFile(specPath), displayName(specPath), dirname(specPath), target) };
}

export interface AuditOutput extends Analysis {
  /** The module files audited (none when the spec itself has errors). */
  readonly modules: readonly string[];
}

/** Every module file a spec names, once each, in declaration order, as written. */
function moduleFiles(node: ResolvedNode): string[] {
  if (node.kind === "service") return node.module !== undefined ? [node.module] : [];
  return node.children.flatMap(moduleFiles);
}

/**
 * `supervise audit`: checks the spec, then audits each service module it names. The audit (with
 * typescript and ESLint inside) is imported only here, so other commands never load it.
 */
export async function auditSpecFile(specPath: string): Promise<AuditOutput> {
  const analysis = checkSpecFile(specPath);
  if (analysis.app === undefined) return { ...analysis, modules: [] };
  const specDir = dirname(specPath);
  const paths = [...new Set(moduleFiles(analysis.app.root).map((m) => resolve(specDir, m)))];
  const modules = paths.map((path) => ({ path, name: displayName(path), text: withIoErrors("read", path, () => readFileSync(path, "utf8")) }));
  const { auditModules } = await import("../audit/run-audit.ts");
  const result = auditModules(modules, resolve(specDir));
  const sources = new Map(analysis.sources);
  for (const m of modules) sources.set(m.name, m.text);
  return { diagnostics: sortDiagnostics([...analysis.diagnostics, ...result.diagnostics]), sources, app: analysis.app, modules: modules.map((m) => m.name) };
}

/** A tool's text output, produced only when the spec has no errors (warnings are kept). */
export interface ToolOutput extends Analysis {
  readonly text: string | undefined;
}

export function graphSpecFile(specPath: string, format: GraphFormat): ToolOutput {
  const analysis = checkSpecFile(specPath);
  return { ...analysis, text: analysis.app !== undefined ? renderGraph(analysis.app, format) : undefined };
}

export function planSpecFile(specPath: string, format: PlanFormat): ToolOutput {
  const analysis = checkSpecFile(specPath);
  return { ...analysis, text: analysis.app !== undefined ? renderPlan(analysis.app, format) : undefined };
}

export interface FormatFileResult {
  /** Syntax errors that prevent formatting (nothing else is checked). */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
  /** The canonical text; undefined when the spec has syntax errors. */
  readonly formatted: string | undefined;
  /** Whether the canonical text differs from the file. */
  readonly changed: boolean;
}

export function formatSpecFile(specPath: string): FormatFileResult {
  const source = readSpecFile(specPath);
  const name = displayName(specPath);
  const result = formatSpec(source, name);
  return {
    diagnostics: result.diagnostics,
    sources: new Map([[name, source]]),
    formatted: result.formatted,
    changed: result.formatted !== undefined && result.formatted !== source,
  };
}

/** Rewrites the spec with its canonical text, atomically, and only when that changes it. */
export function writeFormattedSpecFile(specPath: string, result: FormatFileResult): boolean {
  if (result.formatted === undefined || !result.changed) return false;
  const formatted = result.formatted;
  // Through a symbolic link to the file it names: the link stays, its target gets the text.
  withIoErrors("write", specPath, () => replaceFileAtomically(realpathSync(specPath), formatted));
  return true;
}

/** Diagnostics name the spec as the user typed it, relative, with forward slashes. */
function displayName(specPath: string): string {
  const rel = relative(process.cwd(), resolve(specPath));
  return toPosix(rel.startsWith("..") ? specPath : rel);
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}
