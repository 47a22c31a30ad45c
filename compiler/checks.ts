// The checks: small functions `(ctx, accept) => void`, grouped by topic in compiler/checks-*.ts.
// They all run, so a user sees every problem at once. Checks marked `local` look at one setting
// at a time and also run on a tree recovered from syntax errors; the others need the real
// structure (a missing '}' would move every later block) and run only on a clean parse.
import type { SpecFile } from "./ast.ts";
import type { Diagnostic } from "./diagnostic.ts";
import { createDiagnostic } from "./messages.ts";
import { CheckContext, type Accept, type Check, type CheckOptions } from "./checks-context.ts";
import { CHECKS as MODULE_CHECKS } from "./checks-modules.ts";
import { CHECKS as NAME_CHECKS } from "./checks-names.ts";
import { CHECKS as ORDER_CHECKS } from "./checks-order.ts";
import { CHECKS as PLACEMENT_CHECKS } from "./checks-placement.ts";
import { CHECKS as REFERENCE_CHECKS } from "./checks-references.ts";
import { CHECKS as VALUE_CHECKS } from "./checks-values.ts";

export type { CheckOptions } from "./checks-context.ts";

export const ALL_CHECKS: readonly Check[] = [
  ...PLACEMENT_CHECKS,
  ...VALUE_CHECKS,
  ...MODULE_CHECKS,
  ...NAME_CHECKS,
  ...REFERENCE_CHECKS,
  ...ORDER_CHECKS,
];

export function runChecks(spec: SpecFile, options: CheckOptions, cleanParse: boolean): Diagnostic[] {
  if (spec.app === undefined) return [];
  const ctx = new CheckContext(spec, spec.app, options);
  const diagnostics: Diagnostic[] = [];
  const accept: Accept = (def, span, args, extras) => diagnostics.push(createDiagnostic(def, spec.fileName, span, args, extras));
  for (const check of ALL_CHECKS) {
    if (cleanParse || check.local) check.run(ctx, accept);
  }
  return diagnostics;
}
