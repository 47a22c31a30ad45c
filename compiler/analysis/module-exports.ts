// Reads a service module's top-level exports without a TypeScript or JavaScript parser: loading
// one costs more than the rest of `check` (the CLI's cold start matters), and the question is
// small: does the module export `start`, and is it, as written, a function? A scanner skips
// comments, strings, template literals and regular expressions, tracks bracket depth, and reads
// the `export` statements at depth 0. What it cannot decide (a re-export from another module,
// `export const start = makeStart()`, CommonJS) is "unknown": the check then says nothing, so a
// correct module is never reported.

/** What a module's `start` is, as far as its own text tells. */
export type StartExport =
  | { readonly kind: "function" }
  /** `what` names it: "a class", "a number", ...; `line` is 1-based. */
  | { readonly kind: "not-function"; readonly what: string; readonly line: number }
  | { readonly kind: "missing"; readonly exported: readonly string[] }
  | { readonly kind: "unknown" };

type TokenKind = "word" | "punct" | "string" | "number" | "template" | "regex";

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Bracket depth before the token: 0 at the top level. */
  readonly depth: number;
  readonly line: number;
  /** The first token on its line (an automatic semicolon may end the statement before it). */
  readonly lineStart: boolean;
}

/** After these, a `/` starts a regular expression rather than dividing. */
const BEFORE_REGEX_WORDS = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await"]);

/** Letters, `_`, `$` and anything beyond ASCII (by char code: a regular expression per character costs more). */
const isWordStart = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36 || code >= 128;
const isWordPart = (code: number): boolean => isWordStart(code) || (code >= 48 && code <= 57);

/** Tokens of the module, comments dropped. Never throws: unterminated things run to the end. */
export function scanTokens(source: string): Token[] {
  const tokens: Token[] = [];
  const templateDepths: number[] = []; // depth at each open `${` of a template, innermost last
  let depth = 0;
  let line = 1;
  let lineStart = true;
  let i = 0;
  const push = (kind: TokenKind, text: string, at: number): void => {
    tokens.push({ kind, text, depth, line, lineStart });
    lineStart = false;
    line += countNewlines(source, at, at + text.length);
  };
  /** Scans a template from just after its opening backquote or `}`; returns the index after it. */
  const scanTemplate = (from: number): number => {
    let j = from;
    while (j < source.length) {
      const c = source[j]!;
      if (c === "\\") j += 2;
      else if (c === "`") return j + 1;
      else if (c === "$" && source[j + 1] === "{") {
        templateDepths.push(depth);
        depth++;
        return j + 2;
      } else j++;
    }
    return j;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\n") {
      line++;
      lineStart = true;
      i++;
    } else if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\ufeff") i++;
    else if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      const newlines = countNewlines(source, i, stop);
      if (newlines > 0) lineStart = true;
      line += newlines;
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      push("string", source.slice(i, Math.min(j + 1, source.length)), i);
      i = j + 1;
    } else if (c === "`") {
      const j = scanTemplate(i + 1);
      push("template", source.slice(i, j), i);
      i = j;
    } else if (c === "}" && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth - 1) {
      templateDepths.pop();
      depth--;
      const j = scanTemplate(i + 1);
      line += countNewlines(source, i, j);
      i = j;
    } else if (c === "/" && startsRegex(tokens[tokens.length - 1])) {
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== "\n") {
        const d = source[j]!;
        if (d === "\\") j++;
        else if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < source.length && isWordPart(source.charCodeAt(j))) j++;
      push("regex", source.slice(i, j), i);
      i = j;
    } else if (isWordStart(c.charCodeAt(0))) {
      let j = i + 1;
      while (j < source.length && isWordPart(source.charCodeAt(j))) j++;
      push("word", source.slice(i, j), i);
      i = j;
    } else if (c >= "0" && c <= "9") {
      let j = i + 1;
      while (j < source.length && (isWordPart(source.charCodeAt(j)) || source[j] === ".")) j++;
      push("number", source.slice(i, j), i);
      i = j;
    } else if (c === "=" && source[i + 1] === ">") {
      push("punct", "=>", (i += 2) - 2);
    } else {
      if (c === "}" || c === ")" || c === "]") depth = Math.max(0, depth - 1);
      push("punct", c, i);
      if (c === "{" || c === "(" || c === "[") depth++;
      i++;
    }
  }
  return tokens;
}

function countNewlines(source: string, from: number, to: number, n = 0): number {
  for (let k = from; k < to; k++) if (source.charCodeAt(k) === 10) n++;
  return n;
}

function startsRegex(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.kind === "word") return BEFORE_REGEX_WORDS.has(previous.text);
  return previous.kind === "punct" && previous.text !== ")" && previous.text !== "]" && previous.text !== "}";
}

/** What a declaration or an initializer is, by its first tokens; undefined when it may be a function. */
type Shape = { readonly kind: "function" } | { readonly kind: "not-function"; readonly what: string } | { readonly kind: "unknown" };

const [FUNCTION, UNKNOWN]: readonly Shape[] = [{ kind: "function" }, { kind: "unknown" }];
const notFunction = (what: string): Shape => ({ kind: "not-function", what });

/** The words that begin a statement: after a line break, one of them ends a declaration list. */
const STATEMENT_WORDS = new Set(["export", "import", "function", "async", "const", "let", "var", "class", "interface", "type", "enum", "declare", "abstract", "namespace"]);

class ExportReader {
  /** Exported name -> how to find out what it is. */
  readonly exported = new Map<string, { readonly shape: Shape; readonly line: number } | { readonly local: string; readonly line: number }>();
  /** Top-level declarations by name (for `export { start }`). */
  readonly declared = new Map<string, { readonly shape: Shape; readonly line: number }>();
  /** `export * from "..."`, `export =` or CommonJS: names may be exported that the text does not show. */
  opaque = false;

  constructor(private readonly tokens: readonly Token[]) {}

  read(): void {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      const token = t[i]!;
      if (token.depth !== 0 || token.kind !== "word") continue;
      if (token.text === "export" && !isMember(t, i)) this.readExport(i + 1);
      else if (!isMember(t, i) && (token.lineStart || isStatementStart(t, i))) this.readDeclaration(i, this.declared);
    }
    const isCommonJs = (x: Token, k: number): boolean => (x.text === "module" && t[k + 2]?.text === "exports") || (x.text === "exports" && !isMember(t, k));
    if (t.some((x, k) => x.kind === "word" && t[k + 1]?.text === "." && isCommonJs(x, k))) this.opaque = true;
  }

  /** `export` at `tokens[i - 1]`. */
  private readExport(i: number): void {
    const t = this.tokens;
    const next = t[i];
    if (next === undefined || next.text === "default") return;
    if (next.text === "=") {
      this.opaque = true;
      return;
    }
    if (next.text === "*") {
      // `export * as start from "./x"` makes a namespace object; `export * from` may export anything.
      if (t[i + 1]?.text === "as") {
        const name = unquote(t[i + 2]);
        if (name !== undefined) this.exported.set(name, { shape: notFunction("a namespace object"), line: next.line });
      } else this.opaque = true;
      return;
    }
    if (next.text === "type" && t[i + 1]?.text === "{") return;
    if (next.text === "{") {
      this.readExportList(i + 1);
      return;
    }
    this.readDeclaration(i, this.exported);
  }

  /** `export { a, b as start, type C } [from "..."]`, from just after its `{`. */
  private readExportList(i: number): void {
    const t = this.tokens;
    const entries: { local: string; exported: string; line: number }[] = [];
    let k = i;
    while (k < t.length && t[k]!.text !== "}") {
      const first = t[k]!;
      if (first.text === "type" && t[k + 1] !== undefined && t[k + 1]!.text !== "," && t[k + 1]!.text !== "}" && t[k + 1]!.text !== "as") {
        // A type-only entry: skip it.
        while (k < t.length && t[k]!.text !== "," && t[k]!.text !== "}") k++;
        if (t[k]?.text === ",") k++;
        continue;
      }
      const local = unquote(first) ?? first.text;
      let exported = local;
      k++;
      if (t[k]?.text === "as") {
        exported = unquote(t[k + 1]) ?? local;
        k += 2;
      }
      entries.push({ local, exported, line: first.line });
      while (k < t.length && t[k]!.text !== "," && t[k]!.text !== "}") k++;
      if (t[k]?.text === ",") k++;
    }
    const reexport = t[k + 1]?.text === "from";
    for (const entry of entries) {
      this.exported.set(entry.exported, reexport ? { shape: UNKNOWN, line: entry.line } : { local: entry.local, line: entry.line });
    }
  }

  /** A declaration starting at `tokens[i]`, recorded by name into `into`. */
  private readDeclaration(i: number, into: Map<string, unknown>): void {
    const t = this.tokens;
    let k = i;
    while (t[k]?.text === "declare" || t[k]?.text === "abstract" || t[k]?.text === "default") k++;
    const word = t[k];
    if (word === undefined || word.kind !== "word") return;
    const record = (name: Token | undefined, shape: Shape): void => {
      if (name?.kind === "word") (into as Map<string, { shape: Shape; line: number }>).set(name.text, { shape, line: name.line });
    };
    switch (word.text) {
      case "async":
        if (t[k + 1]?.text === "function") record(t[k + 2]?.text === "*" ? t[k + 3] : t[k + 2], FUNCTION);
        return;
      case "function":
        return record(t[k + 1]?.text === "*" ? t[k + 2] : t[k + 1], FUNCTION);
      case "class":
      case "enum":
        record(t[k + 1], notFunction(word.text === "class" ? "a class" : "an enum"));
        return;
      case "namespace":
      case "module":
        if (t[k + 1]?.kind === "word") record(t[k + 1], notFunction("a namespace"));
        return;
      case "const":
        if (t[k + 1]?.text === "enum") return record(t[k + 2], notFunction("an enum"));
        return this.readVariables(k + 1, record);
      case "let":
      case "var":
        return this.readVariables(k + 1, record);
      case "import":
        // `import start from`, `import { start }`, `import start = require(...)`: what they are is elsewhere.
        for (let m = k + 1; m < t.length; m++) {
          const x = t[m]!;
          if (x.text === ";" || x.kind === "string" || (x.lineStart && STATEMENT_WORDS.has(x.text))) return;
          if (x.kind === "word" && x.text !== "type" && x.text !== "as" && x.text !== "from") record(x, UNKNOWN);
        }
        return;
      default:
        return;
    }
  }

  /** `const a = 1, start = () => {}` from just after the keyword. */
  private readVariables(i: number, record: (name: Token | undefined, shape: Shape) => void): void {
    const t = this.tokens;
    const depth = t[i - 1]!.depth;
    let k = i;
    for (;;) {
      const name = t[k];
      if (name === undefined) return;
      if (name.kind !== "word") {
        // Destructuring: `export const { start } = ...` exports it, of a shape only values know.
        if (name.text === "{" || name.text === "[") this.recordPattern(k, record);
        return;
      }
      k++;
      // Up to the `=` of this declarator (skipping a type annotation, whose `<...>` may hold commas), at this depth.
      let angles = 0;
      while (k < t.length && !(t[k]!.depth === depth && angles === 0 && (t[k]!.text === "=" || t[k]!.text === "," || t[k]!.text === ";"))) {
        const x = t[k]!;
        if (x.depth === depth && x.lineStart && STATEMENT_WORDS.has(x.text)) return record(name, UNKNOWN);
        if (x.depth === depth && x.text === "<") angles++;
        else if (x.depth === depth && x.text === ">" && angles > 0) angles--;
        k++;
      }
      if (t[k]?.text !== "=") {
        record(name, UNKNOWN);
        if (t[k]?.text !== ",") return;
        k++;
        continue;
      }
      record(name, classifyInitializer(t, k + 1));
      // On to the next declarator: a `,` at this depth before the statement ends.
      k++;
      while (k < t.length && !(t[k]!.depth === depth && (t[k]!.text === "," || t[k]!.text === ";"))) {
        if (t[k]!.depth === depth && t[k]!.lineStart && STATEMENT_WORDS.has(t[k]!.text)) return;
        k++;
      }
      if (t[k]?.text !== ",") return;
      k++;
    }
  }

  private recordPattern(i: number, record: (name: Token | undefined, shape: Shape) => void): void {
    const t = this.tokens;
    const depth = t[i]!.depth;
    for (let k = i + 1; k < t.length && t[k]!.depth > depth; k++) {
      const next = t[k + 1]?.text;
      if (t[k]!.kind === "word" && (next === "," || next === "}" || next === "]" || next === "=")) record(t[k], UNKNOWN);
    }
  }
}

/** `a.export` or `x.start`: a property, not a statement. */
function isMember(t: readonly Token[], i: number): boolean {
  const previous = t[i - 1];
  return previous !== undefined && previous.kind === "punct" && previous.text === "." && t[i - 2]?.text !== ".";
}

function isStatementStart(t: readonly Token[], i: number): boolean {
  const previous = t[i - 1];
  return previous === undefined || (previous.kind === "punct" && (previous.text === ";" || previous.text === "}"));
}

function unquote(token: Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.kind === "string") return token.text.slice(1, -1);
  return token.kind === "word" ? token.text : undefined;
}

/** What the expression starting at `tokens[i]` is, judged by its first tokens. */
function classifyInitializer(t: readonly Token[], i: number): Shape {
  const first = t[i];
  if (first === undefined) return UNKNOWN;
  switch (first.kind) {
    case "string":
    case "template":
      return notFunction("a string");
    case "number":
      return notFunction(first.text.endsWith("n") ? "a bigint" : "a number");
    case "regex":
      return notFunction("a regular expression");
    case "punct":
      if (first.text === "{") return notFunction("an object");
      if (first.text === "[") return notFunction("an array");
      if (first.text === "<") return FUNCTION; // a generic arrow function
      if (first.text === "(") return isArrowAt(t, i) ? FUNCTION : UNKNOWN;
      if (first.text === "!") return notFunction("a boolean");
      return UNKNOWN;
    case "word":
      break;
  }
  switch (first.text) {
    case "function":
      return FUNCTION;
    case "async":
      return t[i + 1]?.text === "function" || t[i + 1]?.text === "(" || t[i + 2]?.text === "=>" ? FUNCTION : UNKNOWN;
    case "class":
      return notFunction("a class");
    case "true":
    case "false":
      return notFunction("a boolean");
    case "null":
    case "undefined":
      return notFunction(first.text);
    default:
      return t[i + 1]?.text === "=>" ? FUNCTION : UNKNOWN;
  }
}

/** `(a, b) => ...` or `(a): T => ...`: the token after the matching `)` is `=>` or a return type. */
function isArrowAt(t: readonly Token[], i: number): boolean {
  const depth = t[i]!.depth;
  let k = i + 1;
  while (k < t.length && !(t[k]!.depth === depth && t[k]!.text === ")")) k++;
  const after = t[k + 1]?.text;
  return after === "=>" || after === ":";
}

/** What `start` is in a module's source text. */
export function findStartExport(source: string): StartExport {
  const reader = new ExportReader(scanTokens(source));
  reader.read();
  const entry = reader.exported.get("start");
  if (entry === undefined) return reader.opaque ? { kind: "unknown" } : { kind: "missing", exported: [...reader.exported.keys()] };
  const found = "shape" in entry ? entry : reader.declared.get(entry.local);
  if (found === undefined) return { kind: "unknown" };
  const shape = found.shape;
  if (shape.kind === "not-function") return { kind: "not-function", what: shape.what, line: found.line };
  return shape.kind === "function" ? { kind: "function" } : { kind: "unknown" };
}
