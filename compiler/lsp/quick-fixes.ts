// Quick fixes from the hints that name the exact replacement: "did you mean 'x'?", "rename it x"
// and "write '30s'". The patterns are built from the hint functions themselves (compiler/
// diagnostics/hints.ts), so a change of wording there cannot silently break them.
import { H } from "../diagnostics/hints.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

const HOLE = "\u0000";

function patternOf(hint: (value: string) => string): RegExp {
  const [before, after] = hint(HOLE).split(HOLE);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escape(before ?? "")}(.+?)${escape(after ?? "")}$`);
}

/** Each replacing hint, and whether its value replaces a string literal (a module path) as a string. */
const REPLACING_HINTS: readonly { readonly pattern: RegExp; readonly keepsQuotes: boolean }[] = [
  { pattern: patternOf(H.didYouMean), keepsQuotes: true },
  { pattern: patternOf(H.renameIt), keepsQuotes: false },
  { pattern: patternOf(H.joinDurationUnit), keepsQuotes: false },
];

export interface QuickFix {
  readonly title: string;
  readonly diagnostic: Diagnostic;
  readonly newText: string;
}

/** The fix a diagnostic's hint spells out, when it replaces the diagnostic's own span. */
export function quickFixOf(diagnostic: Diagnostic, source: string): QuickFix | undefined {
  const hint = diagnostic.hint;
  if (hint === undefined) return undefined;
  for (const { pattern, keepsQuotes } of REPLACING_HINTS) {
    const match = pattern.exec(hint);
    if (match === null) continue;
    // Hints quote what they name ('cache', './services/cache.ts'); "rename it" does not.
    const value = match[1]!.replace(/^'(.*)'$/, "$1");
    const written = source.slice(diagnostic.span.start, diagnostic.span.end);
    // Only a span that is the one word or string the hint replaces (not a whole setting).
    const isString = keepsQuotes && written.startsWith('"');
    if (!isString && !written.startsWith('"') && /\s/.test(written) && !/^[0-9]+\s+[A-Za-z]+$/.test(written)) return undefined;
    const newText = isString ? JSON.stringify(value) : value;
    return { title: `Change to ${newText}`, diagnostic, newText };
  }
  return undefined;
}
