// `supervise fmt`: the canonical layout of a spec. The AST gives the structure (blocks, items in
// source order); the tokens give the text, printed with fixed spacing; comments, which the
// parser never sees (compiler/syntax/tokens.ts puts them in their own token group), are put back by
// offset: a comment that followed code on its line stays at the end of that line, one on its
// own line stays on its own line before what followed it. Nothing is reordered and no value is
// rewritten (`90s` stays `90s`), so the result parses to the same tree.
//
// The layout: two spaces per level; one item per line; blank lines between items kept (at most
// one), none just inside braces; a block written on one line stays on one line when it holds
// only settings, no comments, and fits in 100 columns (settings then separated by two spaces);
// an empty block is `{}`; consecutive trailing comments aligned.
import type { IToken } from "chevrotain";
import type { Block, Setting, Shutdown } from "../language/ast.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { sortDiagnostics } from "../diagnostics/diagnostic.ts";
import { parseSpec } from "../syntax/parse-spec.ts";
import { COMMENTS_GROUP, tokenEnd, tokenize } from "../syntax/tokens.ts";
import { LineWriter, renderLines } from "./format-lines.ts";

export interface FormatResult {
  /** The formatted text; undefined when the spec has syntax errors. */
  readonly formatted: string | undefined;
  /** The syntax errors that prevent formatting. */
  readonly diagnostics: readonly Diagnostic[];
}

const MAX_WIDTH = 100;
/** Extra levels for the continuation of an item broken by a line comment inside it. */
const CONTINUATION = 2;

export function formatSpec(source: string, fileName: string): FormatResult {
  const parsed = parseSpec(source, fileName);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  // Formatting a tree that error recovery guessed would move or drop what the user wrote.
  if (errors.length > 0 || parsed.spec.app === undefined) return { formatted: undefined, diagnostics: sortDiagnostics(errors) };
  const lexed = tokenize(source);
  const printer = new SpecPrinter(source, lexed.tokens, lexed.groups[COMMENTS_GROUP] ?? []);
  return { formatted: printer.printFile(parsed.spec.app), diagnostics: [] };
}

type Item = Block | Setting | Shutdown;

function isBlock(item: Item): item is Block {
  return "children" in item;
}

class SpecPrinter {
  private readonly out = new LineWriter();
  private nextComment = 0;
  /** End offset of the last token or comment printed. */
  private lastEnd = -1;
  private lastImage = "";
  /** Blank lines are kept between items, but not just inside a block's braces. */
  private atBlockStart = false;
  /** An own-line block comment followed on its line by code: that code goes on the same line. */
  private commentAwaitsCode = false;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly IToken[],
    private readonly comments: readonly IToken[],
  ) {}

  printFile(app: Block): string {
    this.flushComments(app.span.start, 0);
    this.startItem(app.span.start, 0);
    this.printBlock(app, 0);
    this.flushComments(Infinity, 0);
    this.out.close();
    return renderLines(this.out.lines);
  }

  private printBlock(block: Block, level: number): void {
    // Without syntax errors the token after the name is the '{'.
    const open = this.tokens[indexAtOrAfter(this.tokens, block.name.span.end)]!;
    const close = this.tokenAt(block.span.end - 1);
    for (const t of this.tokensIn(block.span.start, tokenEnd(open))) this.printToken(t, level + CONTINUATION);
    const items: Item[] = [...block.children, ...block.settings, ...block.shutdowns].sort((a, b) => a.span.start - b.span.start);
    if (this.fitsOnOneLine(block, items, open, close, level)) {
      items.forEach((item, i) => this.printTokens(item, level + CONTINUATION, i === 0 ? " " : "  "));
      this.printToken(close, level, items.length === 0 ? "" : " ");
      return;
    }
    this.atBlockStart = true;
    for (const item of items) {
      this.flushComments(item.span.start, level + 1);
      this.startItem(item.span.start, level + 1);
      if (isBlock(item)) this.printBlock(item, level + 1);
      else this.printTokens(item, level + 1 + CONTINUATION);
    }
    this.flushComments(close.startOffset, level + 1);
    this.out.open(level);
    this.printToken(close, level);
    this.atBlockStart = false;
  }

  private startItem(start: number, level: number): void {
    if (this.commentAwaitsCode) {
      this.commentAwaitsCode = false;
      return;
    }
    if (!this.atBlockStart && this.lastEnd >= 0 && this.hasBlankLine(this.lastEnd, start)) this.out.blank();
    this.atBlockStart = false;
    this.out.open(level);
  }

  /**
   * Kept on one line: a block without nested blocks and comments inside, written on one line
   * (or empty), that fits. Printed once this way, it passes the same test next time: the layout
   * is idempotent.
   */
  private fitsOnOneLine(block: Block, items: readonly Item[], open: IToken, close: IToken, level: number): boolean {
    if (items.length === 0 && !this.hasCommentIn(open.startOffset, close.startOffset)) return true;
    if (block.kind === "app" || block.children.length > 0 || this.hasCommentIn(open.startOffset, close.startOffset)) return false;
    if (this.hasLineBreak(open.startOffset, close.startOffset)) return false;
    const inside = items.map((item) => joinTokens(this.tokensIn(item.span.start, item.span.end))).join("  ");
    // indentation, the header up to '{', then ' ', the settings, ' }'
    return 2 * level + this.out.openText.length + 1 + inside.length + 2 <= MAX_WIDTH;
  }

  private printTokens(item: Item, continuation: number, firstSeparator?: string): void {
    this.tokensIn(item.span.start, item.span.end).forEach((t, i) => this.printToken(t, continuation, i === 0 ? firstSeparator : undefined));
  }

  /** Prints a token after the comments before it; `separator` overrides the usual spacing. */
  private printToken(token: IToken, continuation: number, separator?: string): void {
    this.flushComments(token.startOffset, continuation);
    this.commentAwaitsCode = false;
    if (!this.out.isOpen) this.out.open(continuation);
    const text = this.out.openText;
    this.out.append(text === "" ? "" : (separator ?? spaceBetween(this.lastImage, token.image)));
    this.out.append(token.image);
    this.lastEnd = tokenEnd(token);
    this.lastImage = token.image;
  }

  /** Prints every comment that starts before `offset`; own-line ones at `level`. */
  private flushComments(offset: number, level: number): void {
    for (; this.nextComment < this.comments.length && this.comments[this.nextComment]!.startOffset < offset; this.nextComment++) {
      const comment = this.comments[this.nextComment]!;
      const text = comment.tokenType.name === "LineComment" ? comment.image.trimEnd() : comment.image.replace(/\r\n?/g, "\n");
      const trailing = this.lastEnd >= 0 && this.out.isOpen && !this.hasLineBreak(this.lastEnd, comment.startOffset);
      if (!trailing) this.startItem(comment.startOffset, level);
      if (comment.tokenType.name === "LineComment") {
        if (this.out.openText === "") this.out.append(text);
        else this.out.closeWithComment(text);
        this.out.close();
      } else {
        this.out.append(this.out.openText === "" ? text : ` ${text}`);
        // A block comment followed on its line by more code keeps that code on its line.
        if (this.endsItsLine(tokenEnd(comment))) this.out.close();
        else if (!trailing) this.commentAwaitsCode = true;
      }
      this.lastEnd = tokenEnd(comment);
      this.lastImage = text;
    }
  }

  /** True when only spaces follow `offset` up to the end of its line (or of the file). */
  private endsItsLine(offset: number): boolean {
    let i = offset;
    while (i < this.source.length && (this.source[i] === " " || this.source[i] === "\t")) i++;
    return i >= this.source.length || this.source[i] === "\n" || this.source[i] === "\r";
  }

  private hasLineBreak(from: number, to: number): boolean {
    return /[\r\n]/.test(this.source.slice(from, to));
  }

  private hasBlankLine(from: number, to: number): boolean {
    return (this.source.slice(from, to).match(/\r\n|\r|\n/g) ?? []).length >= 2;
  }

  private hasCommentIn(from: number, to: number): boolean {
    const next = this.comments[indexAtOrAfter(this.comments, from + 1)];
    return next !== undefined && next.startOffset < to;
  }

  private tokenAt(offset: number): IToken {
    return this.tokens[indexAtOrAfter(this.tokens, offset)]!;
  }

  private tokensIn(from: number, to: number): IToken[] {
    const result: IToken[] = [];
    for (let i = indexAtOrAfter(this.tokens, from); i < this.tokens.length && this.tokens[i]!.startOffset < to; i++) result.push(this.tokens[i]!);
    return result;
  }
}

/** Binary search in tokens sorted by offset: the first starting at or after `offset`. */
function indexAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `a, b`, `a.b`, `a -> b`, `1s..5s`: no space before ',' and '.', nor around '.' and '..'. */
function spaceBetween(previous: string, next: string): string {
  return next === "," || next === "." || next === ".." || previous === "." || previous === ".." ? "" : " ";
}

function joinTokens(tokens: readonly IToken[]): string {
  return tokens.reduce((text, t, i) => text + (i === 0 ? "" : spaceBetween(tokens[i - 1]!.image, t.image)) + t.image, "");
}
