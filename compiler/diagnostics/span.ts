// Where something is in a spec. Every phase points at the source through spans; they sit at the
// bottom so that diagnostics, the AST and the model can all carry them.

/** 0-based offsets into the source text, end exclusive; line:col is computed only when printed. */
export interface Span {
  readonly start: number;
  readonly end: number;
}
