// Shutdown budgets: does the tree stop within the grace, and does each supervisor's subtree
// stop within its own stop timeout? The figures come from compiler/model/timing.ts, the same model of
// the shutdown that the runtime follows and the generated tests assert, and every error names
// the chain of steps that adds up to the excess.
//
// One mistake, one report: a node named on the path of a budget error does not also get the
// per-node SUP3012 warning (its stop timeout is longer than the grace), which remains for
// budgets that can never be used, such as a supervisor's generous stop timeout.
import type { Related } from "../diagnostics/diagnostic.ts";
import { findSetting, type Accept, type Check, type CheckContext, type ModelCheck, type ModelView } from "./context.ts";
import { MAX_TIMER_MS } from "./values.ts";
import { DEFAULT_GRACE_MS } from "../language/defaults.ts";
import { M } from "../diagnostics/catalogue.ts";
import type { NodeId } from "../model/model.ts";
import { describeSteps, selectShownSteps, type PathStep } from "../model/timing-paths.ts";
import { formatDuration } from "../language/literals.ts";

/** `'api' may take 15s to stop` at the stop timeout that says so (or at the name, for a default). */
function describeStep(model: ModelView, step: PathStep): Related {
  const block = model.treeNode(step.id).block;
  const written = findSetting(block, "stop-timeout");
  const figure = formatDuration(step.ms);
  if (step.kind === "budget") return { message: `'${step.id}' is given ${figure} to stop its children`, span: written!.value.span };
  if (written !== undefined) return { message: `'${step.id}' may take ${figure} to stop`, span: written.value.span };
  return { message: `'${step.id}' may take ${figure} to stop (the default stop timeout)`, span: block.name.span };
}

/** Services that may take forever and that no supervisor with a finite stop timeout encloses. */
function reportUnboundedInfinity(ctx: CheckContext, model: ModelView, accept: Accept): NodeId[] {
  const { app } = model;
  const { table } = model.worstCase.evaluation;
  const grace = graceOf(ctx);
  const reported: NodeId[] = [];
  for (const node of table.nodes) {
    const id = node.id;
    if (node.kind !== "service" || node.stopTimeoutMs !== Infinity) continue;
    const bounded = table.ancestorsOf(id).some((a) => a.id !== app.root.id && Number.isFinite(a.stopTimeoutMs));
    if (bounded) continue;
    const written = findSetting(model.treeNode(id).block, "stop-timeout")!;
    accept(M.infinityOnlyBoundedByGrace, written.value.span, [id, grace.text], {
      ...grace.related,
      hint: `give '${id}' a finite stop timeout, or put it in a supervisor with one`,
    });
    reported.push(id);
  }
  return reported;
}

function graceOf(ctx: CheckContext): { ms: number; text: string; related: { related?: Related[] } } {
  const written = findSetting(ctx.app, "grace");
  if (written === undefined) return { ms: DEFAULT_GRACE_MS, text: formatDuration(DEFAULT_GRACE_MS), related: {} };
  return { ms: written.value.ms, text: written.value.text, related: { related: [{ message: "the grace is set here", span: written.value.span }] } };
}

function reportOverruns(model: ModelView, accept: Accept): NodeId[] {
  const named: NodeId[] = [];
  for (const overrun of model.overruns) {
    const written = findSetting(model.treeNode(overrun.supervisor).block, "stop-timeout")!;
    const demand = formatDuration(overrun.demandMs);
    accept(M.supervisorBudgetOverrun, written.value.span, [overrun.supervisor, demand, describeSteps(overrun.steps, formatDuration), written.value.text], {
      related: selectShownSteps(overrun.steps).shown.map((step) => describeStep(model, step)),
      hint: `raise the stop timeout of '${overrun.supervisor}' to at least ${demand}, or shorten the stop timeouts on this path`,
    });
    named.push(overrun.supervisor, ...overrun.steps.map((s) => s.id));
  }
  return named;
}

function reportExcessOverGrace(ctx: CheckContext, model: ModelView, accept: Accept): NodeId[] {
  const { totalMs, steps } = model.worstCase;
  const grace = graceOf(ctx);
  if (!Number.isFinite(totalMs) || totalMs <= grace.ms || steps.length === 0) return [];
  const total = formatDuration(totalMs);
  const written = findSetting(ctx.app, "grace");
  const span = written?.value.span ?? ctx.app.name.span;
  const fix =
    written === undefined
      ? `the grace defaults to ${grace.text}; write 'grace ${total}' in the app block, or shorten the stop timeouts on this path`
      : `raise 'grace' to at least ${total}, or shorten the stop timeouts on this path`;
  accept(M.shutdownExceedsGrace, span, [total, describeSteps(steps, formatDuration), grace.text], {
    related: [...selectShownSteps(steps).shown.map((step) => describeStep(model, step)), ...(grace.related.related ?? [])],
    hint: fix,
  });
  return steps.map((s) => s.id);
}

/**
 * SUP3012 for stop timeouts beyond the grace that no budget error has named already. It reads
 * only settings, so it also runs (with nothing named) when errors elsewhere keep the budget
 * checks from running.
 */
function reportStopTimeoutsBeyondGrace(ctx: CheckContext, named: ReadonlySet<NodeId>, accept: Accept): void {
  const grace = graceOf(ctx);
  if (!Number.isFinite(grace.ms)) return;
  const graceText = findSetting(ctx.app, "grace") === undefined ? `${grace.text} (the default)` : grace.text;
  for (const node of ctx.tree.nodes) {
    if (node.parent === undefined || named.has(node.id)) continue;
    const written = findSetting(node.block, "stop-timeout");
    // Longer than a timer can wait is its own error (SUP3011).
    if (written === undefined || !(written.value.ms > grace.ms) || written.value.ms > MAX_TIMER_MS) continue;
    accept(M.stopTimeoutExceedsGrace, written.value.span, [node.name, written.value.text, graceText], {
      ...grace.related,
      hint: "raise 'grace' in the app block or lower this stop timeout",
    });
  }
}

/** SUP3012 alone, for specs whose other errors keep the budget checks from running. */
export const checkStopTimeoutsBeyondGrace: Check = {
  name: "stop timeouts within grace",
  local: false,
  run(ctx, accept) {
    reportStopTimeoutsBeyondGrace(ctx, new Set(), accept);
  },
};

const checkShutdownBudgets: ModelCheck = {
  name: "shutdown budgets",
  run(ctx, model, accept) {
    const infinite = reportUnboundedInfinity(ctx, model, accept);
    const named = new Set<NodeId>([...infinite, ...reportOverruns(model, accept)]);
    // With an unbounded node the total is infinite and its path says nothing new.
    if (infinite.length === 0) for (const id of reportExcessOverGrace(ctx, model, accept)) named.add(id);
    reportStopTimeoutsBeyondGrace(ctx, named, accept);
  },
};

export const MODEL_CHECKS: readonly ModelCheck[] = [checkShutdownBudgets];
