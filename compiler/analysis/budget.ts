// Shutdown budgets: does the tree stop within the grace, and does each supervisor's subtree
// stop within its own stop timeout? The figures come from compiler/model/timing.ts, the same model of
// the shutdown that the runtime follows and the generated tests assert, and every error names
// the chain of steps that adds up to the excess.
//
// One mistake, one report: a node named on the path of a budget error does not also get the
// per-node SUP3012 warning (its stop timeout is longer than the grace), which remains for
// budgets that can never be used, such as a supervisor's generous stop timeout.
import type { Related } from "../diagnostics/diagnostic.ts";
import type { Accept, ModelCheck, ModelView } from "./context.ts";
import { MAX_TIMER_MS } from "./values.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import type { NodeId, ResolvedApp, WrittenValue } from "../model/model.ts";
import { describeSteps, selectShownSteps, type PathStep } from "../model/timing-paths.ts";
import { formatDuration } from "../language/literals.ts";

/** The grace as messages show it, and the note that points at it when it was written. */
export interface GraceFigures {
  readonly ms: number;
  readonly text: string;
  readonly written: boolean;
  readonly related: { related?: Related[] };
}

export function describeGrace(ms: number, written: WrittenValue | undefined): GraceFigures {
  if (written === undefined) return { ms, text: formatDuration(ms), written: false, related: {} };
  return { ms, text: written.text, written: true, related: { related: [{ message: N.graceSetHere(), span: written.span }] } };
}

function graceOf(app: ResolvedApp): GraceFigures {
  return describeGrace(app.graceMs, app.written.grace);
}

/** `'api' may take 15s to stop` at the stop timeout that says so (or at the name, for a default). */
function describeStep(model: ModelView, step: PathStep): Related {
  const written = model.table.nodeOf(step.id).written;
  const figure = formatDuration(step.ms);
  if (step.kind === "budget") return { message: N.givenToStopChildren(step.id, figure), span: written.stopTimeout!.span };
  if (written.stopTimeout !== undefined) return { message: N.mayTakeToStop(step.id, figure), span: written.stopTimeout.span };
  return { message: N.mayTakeToStopByDefault(step.id, figure), span: written.name };
}

/** Services that may take forever and that no supervisor with a finite stop timeout encloses. */
function reportUnboundedInfinity(model: ModelView, accept: Accept): NodeId[] {
  const { app } = model;
  const { table } = model.worstCase.evaluation;
  const grace = graceOf(app);
  const reported: NodeId[] = [];
  for (const node of table.nodes) {
    const id = node.id;
    if (node.kind !== "service" || node.stopTimeoutMs !== Infinity) continue;
    const bounded = table.ancestorsOf(id).some((a) => a.id !== app.root.id && Number.isFinite(a.stopTimeoutMs));
    if (bounded) continue;
    accept(M.infinityOnlyBoundedByGrace, node.written.stopTimeout!.span, [id, grace.text], {
      ...grace.related,
      hint: H.finiteStopTimeout(id),
    });
    reported.push(id);
  }
  return reported;
}

function reportOverruns(model: ModelView, accept: Accept): NodeId[] {
  const named: NodeId[] = [];
  for (const overrun of model.overruns) {
    const written = model.table.nodeOf(overrun.supervisor).written.stopTimeout!;
    const demand = formatDuration(overrun.demandMs);
    accept(M.supervisorBudgetOverrun, written.span, [overrun.supervisor, demand, describeSteps(overrun.steps, formatDuration), written.text], {
      related: selectShownSteps(overrun.steps).shown.map((step) => describeStep(model, step)),
      hint: H.raiseSupervisorStopTimeout(overrun.supervisor, demand),
    });
    named.push(overrun.supervisor, ...overrun.steps.map((s) => s.id));
  }
  return named;
}

function reportExcessOverGrace(model: ModelView, accept: Accept): NodeId[] {
  const { app } = model;
  const { totalMs, steps } = model.worstCase;
  const grace = graceOf(app);
  if (!Number.isFinite(totalMs) || totalMs <= grace.ms || steps.length === 0) return [];
  const total = formatDuration(totalMs);
  const span = app.written.grace?.span ?? app.root.written.name;
  const fix = grace.written ? H.raiseGrace(total) : H.writeGrace(grace.text, total);
  accept(M.shutdownExceedsGrace, span, [total, describeSteps(steps, formatDuration), grace.text], {
    related: [...selectShownSteps(steps).shown.map((step) => describeStep(model, step)), ...(grace.related.related ?? [])],
    hint: fix,
  });
  return steps.map((s) => s.id);
}

/**
 * SUP3012 for one node whose written stop timeout is beyond the grace. It needs only the two
 * settings, so the fallback check (compiler/analysis/budget-fallback.ts) reports it too when
 * errors elsewhere keep the budget checks from running.
 */
export function reportStopTimeoutBeyondGrace(grace: GraceFigures, name: string, ms: number, written: WrittenValue, accept: Accept): void {
  // Longer than a timer can wait is its own error (SUP3011).
  if (!Number.isFinite(grace.ms) || !(ms > grace.ms) || ms > MAX_TIMER_MS) return;
  accept(M.stopTimeoutExceedsGrace, written.span, [name, written.text, grace.written ? grace.text : `${grace.text} (the default)`], {
    ...grace.related,
    hint: H.raiseGraceOrLowerStopTimeout(),
  });
}

/** SUP3012 for the stop timeouts beyond the grace that no budget error has named already. */
function reportStopTimeoutsBeyondGrace(model: ModelView, named: ReadonlySet<NodeId>, accept: Accept): void {
  const grace = graceOf(model.app);
  for (const node of model.table.nodes) {
    const written = node.written.stopTimeout;
    if (node === model.app.root || written === undefined || named.has(node.id)) continue;
    reportStopTimeoutBeyondGrace(grace, node.name, node.stopTimeoutMs, written, accept);
  }
}

const checkShutdownBudgets: ModelCheck = {
  name: "shutdown budgets",
  tier: "model",
  run(model, accept) {
    const infinite = reportUnboundedInfinity(model, accept);
    const named = new Set<NodeId>([...infinite, ...reportOverruns(model, accept)]);
    // With an unbounded node the total is infinite and its path says nothing new.
    if (infinite.length === 0) for (const id of reportExcessOverGrace(model, accept)) named.add(id);
    reportStopTimeoutsBeyondGrace(model, named, accept);
  },
};

export const MODEL_CHECKS: readonly ModelCheck[] = [checkShutdownBudgets];
