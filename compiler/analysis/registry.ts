// The checks: small functions `(ctx, accept) => void`, grouped by topic in compiler/analysis/*.ts.
// They all run, so a user sees every problem at once, in the tiers of context.ts (`Tier`): local
// checks on any tree, structure checks on a clean parse, model checks on the resolved tree once
// the errors so far leave it intact (`keepsModel`), and otherwise the fallback checks.
//
// Each check runs isolated: one that throws is reported as SUP9002, naming it, instead of its
// diagnostics, and every other check still reports.
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M } from "../diagnostics/catalogue.ts";
import type { ResolvedApp } from "../model/model.ts";
import { resolveApp } from "../model/resolve.ts";
import { ModelView, type Accept, type AnyCheck, type Check, type CheckContext, type ModelCheck } from "./context.ts";
import { CHECKS as COMMAND_CHECKS } from "./command.ts";
import { MODEL_CHECKS as BUDGET_CHECKS } from "./budget.ts";
import { CHECKS as BUDGET_FALLBACK_CHECKS } from "./budget-fallback.ts";
import { CHECKS as DEPLOY_CHECKS, MODEL_CHECKS as DEPLOY_MODEL_CHECKS } from "./deploy.ts";
import { CHECKS as EFFECT_CHECKS } from "./effects.ts";
import { CHECKS as HEALTH_CHECKS, MODEL_CHECKS as DRAIN_MODEL_CHECKS } from "./health.ts";
import { CHECKS as MODULE_CHECKS } from "./modules.ts";
import { CHECKS as NAME_CHECKS } from "./names.ts";
import { CHECKS as ORDER_CHECKS } from "./order.ts";
import { CHECKS as PLACEMENT_CHECKS } from "./placement.ts";
import { CHECKS as PROCESS_CHECKS } from "./process.ts";
import { CHECKS as REFERENCE_CHECKS } from "./references.ts";
import { MODEL_CHECKS as RESTART_CHECKS } from "./restarts.ts";
import { CHECKS as VALUE_CHECKS } from "./values.ts";
import { CHECKS as INSTANCE_CHECKS } from "./instances.ts";

export { CheckContext, type CheckOptions, type PathKind } from "./context.ts";

export const ALL_CHECKS: readonly AnyCheck[] = [
  ...PLACEMENT_CHECKS,
  ...VALUE_CHECKS,
  ...INSTANCE_CHECKS,
  ...MODULE_CHECKS,
  ...PROCESS_CHECKS,
  ...COMMAND_CHECKS,
  ...NAME_CHECKS,
  ...REFERENCE_CHECKS,
  ...ORDER_CHECKS,
  ...EFFECT_CHECKS,
  ...DEPLOY_CHECKS,
  ...HEALTH_CHECKS,
  ...BUDGET_FALLBACK_CHECKS,
  ...BUDGET_CHECKS,
  ...RESTART_CHECKS,
  ...DEPLOY_MODEL_CHECKS,
  ...DRAIN_MODEL_CHECKS,
];

/** What the parse left for the checks. */
export interface ParseOutcome {
  /** False when the tree was recovered from syntax errors: only local checks can trust it. */
  readonly clean: boolean;
  /** Errors of a clean parse (a stray character, a malformed literal). */
  readonly hasErrors: boolean;
}

/**
 * Runs `checks` tier by tier on `ctx`, appending their diagnostics to `out` (so that what they
 * found survives a failure of the resolution), and returns the resolved app when no check, nor
 * the parse, found an error.
 */
export function runChecks(ctx: CheckContext, parse: ParseOutcome, out: Diagnostic[], checks: readonly AnyCheck[] = ALL_CHECKS): ResolvedApp | undefined {
  const runner = new CheckRunner(ctx.fileName, out);
  // One pass in list order over local and structure checks together.
  for (const check of checks) {
    if (check.tier === "local" || (check.tier === "structure" && parse.clean)) runner.run(check, (accept) => check.run(ctx, accept));
  }
  if (!parse.clean) return undefined;
  if (runner.blocksModel) {
    for (const check of fallbackChecks(checks)) runner.run(check, (accept) => check.run(ctx, accept));
    return undefined;
  }
  // Errors of the parse itself also keep the model tier from running, but not in place of it:
  // the fallback stands in only for errors the checks found.
  if (parse.hasErrors) return undefined;
  const app = resolveApp(ctx.app, ctx);
  const model = new ModelView(app);
  for (const check of modelChecks(checks)) runner.run(check, (accept) => check.run(model, accept));
  return runner.hasErrors ? undefined : app;
}

function fallbackChecks(checks: readonly AnyCheck[]): Check[] {
  return checks.filter((c): c is Check => c.tier === "fallback");
}

function modelChecks(checks: readonly AnyCheck[]): ModelCheck[] {
  return checks.filter((c): c is ModelCheck => c.tier === "model");
}

/** Runs checks one at a time, isolated, and keeps what the tiers that follow need to know. */
class CheckRunner {
  /** Some check reported an error that changes the resolved tree, or failed. */
  blocksModel = false;
  hasErrors = false;

  constructor(
    private readonly fileName: string,
    private readonly out: Diagnostic[],
  ) {}

  run(check: AnyCheck, body: (accept: Accept) => void): void {
    // A check that fails half-way may have reported nonsense: keep its diagnostics only if it ends.
    const own: Diagnostic[] = [];
    const accept: Accept = (def, span, args, extras) => own.push(createDiagnostic(def, this.fileName, span, args, extras));
    try {
      body(accept);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.out.push(createDiagnostic(M.checkFailed, this.fileName, { start: 0, end: 0 }, [check.name, detail]));
      this.blocksModel = this.hasErrors = true;
      return;
    }
    for (const d of own) this.out.push(d);
    if (!hasErrors(own)) return;
    this.hasErrors = true;
    if (check.tier === "model" || check.keepsModel !== true) this.blocksModel = true;
  }
}
