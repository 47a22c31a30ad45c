// The output side of the formatter: lines with an indentation level, text, and an optional
// trailing `//` comment kept apart so that consecutive trailing comments can be aligned, the way
// gofmt does. Rendering is the only place that turns levels into spaces.

const INDENT = "  ";
/** Spaces at least between code and its trailing comment. */
const COMMENT_GAP = 2;

export interface OutputLine {
  readonly level: number;
  text: string;
  /** A trailing line comment, aligned with its neighbours when rendered. */
  comment?: string;
}

export type Output = (OutputLine | "blank")[];

export class LineWriter {
  readonly lines: Output = [];
  private current: OutputLine | undefined;

  /** True while a line is open (something may still be appended to it). */
  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /** Text of the open line so far ("" when none is open). */
  get openText(): string {
    return this.current?.text ?? "";
  }

  open(level: number): void {
    this.close();
    this.current = { level, text: "" };
  }

  append(text: string): void {
    this.current!.text += text;
  }

  /** Ends the open line with a trailing line comment. */
  closeWithComment(comment: string): void {
    this.current!.comment = comment;
    this.close();
  }

  close(): void {
    if (this.current === undefined) return;
    if (this.current.text !== "" || this.current.comment !== undefined) this.lines.push(this.current);
    this.current = undefined;
  }

  /** One blank line, never at the start and never twice in a row. */
  blank(): void {
    this.close();
    const last = this.lines[this.lines.length - 1];
    if (last !== undefined && last !== "blank") this.lines.push("blank");
  }

  /** True when nothing has been written since the last blank line or the start. */
  get lastIsBlank(): boolean {
    return this.lines.length === 0 || this.lines[this.lines.length - 1] === "blank";
  }
}

/** Lines to text: LF only, no trailing whitespace, one final newline. */
export function renderLines(lines: Output): string {
  const trimmed = [...lines];
  while (trimmed[trimmed.length - 1] === "blank") trimmed.pop();
  const columns = alignComments(trimmed);
  const out = trimmed.map((line, i) => {
    if (line === "blank") return "";
    const code = INDENT.repeat(line.level) + line.text;
    if (line.comment === undefined) return code.trimEnd();
    if (line.text === "") return INDENT.repeat(line.level) + line.comment;
    const column = columns[i] ?? code.length + COMMENT_GAP;
    return code + " ".repeat(Math.max(COMMENT_GAP, column - code.length)) + line.comment;
  });
  return out.join("\n") + "\n";
}

/**
 * The column of each trailing comment: runs of consecutive lines at one level that all end in a
 * comment share the column two spaces after the longest code among them. A line without one, a
 * blank line or a change of level ends the run, so an edit realigns only its neighbours.
 */
function alignComments(lines: Output): (number | undefined)[] {
  const columns: (number | undefined)[] = new Array(lines.length).fill(undefined);
  const alignable = (line: OutputLine | "blank" | undefined): line is OutputLine =>
    line !== undefined && line !== "blank" && line.comment !== undefined && line.text !== "" && !line.text.includes("\n");
  for (let start = 0; start < lines.length; ) {
    const first = lines[start];
    if (!alignable(first)) {
      start++;
      continue;
    }
    let end = start + 1;
    for (let next = lines[end]; alignable(next) && next.level === first.level; next = lines[++end]);
    const width = Math.max(...lines.slice(start, end).map((l) => INDENT.length * (l as OutputLine).level + (l as OutputLine).text.length));
    for (let i = start; i < end; i++) columns[i] = width + COMMENT_GAP;
    start = end;
  }
  return columns;
}
