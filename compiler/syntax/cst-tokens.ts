// Reading tokens out of the CST for the AST builder (ast-builder.ts): the real tokens of a child
// list (error recovery inserts tokens with NaN offsets, and leaves children out), their spans, and
// the span of a setting's leading keyword(s).
import type { IToken } from "chevrotain";
import type { Span } from "../diagnostics/span.ts";
import { tokenEnd } from "./tokens.ts";

/** A token that is really in the source (recovery inserts tokens with NaN offsets). */
export function isReal(token: IToken | undefined): token is IToken {
  return token !== undefined && token.isInsertedInRecovery !== true && Number.isFinite(token.startOffset);
}

export function spanOf(token: IToken): Span {
  return { start: token.startOffset, end: tokenEnd(token) };
}

export function cover(first: Span, last: Span): Span {
  return { start: Math.min(first.start, last.start), end: Math.max(first.end, last.end) };
}

// The helpers below run for every setting of a large spec: they loop instead of chaining
// filter/map, so that reading a setting allocates only the AST it builds. They take a child list
// as the generated CST types name it (`node.children.DurationValue`) and accept `undefined`:
// a node that error recovery left incomplete lacks children its type calls required.

const NONE: readonly never[] = [];

/** A child list, empty where recovery left it out. */
export function all<T>(found: readonly T[] | undefined): readonly T[] {
  return found ?? NONE;
}

/** The real tokens of a child list. */
export function tokens(found: readonly IToken[] | undefined): IToken[] {
  const real: IToken[] = [];
  for (const element of all(found)) if (isReal(element)) real.push(element);
  return real;
}

export function token(found: readonly IToken[] | undefined): IToken | undefined {
  for (const element of all(found)) if (isReal(element)) return element;
  return undefined;
}

/** The span of a setting's leading keyword(s), e.g. `stop timeout`. */
export function keywordSpan(first: readonly IToken[] | undefined, second?: readonly IToken[]): Span | undefined {
  const span = { start: Infinity, end: -Infinity };
  widen(span, first);
  widen(span, second);
  return span.start === Infinity ? undefined : span;
}

function widen(span: { start: number; end: number }, found: readonly IToken[] | undefined): void {
  for (const element of all(found)) {
    if (!isReal(element)) continue;
    span.start = Math.min(span.start, element.startOffset);
    span.end = Math.max(span.end, tokenEnd(element));
  }
}
