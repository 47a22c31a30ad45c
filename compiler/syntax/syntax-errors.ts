// Turns lexer and parser errors into diagnostics in the user's terms: "expected a duration like
// 5s after 'stop timeout'", "expected '}' to close service 'db' opened at 3:3". The parser hands
// over structured records (compiler/syntax/parser.ts); context such as the enclosing block is read off
// the token stream, which is what the user sees even when recovery rebuilt the tree differently.
import type { ILexingError, IToken } from "chevrotain";
import type { Span } from "../diagnostics/span.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/did-you-mean.ts";
import { createDiagnostic, M, orList, q } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { LineMap, type LineColumn } from "../diagnostics/source-text.ts";
import type { ParserError } from "./parser.ts";
import type { RuleName } from "./cst.ts";
import { isKeyword, tokenEnd } from "./tokens.ts";
import { PLACED_KINDS, PLATFORMS, RESTART_POLICIES, SETTING_FIRST_WORDS, SETTINGS, STRATEGIES } from "../language/vocabulary.ts";

export function mapLexerErrors(errors: readonly ILexingError[], source: string, fileName: string): Diagnostic[] {
  return errors.map((error) => {
    const text = source.slice(error.offset, error.offset + error.length);
    const shown = [...text].length === 1 ? showCharacter(text) : `${showCharacter([...text][0]!)} (and ${[...text].length - 1} more)`;
    return createDiagnostic(M.unexpectedCharacter, fileName, { start: error.offset, end: error.offset + error.length }, [shown]);
  });
}

export function mapUnterminatedComments(comments: readonly IToken[], fileName: string): Diagnostic[] {
  return comments.map((t) => createDiagnostic(M.unterminatedComment, fileName, { start: t.startOffset, end: t.startOffset + 2 }, []));
}

/** `'@'`, or `U+00A0` for characters that would be invisible or confusing in quotes. */
function showCharacter(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x21 || (code >= 0x7f && code <= 0xa0) || code === 0x2028 || code === 0x2029 || code === 0xfeff || c === "'") {
    return "U+" + code.toString(16).toUpperCase().padStart(4, "0");
  }
  return q(c);
}

/** The words that can start a line inside a block: a setting's first word, or a nested block. */
const SETTING_WORDS: readonly string[] = [...SETTING_FIRST_WORDS, "service", "supervisor"];

/** `start timeout`, `stop timeout`: what a bare `timeout` was probably meant to be. */
const TIMEOUT_SETTINGS = PLACED_KINDS.map((k) => SETTINGS[k].words).filter((w) => w.endsWith(" timeout"));

interface OpenBlock {
  readonly description: string;
  readonly open: IToken;
}

class TokenContext {
  private readonly indexByOffset = new Map<number, number>();
  private readonly lines: LineMap;

  constructor(
    private readonly tokens: readonly IToken[],
    source: string,
  ) {
    tokens.forEach((t, i) => this.indexByOffset.set(t.startOffset, i));
    this.lines = new LineMap(source);
  }

  /**
   * Where a token starts. The lexer records offsets only (tracking lines for every token of a
   * large spec costs more than computing them for the few an error message mentions), so lines
   * come from the source. No token the parser sees spans lines: comments are in their own group.
   */
  position(token: IToken): LineColumn {
    return this.lines.position(token.startOffset);
  }

  /** `3:5`, how messages name where a token starts. */
  describePosition(token: IToken): string {
    const { line, column } = this.position(token);
    return `${line}:${column}`;
  }

  /** The index of `token` in the stream; the stream's length for EOF. */
  indexOf(token: IToken): number {
    return isEof(token) ? this.tokens.length : this.indexByOffset.get(token.startOffset) ?? this.tokens.length;
  }

  at(index: number): IToken | undefined {
    return index >= 0 ? this.tokens[index] : undefined;
  }

  /** The innermost block whose `{` is open before `index`, by brace counting. */
  openBlockBefore(index: number): OpenBlock | undefined {
    return this.scanBraces(index).open;
  }

  /**
   * The first block whose '}' sits left of the line it was opened on: when a '}' is missing,
   * brace counting pairs the wrong braces, and indentation usually shows which block it was.
   */
  misindentedBlockBefore(index: number): { block: OpenBlock; close: IToken } | undefined {
    return this.scanBraces(index).misindented;
  }

  private scanBraces(index: number): { open: OpenBlock | undefined; misindented: { block: OpenBlock; close: IToken } | undefined } {
    const stack: OpenBlock[] = [];
    const lineIndent = new Map<number, number>();
    let misindented: { block: OpenBlock; close: IToken } | undefined;
    for (let i = 0; i < index && i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      const at = this.position(t);
      const firstOnLine = !lineIndent.has(at.line);
      if (firstOnLine) lineIndent.set(at.line, at.column);
      if (t.tokenType.name === "LCurly") {
        stack.push({ description: this.describeBlockAt(i), open: this.headerStart(i) });
      } else if (t.tokenType.name === "RCurly") {
        const block = stack.pop();
        const indent = block !== undefined ? lineIndent.get(this.position(block.open).line) : undefined;
        if (misindented === undefined && block !== undefined && firstOnLine && indent !== undefined && at.column < indent) {
          misindented = { block, close: t };
        }
      }
    }
    return { open: stack[stack.length - 1], misindented };
  }

  /** `service 'db'` for the `{` at `braceIndex`, from the two tokens before it. */
  describeBlockAt(braceIndex: number): string {
    const name = this.at(braceIndex - 1);
    const keyword = this.at(braceIndex - 2);
    const named = name !== undefined && (name.tokenType.name === "Identifier" || isKeyword(name.tokenType));
    if (named && keyword !== undefined && isBlockKeyword(keyword)) return `${keyword.image} ${q(name.image)}`;
    if (name !== undefined && isBlockKeyword(name)) return `${name.image} block`;
    return "the block";
  }

  private headerStart(braceIndex: number): IToken {
    for (const back of [2, 1]) {
      const t = this.at(braceIndex - back);
      if (t !== undefined && isBlockKeyword(t)) return t;
    }
    return this.tokens[braceIndex]!;
  }

  /** The keyword that starts the setting `index` belongs to, walking back over a name list. */
  settingKeywordBefore(index: number): IToken | undefined {
    for (let i = index - 1; i >= 0; i--) {
      const t = this.tokens[i]!;
      if (!["Identifier", "Dot", "Comma", "Arrow"].includes(t.tokenType.name)) return t;
    }
    return undefined;
  }
}

/** True when the tokens before `index` are `env NAME "v"` (with more `, NAME "v"` allowed). */
function isEnvListAt(context: TokenContext, index: number): boolean {
  for (let i = index - 1; i >= 2; i -= 3) {
    const [value, name, before] = [context.at(i), context.at(i - 1), context.at(i - 2)];
    if (value?.tokenType.name !== "CompleteString" || name?.tokenType.name !== "Identifier") return false;
    if (before?.tokenType.name === "Env") return true;
    if (before?.tokenType.name !== "Comma") return false;
  }
  return false;
}

function isEof(token: IToken): boolean {
  return token.tokenType.name === "EOF" || !Number.isFinite(token.startOffset);
}

function isBlockKeyword(token: IToken): boolean {
  return ["App", "Service", "Supervisor"].includes(token.tokenType.name);
}

function spanOf(token: IToken): Span {
  return { start: token.startOffset, end: tokenEnd(token) };
}

function describeToken(token: IToken): string {
  if (isEof(token)) return "the end of the file";
  const image = token.image.length > 24 ? token.image.slice(0, 21) + "..." : token.image;
  return q(image);
}

/** What a rule wanted, in the user's words. */
function describeExpected(rule: RuleName, expected: string): string {
  switch (expected) {
    case "DurationValue":
      return "a duration like 5s";
    case "Integer":
      return "a whole number like 5";
    case "StringLiteral":
      switch (rule) {
        case "execSetting":
          return 'a quoted command line like "node worker.mjs"';
        case "cwdSetting":
          return 'a quoted directory like "./workers"';
        case "readySetting":
          return 'the quoted text of the line, like "listening"';
        case "envVariable":
          return 'a quoted value like "debug"';
        default:
          return 'a quoted module path like "./services/db.ts"';
      }
    case "DotDot":
      return "'..' between the two durations, e.g. 'backoff 100ms..10s'";
    case "LCurly":
      return "'{'";
    case "RCurly":
      return "'}'";
    case "EOF":
      return "the end of the file";
    case "Name":
      return rule === "reference" ? "the name of a service or supervisor" : "a name";
    case "Identifier":
      switch (rule) {
        case "signalsSetting":
          return "a signal name like SIGTERM";
        case "strategySetting":
          return `a strategy (${orList(STRATEGIES)})`;
        case "restartSetting":
          return `a restart policy (${orList(RESTART_POLICIES)})`;
        case "deploySetting":
          return `a platform (${orList(PLATFORMS)})`;
        case "stopSignalSetting":
          return "a signal name like SIGTERM";
        case "readySetting":
          return "the stream to watch (stdout)";
        case "envSetting":
        case "envVariable":
          return "an environment variable name like LOG_LEVEL";
        default:
          return "a name";
      }
    default:
      return q(expected.toLowerCase());
  }
}

export function mapParserErrors(errors: readonly ParserError[], tokens: readonly IToken[], source: string, fileName: string): Diagnostic[] {
  // The token index costs a map entry per token: build it only when there is an error to place.
  if (errors.length === 0) return [];
  const context = new TokenContext(tokens, source);
  return errors.map((error) => mapParserError(error, context, fileName));
}

function mapParserError(error: ParserError, context: TokenContext, fileName: string): Diagnostic {
  const actual = error.token;
  const index = context.indexOf(actual);
  const previous = context.at(index - 1);
  const sameLine = previous !== undefined && !isEof(actual) && context.position(actual).line === context.position(previous).line;
  // When the expected thing is missing at the end of a line, point just after what came before it.
  const missingAt: Span =
    sameLine || previous === undefined
      ? isEof(actual)
        ? { start: 0, end: 0 }
        : spanOf(actual)
      : { start: tokenEnd(previous), end: tokenEnd(previous) };
  const expected = error.record.expected[0] ?? "";
  const rule = error.record.rule;

  if (rule === "specFile" || error.record.kind === "not-all-input") {
    const what =
      actual.tokenType.name === "RCurly"
        ? "unexpected '}': there is no open block to close"
        : isKeyword(actual.tokenType) && SETTING_WORDS.includes(actual.image)
          ? `unexpected ${describeToken(actual)}: settings belong inside the app block`
          : `unexpected ${describeToken(actual)} outside the app block`;
    return createDiagnostic(M.outsideApp, fileName, isEof(actual) ? missingAt : spanOf(actual), [what]);
  }

  if (rule === "block" && expected === "RCurly") {
    const open = context.openBlockBefore(index);
    const block = open?.description ?? "the block";
    if (isEof(actual)) {
      const where = open !== undefined ? context.describePosition(open.open) : "?";
      const suspect = context.misindentedBlockBefore(index);
      return createDiagnostic(M.unclosedBlock, fileName, missingAt, [block, where], {
        ...(suspect !== undefined
          ? {
              hint: H.blockMissingBrace(suspect.block.description, context.describePosition(suspect.block.open)),
              related: [{ message: N.braceIndentedLikeOuterBlock(), span: spanOf(suspect.close) }],
            }
          : {}),
      });
    }
    if (actual.tokenType.name === "Identifier") {
      const keyword = context.settingKeywordBefore(index);
      const inList = previous?.tokenType.name === "Identifier" && keyword !== undefined && ["Needs", "Signals", "Shutdown"].includes(keyword.tokenType.name);
      if (inList) {
        return createDiagnostic(M.expectedToken, fileName, spanOf(actual), [`unexpected ${describeToken(actual)} in ${block}`], {
          hint: H.separateListItems(keyword.image),
        });
      }
      // `env A "1" B "2"`: the name after a value is the next variable, missing its comma.
      if (isEnvListAt(context, index)) {
        return createDiagnostic(M.expectedToken, fileName, spanOf(actual), [`unexpected ${describeToken(actual)} in ${block}`], {
          hint: H.separateEnvVariables(),
        });
      }
      const hint = actual.image === "timeout" ? H.writeATimeoutSetting(TIMEOUT_SETTINGS) : didYouMean(actual.image, SETTING_WORDS);
      return createDiagnostic(M.unknownSetting, fileName, spanOf(actual), [actual.image, block], hint !== undefined ? { hint } : {});
    }
    return createDiagnostic(M.expectedToken, fileName, spanOf(actual), [
      `unexpected ${describeToken(actual)} in ${block}: expected a setting, a nested block or '}'`,
    ]);
  }

  const after = previous === undefined ? "" : ` after ${describePrevious(context, index)}`;
  const found = sameLine ? `, found ${describeToken(actual)}` : "";
  const hint = expected === "StringLiteral" && sameLine ? { hint: H.putInDoubleQuotes(rule) } : {};
  return createDiagnostic(M.expectedToken, fileName, missingAt, [`expected ${describeExpected(rule, expected)}${after}${found}`], hint);
}

/** `'stop timeout'`, `service 'db'`, `'needs'`: what the user wrote just before the error. */
function describePrevious(context: TokenContext, index: number): string {
  const previous = context.at(index - 1)!;
  const before = context.at(index - 2);
  if (previous.tokenType.name === "Timeout" && before !== undefined && ["Start", "Stop"].includes(before.tokenType.name)) {
    return q(`${before.image} timeout`);
  }
  if (previous.tokenType.name === "Signal" && before?.tokenType.name === "Stop") return q("stop signal");
  if (previous.tokenType.name === "When" && before?.tokenType.name === "Ready") return q("ready when");
  const deploy = context.at(index - 3);
  if (previous.tokenType.name === "Timeout" && before?.tokenType.name === "Identifier" && deploy?.tokenType.name === "Deploy") {
    return q(`deploy ${before.image} timeout`);
  }
  if (previous.tokenType.name === "Integer" && before?.tokenType.name === "Intensity") {
    return q(`intensity ${previous.image}`);
  }
  if (previous.tokenType.name === "Identifier" && before !== undefined && isBlockKeyword(before)) {
    return `${before.image} ${q(previous.image)}`;
  }
  return describeToken(previous);
}
