// Wires the syntax phases: lexer -> parser -> AST builder, and collects their diagnostics.
// `hasSyntaxErrors` tells the front end whether the tree came out of error recovery, in which
// case only checks that look at one setting at a time are trustworthy (a missing '}' moves every
// later block into the wrong parent).
import type { IToken } from "chevrotain";
import type { SpecFile } from "../language/ast.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M } from "../diagnostics/catalogue.ts";
import { LineMap } from "../diagnostics/source-text.ts";
import { buildSpecFile } from "./ast-builder.ts";
import { parseTokens } from "./parser.ts";
import { mapLexerErrors, mapParserErrors, mapUnterminatedComments } from "./syntax-errors.ts";
import { LCurly, RCurly, tokenize, UnterminatedString } from "./tokens.ts";

export interface ParsedSpec {
  readonly spec: SpecFile;
  readonly diagnostics: readonly Diagnostic[];
  /** True when the tree may be a guess: the parser recovered, or a string or comment swallowed braces. */
  readonly hasSyntaxErrors: boolean;
}

/** Deeper specs are surely a mistake, and the recursive-descent parser must not overflow. */
export const MAX_NESTING = 100;

export function parseSpec(source: string, fileName: string): ParsedSpec {
  const lexed = tokenize(source);
  const tooDeep = findExcessiveNesting(lexed.tokens);
  if (tooDeep !== undefined) {
    const diagnostic = createDiagnostic(M.nestingTooDeep, fileName, { start: tooDeep.startOffset, end: tooDeep.startOffset + 1 }, [MAX_NESTING]);
    return { spec: { fileName, source, app: undefined }, diagnostics: [diagnostic], hasSyntaxErrors: true };
  }
  const parsed = parseTokens(lexed.tokens, source);
  const structural = suppressCascades([
    ...mapLexerErrors(lexed.errors, source, fileName),
    ...mapUnterminatedComments(lexed.groups["unterminated"] ?? [], fileName),
    ...mapParserErrors(parsed.errors, lexed.tokens, source, fileName),
  ], source);
  const built = buildSpecFile(parsed.cst, source, fileName);
  const diagnostics = [...structural, ...built.diagnostics];
  if (built.spec.app === undefined && structural.length === 0) {
    diagnostics.push(createDiagnostic(M.missingApp, fileName, { start: 0, end: 0 }, []));
  }
  // A stray character is dropped without changing the structure; an unterminated string or
  // comment swallows braces, and a parser error means recovery guessed.
  // (An unterminated string leaves the braces that end its line out, so only one with a brace
  // inside it can have changed the structure.)
  const swallowed =
    (lexed.groups["unterminated"] ?? []).length > 0 || lexed.tokens.some((t) => t.tokenType === UnterminatedString && /[{}]/.test(t.image));
  return { spec: built.spec, diagnostics, hasSyntaxErrors: parsed.errors.length > 0 || swallowed };
}

/**
 * One mistake often trips the lexer and the parser several times on the same line (an unquoted
 * path `./services/db.ts` is a dot, two stray slashes and three names). Keep the first error of
 * each line; unclosed blocks and comments are kept regardless, since they are separate mistakes, but only once
 * per position (several blocks left open at the end of the file are one report, the innermost).
 */
function suppressCascades(diagnostics: Diagnostic[], source: string): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => a.span.start - b.span.start);
  const seenLines = new Set<number>();
  const seenPositions = new Set<number>();
  const kept: Diagnostic[] = [];
  // Built once: a line found by counting breaks from the start for each error is quadratic.
  let lines: LineMap | undefined;
  for (const d of sorted) {
    if (seenPositions.has(d.span.start)) continue;
    const line = (lines ??= new LineMap(source)).position(d.span.start).line;
    const independent = d.code === M.unclosedBlock.code || d.code === M.unterminatedComment.code;
    if (!independent && seenLines.has(line)) continue;
    seenPositions.add(d.span.start);
    if (!independent) seenLines.add(line);
    kept.push(d);
  }
  return kept;
}

function findExcessiveNesting(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  // Indexed: this runs once, over every token, before V8 has optimized it, and a for-of loop
  // there allocates an iterator result per token.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === LCurly && ++depth > MAX_NESTING) return t;
    if (t.tokenType === RCurly) depth = Math.max(0, depth - 1);
  }
  return undefined;
}
