// Prints benchmark reports as aligned plain-text tables (also valid Markdown, so a run can be
// pasted into docs/benchmarks.md as is), followed by the target checks.
import { cpus, totalmem } from "node:os";
import {
  formatBytes,
  formatCount,
  formatMs,
  formatRatio,
  type BenchReport,
  type Cell,
  type Column,
  type Table,
} from "./harness.ts";

export function formatCell(cell: Cell, column: Column): string {
  if (cell === undefined) return "-";
  if (typeof cell === "string") return cell;
  switch (column.unit) {
    case "ms":
      return formatMs(cell);
    case "delta-ms":
      return cell >= 0 ? `+${formatMs(cell)}` : `−${formatMs(-cell)}`;
    case "ratio":
      return formatRatio(cell);
    case "bytes":
      return formatBytes(cell);
    case "count":
      return formatCount(cell);
    case "text":
      return String(cell);
  }
}

export function formatTable(table: Table): string {
  const header = table.columns.map((c) => c.title);
  const body = table.rows.map((row) => table.columns.map((column, i) => formatCell(row[i], column)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  // Text columns read best left-aligned, figures right-aligned.
  const pad = (text: string, i: number): string =>
    table.columns[i]!.unit === "text" ? text.padEnd(widths[i]!) : text.padStart(widths[i]!);
  const line = (cells: readonly string[]): string => `| ${cells.map(pad).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (table.columns[i]!.unit === "text" ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  const out = [`### ${table.title}`, "", line(header), rule, ...body.map(line)];
  if (table.notes.length > 0) out.push("", ...table.notes.map((n) => `- ${n}`));
  return out.join("\n");
}

export function formatReport(name: string, report: BenchReport): string {
  const parts = report.tables.map(formatTable);
  if (report.targets.length > 0) {
    const lines = report.targets.map((t) => `- [${t.met ? "met" : "MISSED"}] ${t.target}: ${t.actual}`);
    parts.push(`Targets (${name}):\n\n${lines.join("\n")}`);
  }
  return parts.join("\n\n");
}

export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? "unknown cpu";
  const memory = `${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM`;
  return `node ${process.version}, ${model}, ${cores.length} cores, ${memory}, ${process.platform}/${process.arch}`;
}
