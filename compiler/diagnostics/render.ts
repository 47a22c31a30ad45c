// Diagnostics as text for people (like tsc and rustc: location, message, the source line with a
// marker under the span, a hint, related locations) and as JSON for tools. Line and column are
// computed here, from offsets, and nowhere earlier.
import type { Span } from "./span.ts";
import type { Diagnostic, Severity } from "./diagnostic.ts";
import { LineMap, type LineColumn } from "./source-text.ts";

export interface RenderOptions {
  readonly color: boolean;
}

const TAB_WIDTH = 4;
const GUTTER = 5;

const ANSI = { reset: "\x1b[0m", bold: "\x1b[1m", red: "\x1b[31m", yellow: "\x1b[33m", blue: "\x1b[34m", cyan: "\x1b[36m", dim: "\x1b[2m" };

class Painter {
  constructor(private readonly enabled: boolean) {}

  paint(text: string, ...styles: (keyof typeof ANSI)[]): string {
    if (!this.enabled || text === "") return text;
    return styles.map((s) => ANSI[s]).join("") + text + ANSI.reset;
  }
}

function severityStyle(severity: Severity): "red" | "yellow" | "cyan" {
  return severity === "error" ? "red" : severity === "warning" ? "yellow" : "cyan";
}

class LineMaps {
  private readonly maps = new Map<string, LineMap>();

  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  get(fileName: string): LineMap | undefined {
    let map = this.maps.get(fileName);
    if (map === undefined) {
      const text = this.sources.get(fileName);
      if (text === undefined) return undefined;
      this.maps.set(fileName, (map = new LineMap(text)));
    }
    return map;
  }

  location(fileName: string, offset: number): string {
    const map = this.get(fileName);
    if (map === undefined) return fileName;
    const { line, column } = map.position(offset);
    return `${fileName}:${line}:${column}`;
  }
}

/** Expands tabs to the next tab stop; returns the display text and a column mapper. */
function expandTabs(text: string): { text: string; displayColumn: (column0: number) => number } {
  const columns: number[] = [];
  let out = "";
  for (const ch of text) {
    for (let k = 0; k < ch.length; k++) columns.push(out.length);
    if (ch === "\t") out += " ".repeat(TAB_WIDTH - (out.length % TAB_WIDTH));
    else if (ch.charCodeAt(0) < 0x20 || ch === "\x7f") out += " ";
    else out += ch;
  }
  columns.push(out.length);
  return { text: out, displayColumn: (c) => columns[Math.min(c, columns.length - 1)]! };
}

/**
 * Lines longer than this are shown as a window around the marker, cut with '…': a spec written on
 * one line of 100 KB with 10,000 diagnostics would otherwise print that line 10,000 times.
 */
const MAX_EXCERPT = 200;
const WINDOW_BEFORE = 60;

function renderExcerpt(map: LineMap, span: Span, marker: string, paint: Painter, style: "red" | "yellow" | "cyan"): string[] {
  const start = map.position(span.start);
  const end: LineColumn = map.position(Math.max(span.start, span.end));
  const lineLength = map.lineLength(start.line);
  // The window of the line shown, in UTF-16 code units (the whole line when it is short).
  const windowStart = lineLength <= MAX_EXCERPT ? 0 : Math.max(0, Math.min(start.column - 1 - WINDOW_BEFORE, lineLength - MAX_EXCERPT));
  const windowEnd = Math.min(lineLength, windowStart + MAX_EXCERPT);
  const before = windowStart > 0 ? "…" : "";
  const after = windowEnd < lineLength ? "…" : "";
  const { text: shown, displayColumn } = expandTabs(map.lineSlice(start.line, windowStart, windowEnd));
  const text = before + shown + after;
  const column = (column1: number): number => before.length + displayColumn(Math.max(0, column1 - 1 - windowStart));
  const from = column(start.column);
  // A span over several lines (or past the window) marks the first line, from its start to the end.
  const to = end.line === start.line && end.column - 1 <= windowEnd ? column(end.column) : Math.max(before.length + shown.length, from + 1);
  const width = Math.max(1, to - from);
  const lineNo = String(start.line).padStart(GUTTER);
  const blank = " ".repeat(lineNo.length);
  return [
    `${paint.paint(lineNo, "blue")} ${paint.paint("|", "blue")} ${text}`.trimEnd(),
    `${blank} ${paint.paint("|", "blue")} ${" ".repeat(from)}${paint.paint(marker.repeat(width), style, "bold")}`,
  ];
}

function renderDiagnostic(diagnostic: Diagnostic, maps: LineMaps, paint: Painter): string {
  const style = severityStyle(diagnostic.severity);
  const lines: string[] = [];
  const location = maps.location(diagnostic.fileName, diagnostic.span.start);
  lines.push(
    `${paint.paint(location, "bold")}: ${paint.paint(`${diagnostic.severity} ${diagnostic.code}`, style, "bold")}: ${diagnostic.message}`,
  );
  const map = maps.get(diagnostic.fileName);
  if (map !== undefined) lines.push(...renderExcerpt(map, diagnostic.span, "^", paint, style));
  if (diagnostic.hint !== undefined) lines.push(`  ${paint.paint("hint", "cyan", "bold")}: ${diagnostic.hint}`);
  for (const related of diagnostic.related ?? []) {
    const file = related.fileName ?? diagnostic.fileName;
    lines.push(`  ${maps.location(file, related.span.start)}: ${paint.paint("note", "cyan")}: ${related.message}`);
  }
  return lines.join("\n") + "\n";
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** `2 errors, 1 warning`; empty when there is nothing to report. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Severity): number => diagnostics.filter((d) => d.severity === s).length;
  const parts: string[] = [];
  if (count("error") > 0) parts.push(plural(count("error"), "error"));
  if (count("warning") > 0) parts.push(plural(count("warning"), "warning"));
  if (count("info") > 0) parts.push(plural(count("info"), "note"));
  return parts.join(", ");
}

/** Every diagnostic, a blank line between them, then the summary; "" for no diagnostics. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: RenderOptions,
): string {
  if (diagnostics.length === 0) return "";
  const maps = new LineMaps(sources);
  const paint = new Painter(options.color);
  const blocks = diagnostics.map((d) => renderDiagnostic(d, maps, paint));
  return blocks.join("\n") + "\n" + paint.paint(summarizeDiagnostics(diagnostics), "bold") + "\n";
}

interface JsonPosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

function jsonPosition(maps: LineMaps, fileName: string, offset: number): JsonPosition {
  const map = maps.get(fileName);
  const { line, column } = map?.position(offset) ?? { line: 0, column: 0 };
  return { line, column, offset };
}

/** Stable JSON for tools: 1-based line/column plus the 0-based offset for start and end. */
export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const maps = new LineMaps(sources);
  const count = (s: Severity): number => diagnostics.filter((d) => d.severity === s).length;
  const items = diagnostics.map((d) => ({
    file: d.fileName,
    code: d.code,
    severity: d.severity,
    message: d.message,
    start: jsonPosition(maps, d.fileName, d.span.start),
    end: jsonPosition(maps, d.fileName, d.span.end),
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
    related: (d.related ?? []).map((r) => {
      const file = r.fileName ?? d.fileName;
      return { file, message: r.message, start: jsonPosition(maps, file, r.span.start), end: jsonPosition(maps, file, r.span.end) };
    }),
  }));
  return JSON.stringify({ diagnostics: items, summary: { errors: count("error"), warnings: count("warning"), infos: count("info") } }, null, 2);
}
