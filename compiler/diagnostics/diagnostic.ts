// Diagnostics are plain data. Every phase appends to one list and keeps going; nothing a user
// writes in a spec ever throws. Rendering (text with source excerpts, or JSON) lives in
// compiler/diagnostics/render.ts; the catalogue of codes and messages in compiler/diagnostics/catalogue.ts.
import type { Span } from "./span.ts";

export type Severity = "error" | "warning" | "info";

export interface Related {
  readonly message: string;
  readonly span: Span;
  /** Defaults to the diagnostic's own file. */
  readonly fileName?: string;
}

export interface Diagnostic {
  /** Stable code from the catalogue, e.g. "SUP2001". Never reused for another meaning. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fileName: string;
  readonly span: Span;
  readonly related?: readonly Related[];
  /** A short suggestion ("did you mean 'cache'?", "add 'needs db' to ..."). */
  readonly hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * Code-point order, the same under every locale: `localeCompare` follows the user's language
 * (ICU collation), so the same spec listed its diagnostics in different orders on different machines.
 */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By position, then code and message; exact repeats (same code, span and message) removed. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return [...diagnostics]
    .sort(
      (a, b) =>
        compareCodePoints(a.fileName, b.fileName) ||
        a.span.start - b.span.start ||
        a.span.end - b.span.end ||
        compareCodePoints(a.code, b.code) ||
        compareCodePoints(a.message, b.message),
    )
    .filter((d) => {
      const key = `${d.fileName}\u0000${d.span.start}\u0000${d.span.end}\u0000${d.code}\u0000${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
