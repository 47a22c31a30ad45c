// Helpers shared by the front-end tests: analyse a spec string and look at codes and spans.
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { analyzeSpec, type Analysis } from "../../compiler/driver/pipeline.ts";

export interface AnalyzeTestOptions {
  /** Module paths (as written, relative) that do not exist; everything else does. */
  readonly missing?: readonly string[];
}

export function analyze(source: string, options: AnalyzeTestOptions = {}): Analysis {
  const missing = new Set((options.missing ?? []).map((p) => "/spec/" + p.replace(/^\.\//, "")));
  return analyzeSpec(source, "test.sup", { specDir: "/spec", fileExists: (path) => !missing.has(path) });
}

export function codesOf(source: string, options?: AnalyzeTestOptions): string[] {
  return analyze(source, options).diagnostics.map((d) => d.code);
}

/** The source text a diagnostic points at. */
export function spanText(source: string, diagnostic: Diagnostic): string {
  return source.slice(diagnostic.span.start, diagnostic.span.end);
}

/** `CODE:text` for every diagnostic, for compact assertions. */
export function codesWithText(source: string, options?: AnalyzeTestOptions): string[] {
  return analyze(source, options).diagnostics.map((d) => `${d.code}:${spanText(source, d)}`);
}

/** Wraps settings and blocks in `app t { ... }` with a service that is valid on its own. */
export function inApp(body: string): string {
  return `app t {\n${body}\n}\n`;
}
