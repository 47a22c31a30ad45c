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

/** Text safe inside a `//` or block comment: no line breaks, no comment terminator. */
export function toCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\*\//g, "* /");
}

/**
 * A TypeScript expression for plain data (objects, arrays, strings, finite or infinite numbers,
 * booleans, null), laid out deterministically: keys in insertion order, two-space indent, short
 * arrays and objects of scalars on one line. Strings go through toStringLiteral, keys through toPropertyKey.
 */
export function toDataLiteral(value: unknown, indent = ""): string {
  return dataLiteral(value, indent, { strings: new Map(), keys: new Map() });
}

/**
 * Generated data repeats the same ids and the same keys many times (a plan or contract of a
 * large spec holds hundreds of thousands): each is quoted once per literal.
 */
interface Quoted {
  readonly strings: Map<string, string>;
  readonly keys: Map<string, string>;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

function dataLiteral(value: unknown, indent: string, quoted: Quoted): string {
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
      return Array.isArray(value) ? arrayLiteral(value, indent, quoted) : objectLiteral(value as Record<string, unknown>, indent, quoted);
    default:
      throw new Error(`internal: cannot emit a ${typeof value} as data`);
  }
}

/**
 * `parts` (already rendered) between `open` and `close`: on one line if that fits in `limit`
 * characters, else one per line at `indent` + 2, each followed by a comma.
 */
function layOut(parts: readonly string[], open: string, close: string, limit: number, indent: string): string {
  let length = open.length + close.length + 2 * (parts.length - 1);
  for (let i = 0; i < parts.length && length <= limit; i++) length += parts[i]!.length;
  if (length <= limit) return open + parts.join(", ") + close;
  const inner = indent + "  ";
  return `${open.trim()}\n${inner}${parts.join(`,\n${inner}`)},\n${indent}${close.trim()}`;
}

// Both containers render their items in one loop: a scalar's literal does not depend on the
// indent, and a container with any nested value is laid out one item per line, never inline.
function arrayLiteral(items: readonly unknown[], indent: string, quoted: Quoted): string {
  if (items.length === 0) return "[]";
  const inner = indent + "  ";
  const scalars = items.every(isScalar);
  const parts: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = dataLiteral(items[i], inner, quoted);
  return scalars ? layOut(parts, "[", "]", 80, indent) : `[\n${inner}${parts.join(`,\n${inner}`)},\n${indent}]`;
}

function objectLiteral(record: Record<string, unknown>, indent: string, quoted: Quoted): string {
  const inner = indent + "  ";
  const parts: string[] = [];
  let scalars = true;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue;
    scalars &&= isScalar(value);
    parts.push(`${dataKey(key, quoted)}: ${dataLiteral(value, inner, quoted)}`);
  }
  if (parts.length === 0) return "{}";
  return scalars ? layOut(parts, "{ ", " }", 60, indent) : `{\n${inner}${parts.join(`,\n${inner}`)},\n${indent}}`;
}

/**
 * A key in an object literal. `__proto__: v` (quoted or not) sets the prototype instead of a
 * property, so that one key is computed; an `env __proto__ "x"` must reach the program.
 */
function dataKey(key: string, quoted: Quoted): string {
  let literal = quoted.keys.get(key);
  if (literal === undefined) quoted.keys.set(key, (literal = key === "__proto__" ? `[${toStringLiteral(key)}]` : toPropertyKey(key)));
  return literal;
}
