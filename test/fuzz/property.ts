// The fuzzer's property, shared by the short run inside `npm test` (test/fuzz/fuzz.test.ts), the
// replay of saved findings (test/fuzz/found.test.ts) and the long run (`npm run fuzz`):
// the front end never throws, never reports an internal error, locates every diagnostic inside
// the source, renders them, and an accepted spec compiles to a complete set of files.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileSource } from "../../compiler/driver/api.ts";
import { renderDiagnostics, renderDiagnosticsJson } from "../../compiler/diagnostics/render.ts";
import { GENERATED_FILES } from "../../compiler/emit/render.ts";
import { REPO_ROOT } from "../golden/specs.ts";

export const FOUND_DIR = join(REPO_ROOT, "test", "fuzz", "found");
/** A spec of under MAX_INPUT_BYTES must be answered within HANG_MS (the long run enforces it). */
export const HANG_MS = 2000;
export const MAX_INPUT_BYTES = 100_000;

export type FindingKind = "crash" | "internal" | "unlocated" | "incomplete" | "hang";

export interface Finding {
  readonly kind: FindingKind;
  readonly detail: string;
}

export interface Examined {
  readonly finding: Finding | undefined;
  /** Whether the spec was accepted (no error) and compiled. */
  readonly accepted: boolean;
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

/** The folder fuzzed specs live in: it holds the files that generated specs name. */
export const SPEC_DIR = join(REPO_ROOT, ".gen-tmp", "fuzz-spec");

/** The module (`./services/s.ts`, `./m.ts`) and program (`./w.mjs`) that generated specs use. */
export function ensureFuzzProject(dir = SPEC_DIR): void {
  mkdirSync(join(dir, "services"), { recursive: true });
  writeFileSync(join(dir, "services", "s.ts"), "export function start() {\n  return { port: 1 };\n}\n");
  writeFileSync(join(dir, "m.ts"), "export function start() {}\n");
  writeFileSync(join(dir, "w.mjs"), 'console.log("ready");\n');
}

export function examineSpec(source: string): Examined {
  let output;
  try {
    output = compileSource(source, "fuzz.sup", SPEC_DIR, join(SPEC_DIR, "gen"));
  } catch (error) {
    // A usage error is an answer, not a crash: the CLI prints it in one line (exit 2).
    if (error instanceof Error && error.constructor.name === "UsageError") return { finding: undefined, accepted: false, files: [] };
    return { finding: { kind: "crash", detail: error instanceof Error ? (error.stack ?? error.message) : String(error) }, accepted: false, files: [] };
  }
  const sources = new Map([["fuzz.sup", source]]);
  try {
    renderDiagnostics(output.diagnostics, sources, { color: true });
    renderDiagnosticsJson(output.diagnostics, sources);
  } catch (error) {
    return { finding: { kind: "crash", detail: `rendering: ${String(error)}` }, accepted: false, files: [] };
  }
  for (const d of output.diagnostics) {
    if (d.code.startsWith("SUP9")) return { finding: { kind: "internal", detail: `${d.code}: ${d.message}` }, accepted: false, files: [] };
    const { start, end } = d.span;
    if (d.fileName !== "fuzz.sup" || !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= source.length)) {
      return { finding: { kind: "unlocated", detail: `${d.code} at ${d.fileName}:${start}-${end} (source ${source.length})` }, accepted: false, files: [] };
    }
  }
  const accepted = !output.diagnostics.some((d) => d.severity === "error");
  if (accepted && output.files.length !== GENERATED_FILES.length) {
    return { finding: { kind: "incomplete", detail: `accepted, but ${output.files.length} files generated` }, accepted, files: output.files };
  }
  return { finding: undefined, accepted, files: output.files };
}

/** Saves `source` as a fixture named by its kind and content; returns the path (existing or new). */
export function saveFinding(source: string, finding: Finding): string {
  mkdirSync(FOUND_DIR, { recursive: true });
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 12);
  const path = join(FOUND_DIR, `${finding.kind}-${hash}.sup`);
  if (!existsSync(path)) {
    writeFileSync(path, source);
    writeFileSync(path.replace(/\.sup$/, ".txt"), `${finding.kind}: ${finding.detail.split("\n").slice(0, 6).join("\n")}\n`);
  }
  return path;
}

/** Every saved finding, by file name. */
export function readFindings(): { name: string; source: string }[] {
  if (!existsSync(FOUND_DIR)) return [];
  return readdirSync(FOUND_DIR)
    .filter((f) => f.endsWith(".sup"))
    .sort()
    .map((name) => ({ name, source: readFileSync(join(FOUND_DIR, name), "utf8") }));
}
