// Renders the plan of compiler/tools/plan-model.ts: a text Gantt chart for terminals and reviews, or a
// Mermaid gantt. Bars are scaled to the chart's axis (for the shutdown, the grace, so the slack
// is visible); services are drawn with '█', supervisors, which last as long as their children,
// with '░'.
import type { ResolvedApp } from "../model/model.ts";
import { formatDuration } from "../language/literals.ts";
import { escapeGanttText } from "./escape-labels.ts";
import { buildPlanModel, type PlanChart, type PlanModel, type PlanRow } from "./plan-model.ts";

export type PlanFormat = "text" | "mermaid";

const BAR_WIDTH = 40;

export function renderPlan(app: ResolvedApp, format: PlanFormat): string {
  const model = buildPlanModel(app);
  return format === "text" ? renderTextPlan(model) : renderMermaidPlan(model);
}

function renderTextPlan(model: PlanModel): string {
  const start = model.start;
  const shutdown = model.shutdown;
  const sections = [
    `${model.app}: worst case, every service taking its full timeout`,
    "",
    `start: ${formatDuration(start.totalMs)}${start.path !== "" ? ` (${start.path})` : ""}`,
    "",
    ...renderChart(start, "level"),
    "",
    `shutdown: ${describeDrain(model)}${formatDuration(shutdown.totalMs)} of grace ${formatDuration(model.graceMs)}${shutdown.path !== "" ? ` (${shutdown.path})` : ""}`,
    "",
    ...renderChart(shutdown, "phase"),
  ];
  return sections.join("\n") + "\n";
}

function renderChart(chart: PlanChart, groupTitle: string): string[] {
  const groupWidth = Math.max(groupTitle.length, ...chart.rows.map((r) => r.group.length));
  const label = (r: PlanRow): string => "  ".repeat(r.depth) + r.name;
  const nodeWidth = Math.max("node".length, ...chart.rows.map((r) => label(r).length));
  const beginWidth = Math.max("begin".length, ...chart.rows.map((r) => formatDuration(r.beginMs).length));
  const endWidth = Math.max("end".length, ...chart.rows.map((r) => formatDuration(r.finishMs).length));
  const axisStart = "0s";
  const axisEnd = formatDuration(chart.axisMs);
  const axis = axisStart + " ".repeat(Math.max(1, BAR_WIDTH - axisStart.length - axisEnd.length)) + axisEnd;
  const header = `${groupTitle.padEnd(groupWidth)}  ${"node".padEnd(nodeWidth)}  ${"begin".padStart(beginWidth)} .. ${"end".padEnd(endWidth)}  |${axis}|`;
  const lines = chart.rows.map(
    (r) =>
      `${r.group.padEnd(groupWidth)}  ${label(r).padEnd(nodeWidth)}  ${formatDuration(r.beginMs).padStart(beginWidth)} .. ` +
      `${formatDuration(r.finishMs).padEnd(endWidth)}  |${drawBar(r, chart.axisMs)}|`,
  );
  return [header, ...lines];
}

/** The row's span on a BAR_WIDTH axis; anything that takes time gets at least one cell. */
function drawBar(row: PlanRow, axisMs: number): string {
  if (axisMs <= 0) return " ".repeat(BAR_WIDTH);
  const from = Math.round((row.beginMs / axisMs) * BAR_WIDTH);
  let to = Math.round((row.finishMs / axisMs) * BAR_WIDTH);
  if (row.finishMs > row.beginMs && to === from) to = Math.min(BAR_WIDTH, from + 1);
  const cell = row.kind === "service" ? "█" : "░";
  return " ".repeat(from) + cell.repeat(Math.max(0, to - from)) + " ".repeat(Math.max(0, BAR_WIDTH - Math.max(to, from)));
}

/**
 * Mermaid gantt with times as milliseconds since the epoch (`dateFormat x`), so that '%s' on the
 * axis reads as seconds from the start of each timeline, whatever the viewer's time zone.
 */
function renderMermaidPlan(model: PlanModel): string {
  const out = [
    "gantt",
    `  title ${escapeGanttText(`Worst-case start (from launch) and shutdown (from the first signal) of ${model.app}`)}`,
    "  dateFormat x",
    "  axisFormat %ss",
  ];
  const section = (chart: PlanChart, name: string, prefix: string, groupTitle: string): void => {
    out.push(`  section ${escapeGanttText(name)}`);
    chart.rows.forEach((r, i) => {
      const text = `${r.id} (${groupTitle} ${r.group}${r.kind === "supervisor" ? ", supervisor" : ""})`;
      out.push(`  ${escapeGanttText(text)} :${prefix}${i}, ${r.beginMs}, ${r.finishMs}`);
    });
  };
  section(model.start, `start ${formatDuration(model.start.totalMs)}`, "s", "level");
  section(model.shutdown, `shutdown ${describeDrain(model)}${formatDuration(model.shutdown.totalMs)} of grace ${formatDuration(model.graceMs)}`, "d", "phase");
  return out.join("\n") + "\n";
}

/** "drain 2s, then ": the drain comes first and counts in the grace; nothing without one. */
function describeDrain(model: PlanModel): string {
  return model.drainMs > 0 ? `drain ${formatDuration(model.drainMs)}, then ` : "";
}
