// The end of the text log: what leaked (services abandoned with the tasks they still ran, and
// resources left open), a table of every service, and the one-line summary with the exit code.
import type { Budget, NodeReport, ShutdownReport } from "../api/events.ts";
import { describeReason, formatDuration } from "./describe.ts";

/** Beyond this many services the table keeps only the ones worth a look (see formatSummaryTable). */
const MAX_TABLE_ROWS = 50;

/** Where an abandoned service's time ran out, as the end of "did not stop within ...". */
function describeBudgetEnd(budget: Budget | undefined, budgetMs: number | undefined): string {
  const ms = budgetMs === undefined ? "" : `${formatDuration(budgetMs)} `;
  switch (budget?.kind) {
    case "grace":
      return `the ${ms}grace period`;
    case "supervisor-stop-timeout":
      return `${budget.supervisor === "" ? "the app's" : `supervisor ${budget.supervisor}'s`} ${ms}stop timeout`;
    default:
      return `its ${ms}stop timeout`;
  }
}

/** "a, b, c and 2 more". */
function listIds(ids: readonly string[]): string {
  if (ids.length <= 3) return ids.join(", ");
  return `${ids.slice(0, 3).join(", ")} and ${ids.length - 3} more`;
}

/**
 * Why the exit code is not 0, as the start of the last line: what started the shutdown when it
 * was not a signal, else what went wrong while stopping. Undefined for exit 0 and for a forced
 * exit (the line says so already).
 */
export function explainExit(report: ShutdownReport): string | undefined {
  if (report.exitCode === 0 || report.forcedBy !== undefined) return undefined;
  const { blocked, cause } = report;
  if (blocked !== undefined) {
    const who = blocked.service === "" ? "service code" : blocked.service;
    if (blocked.verdict === "start") return `${who} blocked the event loop while starting`;
    return `${who} blocked the event loop past the ${blocked.budgetMs === undefined ? "" : `${formatDuration(blocked.budgetMs)} `}grace period`;
  }
  if (cause !== undefined && cause.kind !== "signal") return describeReason(cause);
  const services = (report.nodes ?? []).filter((n) => n.kind === "service");
  // Abandoned services, grouped by the budget they overran.
  const overran = new Map<string, string[]>();
  for (const node of services) {
    if (node.state !== "abandoned") continue;
    const end = describeBudgetEnd(node.budget, node.budgetMs);
    overran.set(end, [...(overran.get(end) ?? []), node.id]);
  }
  if (overran.size > 0) return [...overran].map(([end, ids]) => `${listIds(ids)} did not stop within ${end}`).join("; ");
  const failed = services.filter((n) => n.state === "failed").map((n) => n.id);
  if (failed.length > 0) return `${listIds(failed)} failed`;
  const withErrors = services.filter((n) => n.errors.length > 0).map((n) => n.id);
  return withErrors.length > 0 ? `errors while stopping (${listIds(withErrors)})` : undefined;
}

/** "exit 1: api failed to start: Error: boom; 1 stopped, 1 failed (api)". */
export function summarize(report: ShutdownReport): string {
  const parts: string[] = [];
  const group = (ids: readonly string[], word: string, name: boolean): void => {
    if (ids.length > 0) parts.push(`${ids.length} ${word}${name ? ` (${ids.join(", ")})` : ""}`);
  };
  group(report.stopped, "stopped", false);
  group(report.abandoned, "abandoned", true);
  group(report.failed, "failed", true);
  group(report.running, "still running", true);
  group(report.neverStarted, "never started", true);
  const forced = report.forcedBy === undefined ? "" : `forced by a second ${report.forcedBy}; `;
  const why = explainExit(report);
  return `exit ${report.exitCode}: ${forced}${why === undefined ? "" : `${why}; `}${parts.length > 0 ? parts.join(", ") : "no services"}`;
}

/** "shop/workers/mailer": the app's name, then the node's path in the tree. */
export function formatPath(app: string, id: string): string {
  return id === "" ? app : `${app}/${id.split(".").join("/")}`;
}

function describeBudget(budget: Budget | undefined, budgetMs: number | undefined): string {
  const ms = budgetMs === undefined ? "its" : formatDuration(budgetMs);
  switch (budget?.kind) {
    case undefined:
    case "stop-timeout":
      return `its ${ms} stop timeout ran out`;
    case "grace":
      return `the ${ms} grace period ran out`;
    case "supervisor-stop-timeout":
      return `${budget.supervisor === "" ? "the app's" : `supervisor ${budget.supervisor}'s`} ${ms} stop timeout ran out`;
    default: {
      // A new kind of budget must be worded above; compile-time only: the report is written at exit.
      const unhandled: never = budget;
      void unhandled;
      return `its ${ms} budget ran out`;
    }
  }
}

/**
 * Each abandoned service with its path, the budget it overran, every task it still ran and the
 * stack where that task was started; then the resources left open. Empty when nothing leaked.
 */
export function formatLeakReport(report: ShutdownReport): string[] {
  const lines: string[] = [];
  const abandoned = report.nodes.filter((n) => n.kind === "service" && n.state === "abandoned");
  if (abandoned.length > 0) lines.push(`leak report: ${abandoned.length} service${abandoned.length === 1 ? "" : "s"} did not stop in time`);
  for (const node of abandoned) {
    const finalizers = node.pendingFinalizers > 0 ? `; ${node.pendingFinalizers} finalizer(s) not run` : "";
    lines.push(`  ${node.id} (${formatPath(report.app, node.id)}): ${describeBudget(node.budget, node.budgetMs)}${finalizers}`);
    for (const task of node.pendingTasks) {
      const where = task.scope === node.id ? "" : ` in ${task.scope}`;
      if (task.stack.length === 0) lines.push(`    task ${task.name}${where}`);
      else lines.push(`    task ${task.name}${where}, started at:`, ...task.stack.map((frame) => `      ${frame}`));
    }
  }
  const open = Object.entries(report.leftOpen ?? {});
  if (open.length > 0) {
    const list = open.map(([type, count]) => `${count} ${type}`).join(", ");
    lines.push(`warning: left open after the services stopped (not open before they started): ${list}`);
  }
  return lines;
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return "-";
  return ms < 10 && !Number.isInteger(ms) ? ms.toFixed(1) : String(Math.round(ms));
}

/**
 * A row per service: state, last start and stop durations, restarts. A large app lists only the
 * services worth a look (not cleanly stopped, or restarted), so that 10k services do not print 10k
 * lines at exit; the line after the table says how many were left out.
 */
export function formatSummaryTable(report: ShutdownReport): string[] {
  const services = report.nodes.filter((n) => n.kind === "service");
  if (services.length === 0) return [];
  let rows: readonly NodeReport[] = services;
  if (services.length > MAX_TABLE_ROWS) rows = services.filter((n) => n.state !== "stopped" || n.restarts > 0).slice(0, MAX_TABLE_ROWS);
  const cells = rows.map((n) => [n.id, n.state, formatMs(n.startMs), formatMs(n.stopMs), String(n.restarts)]);
  const header = ["service", "state", "start ms", "stop ms", "restarts"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  // Names and states read left to right; numbers line up on the right.
  const render = (row: readonly string[]): string =>
    row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd();
  const lines = [render(header), ...cells.map(render)];
  const omitted = services.length - rows.length;
  if (omitted > 0) lines.push(`(${omitted} more service${omitted === 1 ? "" : "s"} not shown: stopped cleanly, never restarted, or past ${MAX_TABLE_ROWS} rows)`);
  return lines;
}
