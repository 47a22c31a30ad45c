// Decoding of literal tokens: durations, whole numbers and strings. The lexer accepts a
// deliberately loose shape (`5x`, `1s1m`, `1.5s`, `"a\q"`) so that these functions can say
// precisely what is wrong instead of the parser reporting an unexpected token.
import { H } from "../diagnostics/hints.ts";

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string; readonly hint?: string };

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const UNIT_ORDER = ["h", "m", "s", "ms"];

/** `250ms`, `1m30s`, `1h2m3s500ms` (units from largest to smallest, each at most once), `infinity`. */
export function decodeDuration(text: string): Decoded<number> {
  if (text === "infinity") return { ok: true, value: Infinity };
  if (/^[0-9]+$/.test(text)) {
    return { ok: false, why: "a duration needs a unit", hint: H.addDurationUnit(text) };
  }
  if (/^[0-9]+\.[0-9]+/.test(text)) {
    return { ok: false, why: "fractions are not allowed", hint: H.combineDurationUnits() };
  }
  const parts = [...text.matchAll(/([0-9]+)([A-Za-z_.]+)/g)];
  if (parts.map((p) => p[0]).join("") !== text) {
    return { ok: false, why: "expected a number followed by a unit (h, m, s or ms), e.g. '5s' or '1m30s'" };
  }
  let total = 0;
  let lastRank = -1;
  for (const part of parts) {
    const unit = part[2]!;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank < 0) {
      const hint = unit === "d" ? H.writeDaysInHours() : undefined;
      return { ok: false, why: `unknown unit '${unit}' (use h, m, s or ms)`, ...(hint !== undefined ? { hint } : {}) };
    }
    if (rank <= lastRank) {
      return { ok: false, why: "units must go from largest to smallest (h, m, s, ms), each at most once" };
    }
    lastRank = rank;
    total += Number(part[1]) * UNIT_MS[unit]!;
  }
  if (!Number.isSafeInteger(total)) return { ok: false, why: "the value is too large" };
  return { ok: true, value: total };
}

export function decodeWholeNumber(text: string): Decoded<number> {
  if (!/^[0-9]+$/.test(text)) return { ok: false, why: "expected a whole number" };
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return { ok: false, why: "the value is too large" };
  return { ok: true, value };
}

export interface StringProblem {
  /** Offsets relative to the start of the token. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface DecodedString {
  readonly value: string;
  readonly terminated: boolean;
  readonly invalidEscapes: readonly StringProblem[];
}

/** Decodes a string token (with its quotes): `\" \\ \n \t \uXXXX`; anything else is reported. */
export function decodeString(raw: string): DecodedString {
  // Most strings hold no escape (module paths): their value is their text between the quotes,
  // without decoding and mapping it character by character.
  if (!raw.includes("\\")) {
    const terminated = raw.length >= 2 && raw.endsWith('"');
    return { value: raw.slice(1, terminated ? raw.length - 1 : raw.length), terminated, invalidEscapes: [] };
  }
  return decodeStringWithOffsets(raw).decoded;
}

/**
 * Where each character of a decoded string came from: `offsets[i]` is the offset in `raw` (the
 * token, quotes included) of the escape or character that produced `value[i]`, and one more entry
 * marks the end. Checks that look inside a string (the `exec` command line) point at the exact
 * character with it, escapes or not.
 */
export function mapStringOffsets(raw: string): number[] {
  return decodeStringWithOffsets(raw).offsets;
}

function decodeStringWithOffsets(raw: string): { decoded: DecodedString; offsets: number[] } {
  const terminated = raw.length >= 2 && raw.endsWith('"') && !isEscaped(raw, raw.length - 1);
  const body = raw.slice(1, terminated ? raw.length - 1 : raw.length);
  const invalidEscapes: StringProblem[] = [];
  const offsets: number[] = [];
  let value = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const from = i + 1; // offset of this character or escape within `raw` (after the opening quote)
    const next = body[i + 1];
    if (c !== "\\") {
      value += c;
    } else if (next === '"' || next === "\\") {
      value += next;
      i++;
    } else if (next === "n") {
      value += "\n";
      i++;
    } else if (next === "t") {
      value += "\t";
      i++;
    } else if (next === "u" && /^[0-9A-Fa-f]{4}$/.test(body.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      const length = next === "u" ? 2 + (/^[0-9A-Fa-f]*/.exec(body.slice(i + 2, i + 6))?.[0].length ?? 0) : next === undefined ? 1 : 2;
      invalidEscapes.push({ start: from, end: from + length, text: body.slice(i, i + length) });
      // Kept as written, so that later messages quote the path the user typed.
      value += body.slice(i, i + length);
      i += length - 1;
    }
    while (offsets.length < value.length) offsets.push(from);
  }
  offsets.push(terminated ? raw.length - 1 : raw.length);
  return { decoded: { value, terminated, invalidEscapes }, offsets };
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * The inverse of decodeDuration for computed figures in messages and tools: largest units first,
 * zero units left out (`90000` -> `1m30s`, `0` -> `0s`, Infinity -> `infinity`).
 */
export function formatDuration(ms: number): string {
  if (ms === Infinity) return "infinity";
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  let rest = Math.round(ms);
  let text = "";
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit]!;
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text === "" ? "0s" : text;
}
