// Diagnostics are plain data. Every phase appends to one list and keeps going; nothing a user
// writes in a spec ever throws. Rendering (text with source excerpts, or JSON) lives in
// compiler/render-diagnostics.ts; the catalogue of codes and messages in compiler/messages.ts.
import type { Span } from "../language/ast.ts";

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
