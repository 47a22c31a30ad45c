// Offsets are the only positions stored anywhere; this module turns them into 1-based line and
// column numbers when something is printed. Lines end at "\n", "\r\n" or a lone "\r" (the same
// breaks the lexer treats as whitespace); columns count UTF-16 code units, like editors and LSP.

export interface LineColumn {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export class LineMap {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offsets past the end clamp to the end of the text. */
  position(offset: number): LineColumn {
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - this.starts[low]! + 1 };
  }

  /** The 0-based offset where a 1-based line starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }

  /** The length of a 1-based line without its line break. */
  lineLength(line: number): number {
    const start = this.lineStart(line);
    if (line >= this.starts.length) return this.text.length - start;
    let end = this.starts[line]!;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end - start;
  }

  /** Characters `from` to `to` (0-based, clamped) of a 1-based line, without reading the rest. */
  lineSlice(line: number, from: number, to: number): string {
    const start = this.lineStart(line);
    const length = this.lineLength(line);
    return this.text.slice(start + Math.max(0, Math.min(from, length)), start + Math.max(0, Math.min(to, length)));
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line < this.starts.length ? this.starts[line]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, "");
  }
}
