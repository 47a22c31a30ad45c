// The checks: small functions `(ctx, accept) => void`, grouped by topic in compiler/checks-*.ts.
// They all run, so a user sees every problem at once. Checks marked `local` look at one setting
// at a time and also run on a tree recovered from syntax errors; the others need the real
// structure (a missing '}' would move every later block) and run only on a clean parse.
//
// Model checks (timing, restarts, deploy) read the resolved tree: its defaults, resolved needs
// and stop order. They run once every other check has passed, except for missing or misspelled
// module files, which change nothing in the tree and are common while a spec is being written.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic } from "../diagnostics/catalogue.ts";
import type { ResolvedApp } from "../model/model.ts";
import { ModelView, type Accept, type Check, type CheckContext, type ModelCheck } from "./context.ts";
import { CHECKS as COMMAND_CHECKS } from "./command.ts";
import { MODEL_CHECKS as BUDGET_CHECKS } from "./budget.ts";
import { checkStopTimeoutsBeyondGrace } from "./budget-fallback.ts";
import { CHECKS as DEPLOY_CHECKS, MODEL_CHECKS as DEPLOY_MODEL_CHECKS } from "./deploy.ts";
import { CHECKS as EFFECT_CHECKS } from "./effects.ts";
import { CHECKS as MODULE_CHECKS } from "./modules.ts";
import { CHECKS as NAME_CHECKS } from "./names.ts";
import { CHECKS as ORDER_CHECKS } from "./order.ts";
import { CHECKS as PLACEMENT_CHECKS } from "./placement.ts";
import { CHECKS as PROCESS_CHECKS } from "./process.ts";
import { CHECKS as REFERENCE_CHECKS } from "./references.ts";
import { MODEL_CHECKS as RESTART_CHECKS } from "./restarts.ts";
import { CHECKS as VALUE_CHECKS } from "./values.ts";

export { CheckContext, type CheckOptions } from "./context.ts";

export const ALL_CHECKS: readonly Check[] = [
  ...PLACEMENT_CHECKS,
  ...VALUE_CHECKS,
  ...MODULE_CHECKS,
  ...PROCESS_CHECKS,
  ...COMMAND_CHECKS,
  ...NAME_CHECKS,
  ...REFERENCE_CHECKS,
  ...ORDER_CHECKS,
  ...EFFECT_CHECKS,
  ...DEPLOY_CHECKS,
];

export const ALL_MODEL_CHECKS: readonly ModelCheck[] = [...BUDGET_CHECKS, ...RESTART_CHECKS, ...DEPLOY_MODEL_CHECKS];

/** Errors that leave the resolved tree intact: model checks still run after them. */
export function allowsModelChecks(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.every((d) => d.severity !== "error" || d.code.startsWith("SUP4"));
}

/** `ctx` is the one the checks ran with: its tree and graph are built once per analysis. */
export function runModelChecks(ctx: CheckContext, app: ResolvedApp): Diagnostic[] {
  const model = new ModelView(app);
  const diagnostics: Diagnostic[] = [];
  const accept: Accept = (def, span, args, extras) => diagnostics.push(createDiagnostic(def, ctx.fileName, span, args, extras));
  for (const check of ALL_MODEL_CHECKS) check.run(model, accept);
  return diagnostics;
}

export function runChecks(ctx: CheckContext, cleanParse: boolean): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const accept: Accept = (def, span, args, extras) => diagnostics.push(createDiagnostic(def, ctx.fileName, span, args, extras));
  for (const check of ALL_CHECKS) {
    if (cleanParse || check.local) check.run(ctx, accept);
  }
  // Without the budget checks, long stop timeouts still get their per-node warning.
  if (cleanParse && !allowsModelChecks(diagnostics)) checkStopTimeoutsBeyondGrace.run(ctx, accept);
  return diagnostics;
}
