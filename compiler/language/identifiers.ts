// The one place where spec names become TypeScript identifiers and where user strings become
// TypeScript literals. Templates never build identifiers or quote strings themselves: the emit
// model hands them values produced here, so a crafted spec cannot inject code.

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** True for a name the language accepts (the lexer already guarantees it; emit re-checks). */
export function isValidName(name: string): boolean {
  return NAME.test(name);
}

/** Splits a name or dotted id into words: "redis-cache" -> ["redis", "cache"]. */
function splitWords(id: string): string[] {
  return id.split(/[.\-_]+/).filter((w) => w.length > 0);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * "redis-cache" -> "RedisCache", "workers.mailer" -> "WorkersMailer". A name made only of
 * separators (e.g. "_") has no words; it becomes "X" plus a stable hex suffix so that the
 * result is still an identifier, and collisions are diagnosed by the caller.
 */
export function toPascalCase(id: string): string {
  let pascal = pascalCache.get(id);
  if (pascal === undefined) {
    pascal = computePascalCase(id);
    // Bounded: a long-lived process (a watch) compiles many specs.
    if (pascalCache.size >= PASCAL_CACHE_LIMIT) pascalCache.clear();
    pascalCache.set(id, pascal);
  }
  return pascal;
}

/** Every id is turned into several identifiers (handle, module, deps types): convert it once. */
const pascalCache = new Map<string, string>();
const PASCAL_CACHE_LIMIT = 100_000;

function computePascalCase(id: string): string {
  if (!id.split(".").every(isValidName)) throw new Error(`internal: not a valid node id: ${JSON.stringify(id)}`);
  const words = splitWords(id);
  if (words.length === 0) return "X" + [...id].map((c) => c.charCodeAt(0).toString(16)).join("");
  const pascal = words.map(capitalize).join("");
  // A leading digit can only come from a word after a separator ("_1x"); keep it an identifier.
  return /^[0-9]/.test(pascal) ? "N" + pascal : pascal;
}

/** "redis-cache" -> "redisCache"; always followed by a suffix in generated code ("redisCacheModule"). */
export function toCamelCase(id: string): string {
  const pascal = toPascalCase(id);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/**
 * A TypeScript string literal for any string: JSON.stringify escapes quotes, backslashes and
 * control characters; U+2028/U+2029 are valid in JSON but were line terminators in older
 * JavaScript, so they are escaped too.
 */
export function toStringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A property key usable in a type or object literal: bare when it is an identifier, else quoted. */
export function toPropertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : toStringLiteral(key);
}

/**
 * A key in an object literal, also valid in a type literal. `__proto__: v`, quoted or not, sets an
 * object literal's prototype instead of a property, so that one key is computed: a service or an
 * `env` variable named `__proto__` must stay a plain property.
 */
export function toObjectKey(key: string): string {
  return key === "__proto__" ? `[${toStringLiteral(key)}]` : toPropertyKey(key);
}

/** Text safe inside a `//` or block comment: no line breaks, no comment terminator. */
export function toCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\*\//g, "* /");
}

/**
 * How a data literal is laid out. `plan`: short arrays and objects of scalars on one line, every
 * container holding another one item per line (a plan is read node by node). `compact`: any array
 * or object, nested ones included, on one line when that line stays within 100 columns, else its
 * items filled into lines of at most 100 columns when each fits on one line (a contract is read as
 * a table of small facts).
 */
export type DataLayout = "plan" | "compact";

/** The widest line the compact layout writes, indent and trailing comma included. */
const COMPACT_WIDTH = 100;

/**
 * A TypeScript expression for plain data (objects, arrays, strings, finite or infinite numbers,
 * booleans, null), laid out deterministically: keys in insertion order, two-space indent, short
 * containers on one line as `layout` says. Strings go through toStringLiteral, keys through toObjectKey.
 */
export function toDataLiteral(value: unknown, layout: DataLayout = "plan"): string {
  return dataLiteral(value, 0, 0, { strings: new Map(), keys: new Map(), indents: [""], separators: [], layout, spansLines: false });
}

/**
 * Generated data repeats the same ids and the same keys many times (a plan or contract of a
 * large spec holds hundreds of thousands): each is quoted once per literal.
 */
interface Quoted {
  readonly strings: Map<string, string>;
  readonly keys: Map<string, string>;
  /** The indent of each depth, built once per literal rather than once per container. */
  readonly indents: string[];
  /** What separates items on lines of their own at each depth (",\n" and the indent). */
  readonly separators: string[];
  readonly layout: DataLayout;
  /**
   * Whether the literal rendered last spans lines: set by every container, read by its parent, so
   * that no text is searched for a line break (a plan's text is megabytes, searched once per level).
   */
  spansLines: boolean;
}

/** Two spaces per depth: `depth` is the indent of a value's line, items sit one deeper. */
function indentOf(depth: number, quoted: Quoted): string {
  let indent = quoted.indents[depth];
  if (indent === undefined) quoted.indents[depth] = indent = indentOf(depth - 1, quoted) + "  ";
  return indent;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

// Where a value starts is passed as its line's depth and the column it starts at (after its key),
// not as an object: a plan or contract holds hundreds of thousands of values.
function dataLiteral(value: unknown, depth: number, column: number, quoted: Quoted): string {
  quoted.spansLines = false;
  if (value === null) return "null";
  switch (typeof value) {
    case "string": {
      let literal = quoted.strings.get(value);
      if (literal === undefined) quoted.strings.set(value, (literal = toStringLiteral(value)));
      return literal;
    }
    case "boolean":
      return String(value);
    case "number":
      if (Number.isNaN(value)) throw new Error("internal: NaN in generated data");
      if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
      return String(value);
    case "object":
      return Array.isArray(value) ? arrayLiteral(value, depth, column, quoted) : objectLiteral(value as Record<string, unknown>, depth, column, quoted);
    default:
      throw new Error(`internal: cannot emit a ${typeof value} as data`);
  }
}

/**
 * `parts` (already rendered) between `open` and `close`: on one line if that fits in `limit`
 * characters, else on lines of their own one depth further in (see layOutMany).
 */
function layOut(parts: readonly string[], open: string, close: string, limit: number, depth: number, quoted: Quoted): string {
  let length = open.length + close.length + 2 * (parts.length - 1);
  for (let i = 0; i < parts.length && length <= limit; i++) length += parts[i]!.length;
  if (length <= limit) return open + parts.join(", ") + close;
  return layOutMany(parts, false, open, close, depth, quoted);
}

function layOutLines(parts: readonly string[], open: string, close: string, depth: number, quoted: Quoted): string {
  const inner = indentOf(depth + 1, quoted);
  const separator = (quoted.separators[depth] ??= `,\n${inner}`);
  return `${open.trim()}\n${inner}${parts.join(separator)},\n${indentOf(depth, quoted)}${close.trim()}`;
}

/** `parts` (each on one line) filled into lines of at most COMPACT_WIDTH columns, each ending in a comma. */
function fillLines(parts: readonly string[], open: string, close: string, depth: number, quoted: Quoted): string {
  const inner = indentOf(depth + 1, quoted);
  const indent = indentOf(depth, quoted);
  let text = open.trim();
  let line = "";
  // Indexed: a contract's lists run to tens of thousands of parts, filled once, cold.
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (line !== "" && line.length + 2 + part.length + 1 > COMPACT_WIDTH) {
      text += `\n${line},`;
      line = "";
    }
    line = line === "" ? inner + part : `${line}, ${part}`;
  }
  return `${text}\n${line},\n${indent}${close.trim()}`;
}

/** Several parts per line only in the compact layout, and only when no part spans lines itself. */
function layOutMany(parts: readonly string[], partSpansLines: boolean, open: string, close: string, depth: number, quoted: Quoted): string {
  const fill = quoted.layout === "compact" && !partSpansLines;
  quoted.spansLines = true;
  return fill ? fillLines(parts, open, close, depth, quoted) : layOutLines(parts, open, close, depth, quoted);
}

/**
 * The longest a container starting at `column` may be on one line, or -1 when it must not be: in the
 * plan layout a fixed length for containers of scalars only, in the compact layout what fits
 * before the column limit once a comma follows, unless a part already spans lines.
 */
function inlineLimit(column: number, partSpansLines: boolean, scalars: boolean, planLimit: number, quoted: Quoted): number {
  if (quoted.layout === "plan") return scalars ? planLimit : -1;
  if (partSpansLines) return -1;
  return COMPACT_WIDTH - column - 1;
}

// Both containers render their items in one loop: a scalar's literal does not depend on where it
// starts, and a nested container is rendered once, as if on a line of its own; it is placed
// inline only when its parent fits on one line.
function arrayLiteral(items: readonly unknown[], depth: number, column: number, quoted: Quoted): string {
  if (items.length === 0) return "[]";
  const itemColumn = 2 * (depth + 1);
  let scalars = true;
  let partSpansLines = false;
  const parts: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    scalars &&= isScalar(items[i]);
    parts[i] = dataLiteral(items[i], depth + 1, itemColumn, quoted);
    partSpansLines ||= quoted.spansLines;
  }
  quoted.spansLines = false;
  const limit = inlineLimit(column, partSpansLines, scalars, 80, quoted);
  return limit >= 0 ? layOut(parts, "[", "]", limit, depth, quoted) : layOutMany(parts, partSpansLines, "[", "]", depth, quoted);
}

function objectLiteral(record: Record<string, unknown>, depth: number, column: number, quoted: Quoted): string {
  const innerColumn = 2 * (depth + 1);
  const parts: string[] = [];
  let scalars = true;
  let partSpansLines = false;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue;
    scalars &&= isScalar(value);
    const literalKey = dataKey(key, quoted);
    parts.push(`${literalKey}: ${dataLiteral(value, depth + 1, innerColumn + literalKey.length + 2, quoted)}`);
    partSpansLines ||= quoted.spansLines;
  }
  quoted.spansLines = false;
  if (parts.length === 0) return "{}";
  const limit = inlineLimit(column, partSpansLines, scalars, 60, quoted);
  return limit >= 0 ? layOut(parts, "{ ", " }", limit, depth, quoted) : layOutMany(parts, partSpansLines, "{ ", " }", depth, quoted);
}

/** A key in a data literal, quoted once per literal. */
function dataKey(key: string, quoted: Quoted): string {
  let literal = quoted.keys.get(key);
  if (literal === undefined) quoted.keys.set(key, (literal = toObjectKey(key)));
  return literal;
}
