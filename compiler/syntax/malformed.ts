// The two mistakes the grammar accepts on purpose so that each is reported once, here, instead of
// derailing the parse: a block name that is not a name (`gitlab.target`, `"gitlab"`, `2fa`), and
// a duration whose unit is written apart (`30 seconds`).
import type { IToken } from "chevrotain";
import type { BlockNameCstNode, DurationCstNode } from "./cst.ts";
import { tokenEnd } from "./tokens.ts";

/** A block name as written: one token, or the tokens of a malformed name joined as in the source. */
export interface WrittenName {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Set when the written name is not a valid name: the valid name to suggest instead. */
  readonly suggestion?: string;
}

function realTokens(lists: readonly (readonly IToken[] | undefined)[]): IToken[] {
  const found: IToken[] = [];
  for (const list of lists) for (const t of list ?? []) if (t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset)) found.push(t);
  return found.sort((a, b) => a.startOffset - b.startOffset);
}

export function readBlockName(node: BlockNameCstNode | undefined, source: string, kind: string): WrittenName | undefined {
  if (node === undefined) return undefined;
  const { Name, Dot, StringLiteral, Integer, DurationLiteral } = node.children;
  const parts = realTokens([Name, Dot, StringLiteral, Integer, DurationLiteral]);
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const start = first.startOffset;
  const end = tokenEnd(last);
  const text = source.slice(start, end);
  const valid = parts.length === 1 && (Name ?? []).includes(first);
  return valid ? { text, start, end } : { text, start, end, suggestion: suggestName(text, kind) };
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

export interface WrittenDuration {
  readonly value: IToken;
  /** The word after the value (`seconds` in `30 seconds`), when there is one. */
  readonly apart?: { readonly word: string; readonly end: number; readonly joined?: string };
}

export function readDuration(node: DurationCstNode | undefined): WrittenDuration | undefined {
  if (node === undefined) return undefined;
  const [value] = realTokens([node.children.DurationValue]);
  if (value === undefined) return undefined;
  const [word] = realTokens([node.children.Identifier]);
  if (word === undefined) return { value };
  const unit = UNIT_WORDS[word.image.toLowerCase()];
  const joined = unit !== undefined && /^[0-9]+$/.test(value.image) ? `${value.image}${unit}` : undefined;
  return { value, apart: { word: word.image, end: tokenEnd(word), ...(joined !== undefined ? { joined } : {}) } };
}
