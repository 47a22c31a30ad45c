// What `supervise plan` shows, as data: the worst-case start timeline (every service taking its
// full start timeout, along its needs) and the worst-case shutdown timeline (every node taking
// its full stop timeout, in the shutdown order), one row per node in tree order. Start rows are
// grouped by level (the waits before a node), shutdown rows by phase: `2` is the app's second
// phase, `2.1` the first phase inside the supervisor stopping in it.
import type { NodeId, ResolvedApp, ResolvedNode, ResolvedSupervisor } from "../model/model.ts";
import { computeStartTiming } from "../model/start-timing.ts";
import { describeSteps, findWorstCaseShutdown } from "../model/timing-paths.ts";
import { formatDuration } from "../language/literals.ts";

export interface PlanRow {
  readonly id: NodeId;
  readonly name: string;
  readonly kind: "service" | "supervisor";
  /** Nesting below the app: 0 for its children. */
  readonly depth: number;
  /** The start level, or the shutdown phase (`2.1`). */
  readonly group: string;
  readonly beginMs: number;
  readonly finishMs: number;
}

export interface PlanChart {
  readonly title: "start" | "shutdown";
  readonly totalMs: number;
  /** The right end of the time axis: the total, or the grace for the shutdown. */
  readonly axisMs: number;
  /** The chain of steps that adds up to the total, as messages write it. */
  readonly path: string;
  readonly rows: readonly PlanRow[];
}

export interface PlanModel {
  readonly app: string;
  readonly graceMs: number;
  /** Before the shutdown chart: the services keep running this long after the first signal. */
  readonly drainMs: number;
  readonly start: PlanChart;
  readonly shutdown: PlanChart;
}

export function buildPlanModel(app: ResolvedApp): PlanModel {
  return { app: app.name, graceMs: app.graceMs, drainMs: app.drainMs, start: buildStartChart(app), shutdown: buildShutdownChart(app) };
}

function buildStartChart(app: ResolvedApp): PlanChart {
  const timing = computeStartTiming(app);
  const rows: PlanRow[] = [];
  const visit = (supervisor: ResolvedSupervisor, depth: number): void => {
    // Siblings in the order they may start: by level, then as declared.
    const children = supervisor.children
      .map((child, i) => ({ child, i, level: timing.nodes.get(child.id)!.level }))
      .sort((a, b) => a.level - b.level || a.i - b.i);
    for (const { child, level } of children) {
      const t = timing.nodes.get(child.id)!;
      rows.push(toRow(child, depth, String(level), t.beginMs, t.finishMs));
      if (child.kind === "supervisor") visit(child, depth + 1);
    }
  };
  visit(app.root, 0);
  const services = new Map(rows.map((r) => [r.id, r]));
  const path = timing.criticalPath.map((id) => {
    const row = services.get(id)!;
    return `${id} ${formatDuration(row.finishMs - row.beginMs)}`;
  });
  return { title: "start", totalMs: timing.totalMs, axisMs: timing.totalMs, path: path.join(" -> "), rows };
}

function buildShutdownChart(app: ResolvedApp): PlanChart {
  const worst = findWorstCaseShutdown(app);
  const { evaluation } = worst;
  const rows: PlanRow[] = [];
  const visit = (supervisor: ResolvedSupervisor, depth: number, prefix: string): void => {
    const byName = new Map(supervisor.children.map((c) => [c.name, c]));
    supervisor.shutdownPhases.forEach((phase, p) => {
      const group = `${prefix}${p + 1}`;
      for (const name of phase) {
        const child = byName.get(name)!;
        rows.push(toRow(child, depth, group, evaluation.beginMs(child.id), evaluation.finishMs(child.id)));
        if (child.kind === "supervisor") visit(child, depth + 1, `${group}.`);
      }
    });
  };
  visit(app.root, 0, "");
  return {
    title: "shutdown",
    totalMs: worst.totalMs,
    axisMs: Math.max(worst.totalMs, app.graceMs),
    path: describeSteps(worst.steps, formatDuration),
    rows,
  };
}

function toRow(node: ResolvedNode, depth: number, group: string, beginMs: number, finishMs: number): PlanRow {
  return { id: node.id, name: node.name, kind: node.kind, depth, group, beginMs, finishMs };
}
