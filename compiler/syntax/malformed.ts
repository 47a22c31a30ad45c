// The two mistakes the grammar accepts on purpose so that each is reported once, here, instead of
// derailing the parse: a block name that is not a name (`gitlab.target`, `"gitlab"`, `2fa`), and
// a duration whose unit is written apart (`30 seconds`).
import type { IToken } from "chevrotain";
import type { BlockNameCstNode, DurationCstNode } from "./cst.ts";
import type { Duration, Name } from "../language/ast.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { q } from "../diagnostics/quote.ts";
import { tokenEnd } from "./tokens.ts";
import { isReal, spanOf } from "./cst-tokens.ts";

function realTokens(lists: readonly (readonly IToken[] | undefined)[]): IToken[] {
  const found: IToken[] = [];
  for (const list of lists) for (const t of list ?? []) if (t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset)) found.push(t);
  return found.sort((a, b) => a.startOffset - b.startOffset);
}

/**
 * A block's name: one name token, or the tokens of a malformed name (`gitlab.target`, `"gitlab"`,
 * `2fa`), reported once (SUP1014) and replaced by the valid name the hint suggests, so that the
 * rest of the spec is checked as if the rename were done. Without any, an empty name after the
 * keyword (its syntax error is reported by the parser).
 */
export function readBlockName(
  node: BlockNameCstNode | undefined,
  source: string,
  kind: string,
  keywordEnd: number,
  fileName: string,
): { name: Name; diagnostic?: Diagnostic } {
  const { Name: names, Dot, StringLiteral, Integer, DurationLiteral } = node?.children ?? {};
  // The usual name, one name token and nothing else, is its token's text: no list to gather and sort.
  if (names?.length === 1 && Dot === undefined && StringLiteral === undefined && Integer === undefined && DurationLiteral === undefined) {
    const only = names[0];
    if (isReal(only)) return { name: { text: only.image, span: spanOf(only) } };
  }
  const parts = realTokens([names, Dot, StringLiteral, Integer, DurationLiteral]);
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined) return { name: { text: "", span: { start: keywordEnd, end: keywordEnd } } };
  const span = { start: first.startOffset, end: tokenEnd(last) };
  const text = source.slice(span.start, span.end);
  if (parts.length === 1 && (names ?? []).includes(first)) return { name: { text, span } };
  const suggestion = suggestName(text, kind);
  // An unterminated `"x` is that mistake (SUP1002), and `x.` lacks its last part (the parser
  // reports it): either is the one mistake, not the name's shape.
  if (first.tokenType.name === "UnterminatedString") {
    return { name: { text: suggestion, span }, diagnostic: createDiagnostic(M.unterminatedString, fileName, span, []) };
  }
  if (last.tokenType.name === "Dot") return { name: { text: suggestion, span } };
  return {
    name: { text: suggestion, span },
    diagnostic: createDiagnostic(M.invalidName, fileName, span, [kind, text], { hint: H.renameIt(suggestion) }),
  };
}

/**
 * A valid name close to what was written: quotes dropped, every run of other characters made one
 * hyphen (`gitlab.target` -> `gitlab-target`), and a leading digit given the block's kind as a
 * prefix (`2fa` -> `service-2fa`).
 */
export function suggestName(written: string, kind: string): string {
  const words = written
    .replace(/^"|"$/g, "")
    .split(/[^A-Za-z0-9_]+/)
    .filter((w) => w !== "");
  const joined = words.join("-");
  if (joined === "") return `${kind}-name`;
  return /^[0-9]/.test(joined) ? `${kind}-${joined}` : joined;
}

/** Spelled-out units a user may write after a number, and the unit the language uses. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  h: "h", hour: "h", hours: "h", hr: "h", hrs: "h",
  m: "m", min: "m", mins: "m", minute: "m", minutes: "m",
  s: "s", sec: "s", secs: "s", second: "s", seconds: "s",
  ms: "ms", msec: "ms", msecs: "ms", millisecond: "ms", milliseconds: "ms",
};

export interface UnitApart {
  readonly word: string;
  readonly end: number;
  /** The duration to write instead (`30s`), when the word is a unit. */
  readonly joined?: string;
}

export interface WrittenDuration {
  readonly value: IToken;
  /** The word after the value (`seconds` in `30 seconds`), when there is one. */
  readonly apart?: UnitApart;
}

/** The one error for `30 seconds` (or `30 fortnights`), and the duration it stands for (not a number). */
export function reportUnitApart(value: IToken, apart: UnitApart, source: string, fileName: string): { duration: Duration; diagnostic: Diagnostic } {
  const span = { start: value.startOffset, end: apart.end };
  const text = source.slice(span.start, span.end);
  const diagnostic =
    apart.joined !== undefined
      ? createDiagnostic(M.invalidDuration, fileName, span, [text, "the unit is written apart from the number"], { hint: H.joinDurationUnit(apart.joined) })
      : createDiagnostic(M.invalidDuration, fileName, span, [text, `unknown unit ${q(apart.word)} (use h, m, s or ms)`]);
  return { duration: { ms: NaN, text, span }, diagnostic };
}

export function readDuration(node: DurationCstNode | undefined): WrittenDuration | undefined {
  if (node === undefined) return undefined;
  const { DurationValue: values, Identifier: words } = node.children;
  // The usual duration, one value and no word after it, needs no list of real tokens.
  if (words === undefined && values?.length === 1 && isReal(values[0])) return { value: values[0] };
  const [value] = realTokens([values]);
  if (value === undefined) return undefined;
  const [word] = realTokens([words]);
  if (word === undefined) return { value };
  const unit = UNIT_WORDS[word.image.toLowerCase()];
  const joined = unit !== undefined && /^[0-9]+$/.test(value.image) ? `${value.image}${unit}` : undefined;
  return { value, apart: { word: word.image, end: tokenEnd(word), ...(joined !== undefined ? { joined } : {}) } };
}
