// What a catalogue entry is and how it becomes a Diagnostic: kept apart from the entries
// themselves (./catalogue.ts), which only list codes and messages.
import type { Span } from "./span.ts";
import type { Diagnostic, Related, Severity } from "./diagnostic.ts";

export interface MessageDef<A extends readonly unknown[] = readonly never[]> {
  readonly code: string;
  readonly severity: Severity;
  /** A short, stable description of what the code means (used by docs and tests). */
  readonly title: string;
  readonly format: (...args: A) => string;
}

export function define<A extends readonly unknown[]>(
  code: string,
  severity: Severity,
  title: string,
  format: (...args: A) => string,
): MessageDef<A> {
  return { code, severity, title, format };
}

export type Args<D> = D extends MessageDef<infer A> ? A : never;

export interface DiagnosticExtras {
  readonly hint?: string;
  readonly related?: readonly Related[];
}

export function createDiagnostic<D extends MessageDef<readonly any[]>>(
  def: D,
  fileName: string,
  span: Span,
  args: Args<D>,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const format = def.format as (...a: readonly unknown[]) => string;
  return {
    code: def.code,
    severity: def.severity,
    message: format(...args),
    fileName,
    span,
    ...(extras.related !== undefined && extras.related.length > 0 ? { related: extras.related } : {}),
    ...(extras.hint !== undefined ? { hint: extras.hint } : {}),
  };
}
