// Tokens of the .sup language, in the order the lexer tries them. Keywords come before
// Identifier and name it as `longer_alt`, so `dbx` or `services` lex as names. Only words the
// grammar needs to find where a setting or block starts are keywords; values such as a restart
// policy, a strategy or `SIGTERM` are plain identifiers validated by the checks, which gives
// better messages (did-you-mean) than a parse error would.
//
// Two token categories keep the grammar simple: every duration-like token (including a bare
// integer and `infinity`) is a `DurationValue`, so `stop timeout 5` parses and the AST builder
// can say "add a unit"; both string tokens are a `StringLiteral`, so an unterminated string still
// parses as a string and is reported once, by the builder, instead of cascading.
import { createToken, Lexer, type ILexingResult, type IToken, type TokenType } from "chevrotain";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED });
// Comments go to their own token group: the parser never sees them, and the formatter
// (compiler/tools/format-spec.ts) puts each back in place by its offset.
export const COMMENTS_GROUP = "comments";
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: COMMENTS_GROUP });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: COMMENTS_GROUP });
/** A `/*` without its `*\/`: swallows the rest of the file, reported by compiler/syntax/parse-spec.ts. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "unterminated",
});

/**
 * A name where the grammar expects one: after `app`, `service` or `supervisor`, and in a
 * reference (`needs`, `shutdown`). Keywords are contextual: every keyword is in this category
 * (`keyword()` puts it there), so `service signal` or `needs start` read as names by position,
 * and a keyword added to the language never takes a name away from a user.
 */
export const Name = createToken({ name: "Name", pattern: Lexer.NA });

export const Identifier = createToken({
  name: "Identifier",
  categories: [Name],
  // A hyphen directly followed by `>` ends the name, so `a->b` is `a` `->` `b`.
  pattern: /[A-Za-z_](?:[A-Za-z0-9_]|-(?!>))*/,
});

function keyword(word: string): TokenType {
  return createToken({
    name: word.charAt(0).toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name],
  });
}

export const DurationValue = createToken({ name: "DurationValue", pattern: Lexer.NA });
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA });

export const App = keyword("app");
export const Service = keyword("service");
export const Supervisor = keyword("supervisor");
export const Grace = keyword("grace");
export const Signals = keyword("signals");
export const Strategy = keyword("strategy");
export const Intensity = keyword("intensity");
export const Per = keyword("per");
export const Module = keyword("module");
export const Start = keyword("start");
export const Stop = keyword("stop");
export const Timeout = keyword("timeout");
export const Restart = keyword("restart");
export const Needs = keyword("needs");
export const Shutdown = keyword("shutdown");
export const Deploy = keyword("deploy");
// Process services (`exec`). `signal` comes after `signals` in KEYWORDS, so that `signals` is
// matched whole before `signal` gets a chance at its prefix.
export const Exec = keyword("exec");
export const Signal = keyword("signal");
export const Ready = keyword("ready");
export const When = keyword("when");
export const Env = keyword("env");
export const Cwd = keyword("cwd");
export const Backoff = keyword("backoff");
export const After = keyword("after");
export const Replicas = keyword("replicas");
export const Reload = keyword("reload");
// The health endpoints and the drain before the stop. `port` and `host` stay names (checked after
// `health`, like the stream of `ready when`), so a service may still be called `host`.
export const Health = keyword("health");
export const Drain = keyword("drain");
export const Infinity_ = createToken({
  name: "Infinity",
  pattern: /infinity/,
  longer_alt: Identifier,
  categories: [DurationValue, Name],
});

/**
 * Digits followed by letters: `5s`, `1m30s`, but also `5x` or `1s1m`, which the AST builder
 * rejects with a precise message, and `2fa-proxy`, a name starting with a digit (reported once,
 * as a name, when it names a block). A fraction (`1.5s`) is lexed whole for the same reason. Two
 * dots end the literal: `100ms..10s` is a range (`backoff`), not one malformed duration.
 */
export const DurationLiteral = createToken({
  name: "DurationLiteral",
  pattern: /[0-9]+(?:\.[0-9]+)?[A-Za-z_](?:[A-Za-z0-9_]|\.(?!\.)|-(?!>))*/,
  categories: [DurationValue],
});
/** `127.0.0.1` after `health host`: four numbers and three dots, tried before a duration or a number. */
export const Address = createToken({ name: "Address", pattern: /[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/ });
export const Integer = createToken({ name: "Integer", pattern: /[0-9]+(?:\.[0-9]+)?/, categories: [DurationValue] });

export const CompleteString = createToken({
  name: "CompleteString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringLiteral],
});
/**
 * A string that reaches the end of its line without a closing quote. The braces that end the line
 * are left out of it (`module "./db.ts }` closes its block, `service "db {` opens one), so that the
 * one missing quote does not also leave a block unclosed or unopened.
 */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*?\\?(?=(?:[ \t]*[{}])*[ \t]*(?![^\r\n]))/,
  categories: [StringLiteral],
});

export const LCurly = createToken({ name: "LCurly", pattern: /\{/ });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Arrow = createToken({ name: "Arrow", pattern: /->/ });
/** `..` between the bounds of a range (`backoff 100ms..10s`); tried before `.`. */
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./ });
export const Dot = createToken({ name: "Dot", pattern: /\./ });

export const KEYWORDS: readonly TokenType[] = [
  App, Service, Supervisor, Grace, Signals, Strategy, Intensity, Per, Module, Start, Stop, Timeout, Restart, Needs,
  Shutdown, Deploy, Exec, Signal, Ready, When, Env, Cwd, Backoff, After, Replicas, Reload, Health, Drain, Infinity_,
];

/** The lexer tries these in order; categories (DurationValue, StringLiteral) are listed too. */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  ...KEYWORDS,
  Identifier,
  Address,
  DurationLiteral,
  Integer,
  CompleteString,
  UnterminatedString,
  LCurly,
  RCurly,
  Comma,
  Arrow,
  DotDot,
  Dot,
  DurationValue,
  StringLiteral,
  Name,
];

// Offsets only: lines and columns are computed from the source for the tokens a message names
// (compiler/syntax/syntax-errors.ts), and tracking them for every token was a third of the lexing time.
const lexer = new Lexer(ALL_TOKENS as TokenType[], {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
});

export function tokenize(source: string): ILexingResult {
  return lexer.tokenize(source);
}

/** The offset just past a token (tokens carry no `endOffset` when only offsets are tracked). */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

export function isKeyword(type: TokenType): boolean {
  return KEYWORDS.includes(type);
}
