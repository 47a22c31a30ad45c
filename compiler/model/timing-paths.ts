// Explains worst-case shutdown figures as chains of steps, so a message can say
// `api 15s -> workers 20s -> db 10s = 45s` and a reviewer can check each number against the spec.
// A step is either a service taking its stop timeout, or a supervisor whose own stop timeout cut
// its subtree short; the steps of a chain follow each other without gaps, so they add up exactly
// to the figure they explain.
import type { NodeId, ResolvedApp } from "./model.ts";
import { evaluateShutdown, evaluateUncapped, type ShutdownEvaluation } from "./timing.ts";

export interface PathStep {
  readonly id: NodeId;
  readonly ms: number;
  /** "stop": a service's stop timeout; "budget": a supervisor's stop timeout ended the step. */
  readonly kind: "stop" | "budget";
}

export interface WorstCase {
  /** How long the whole shutdown may take without the grace cutting it (Infinity possible). */
  readonly totalMs: number;
  readonly steps: readonly PathStep[];
  readonly evaluation: ShutdownEvaluation;
}

/** A supervisor whose children may need longer to stop than its own stop timeout allows. */
export interface BudgetOverrun {
  readonly supervisor: NodeId;
  readonly budgetMs: number;
  readonly demandMs: number;
  readonly steps: readonly PathStep[];
}

/** The worst case of the whole tree without the grace (the root's budget is the grace). */
export function findWorstCaseShutdown(app: ResolvedApp): WorstCase {
  const evaluation = evaluateUncapped(app);
  const steps = evaluation.last === undefined ? [] : traceSteps(evaluation, evaluation.last, 0);
  return { totalMs: evaluation.totalMs, steps, evaluation };
}

/**
 * Supervisors whose own stop timeout cuts their children short. `worstCase` already tells which
 * budgets cut anything; only those are evaluated again without their budget, to measure what the
 * children would need, so that a large tree is not evaluated once per supervisor. Children
 * that may take forever (`stop timeout infinity`) are how a spec says "as long as the supervisor
 * allows", so an infinite demand is not an overrun.
 */
export function findBudgetOverruns(app: ResolvedApp, worstCase: WorstCase): BudgetOverrun[] {
  const { evaluation } = worstCase;
  const suspects = new Set<NodeId>();
  for (const id of evaluation.cutNodes()) {
    const owner = evaluation.deadlineOwner(id);
    if (owner !== undefined && owner !== app.root.id) suspects.add(owner);
  }
  const overruns: BudgetOverrun[] = [];
  for (const node of evaluation.table.nodes) {
    const id = node.id;
    if (!suspects.has(id) || node.kind !== "supervisor") continue;
    const unbounded = evaluateShutdown(app, { graceMs: Infinity, lifted: new Set([app.root.id, id]) });
    const beginMs = unbounded.beginMs(id);
    const demandMs = unbounded.finishMs(id) - beginMs;
    if (!Number.isFinite(demandMs) || demandMs <= node.stopTimeoutMs) continue;
    overruns.push({ supervisor: id, budgetMs: node.stopTimeoutMs, demandMs, steps: traceSteps(unbounded, id, beginMs) });
  }
  return overruns;
}

/**
 * Walks back from `from`'s finish to the moment `untilMs`: through the step that ended each node
 * (its stop timeout, or the budget that cut it), then to whatever it waited for before it began.
 */
function traceSteps(evaluation: ShutdownEvaluation, from: NodeId, untilMs: number): PathStep[] {
  const { table } = evaluation;
  const steps: PathStep[] = [];
  let current: NodeId | undefined = from;
  // Each round moves to a node that finished earlier or to a child: bounded by twice the tree.
  for (let guard = 2 * table.size + 2; current !== undefined && guard > 0; guard--) {
    if (evaluation.finishMs(current) <= untilMs) break;
    const node = table.nodeOf(current);
    if (evaluation.isCut(current)) {
      const owner = evaluation.deadlineOwner(current);
      if (owner === undefined) break; // cut by the grace: nothing to explain without it
      steps.push({ id: owner, ms: table.nodeOf(owner).stopTimeoutMs, kind: "budget" });
      current = evaluation.waitedFor(owner);
    } else if (node.kind === "service") {
      steps.push({ id: current, ms: node.stopTimeoutMs, kind: "stop" });
      current = evaluation.waitedFor(current);
    } else {
      const latest = latestChild(evaluation, current);
      current = latest !== undefined && evaluation.finishMs(latest) > evaluation.beginMs(current) ? latest : evaluation.waitedFor(current);
    }
  }
  // Found from the last step back: a long chain is reversed once rather than shifted per step.
  return steps.reverse();
}

/** The child that finishes last (the first declared among equals). */
function latestChild(evaluation: ShutdownEvaluation, id: NodeId): NodeId | undefined {
  const node = evaluation.table.nodeOf(id);
  if (node.kind !== "supervisor") return undefined;
  let best: NodeId | undefined;
  for (const child of node.children) {
    if (best === undefined || evaluation.finishMs(child.id) > evaluation.finishMs(best)) best = child.id;
  }
  return best;
}

/** Paths longer than this are shown by their ends: a message must stay readable for 5k steps. */
const MAX_SHOWN_STEPS = 7;
const SHOWN_AT_EACH_END = 3;

/** The steps a message shows: all of a short path, the first and last few of a long one. */
export function selectShownSteps(steps: readonly PathStep[]): { shown: readonly PathStep[]; omitted: number } {
  if (steps.length <= MAX_SHOWN_STEPS) return { shown: steps, omitted: 0 };
  return { shown: [...steps.slice(0, SHOWN_AT_EACH_END), ...steps.slice(-SHOWN_AT_EACH_END)], omitted: steps.length - 2 * SHOWN_AT_EACH_END };
}

/** `api 15s -> workers 20s -> db 10s`; a long path as `a 5s -> b 5s -> c 5s -> (94 more) -> x 5s -> y 5s -> z 5s`. */
export function describeSteps(steps: readonly PathStep[], format: (ms: number) => string): string {
  const { shown, omitted } = selectShownSteps(steps);
  const parts = shown.map((s) => `${s.id} ${format(s.ms)}`);
  if (omitted > 0) parts.splice(SHOWN_AT_EACH_END, 0, `(${omitted} more)`);
  return parts.join(" -> ");
}
