// The front end in one call: parse, then the checks in their tiers, which resolve the tree when
// it is sound (compiler/analysis/registry.ts). Diagnostics come back sorted by position and
// de-duplicated; the resolved app only when there are no errors. User input never makes this
// throw: a check that fails is reported as SUP9002 beside the others' diagnostics, any other
// internal failure as SUP9001, rather than a stack trace.
import type { SpecFile } from "../language/ast.ts";
import { CheckContext, runChecks, type CheckOptions } from "../analysis/registry.ts";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M } from "../diagnostics/catalogue.ts";
import type { ResolvedApp } from "../model/model.ts";
import { parseSpec } from "../syntax/parse-spec.ts";

export interface Analysis {
  readonly spec: SpecFile;
  readonly diagnostics: Diagnostic[];
  readonly app: ResolvedApp | undefined;
}

export function analyzeSpec(source: string, fileName: string, options: CheckOptions): Analysis {
  let spec: SpecFile = { fileName, source, app: undefined };
  const diagnostics: Diagnostic[] = [];
  let app: ResolvedApp | undefined;
  try {
    const parsed = parseSpec(source, fileName);
    spec = parsed.spec;
    diagnostics.push(...parsed.diagnostics);
    if (spec.app !== undefined) {
      // One context for all the tiers: the scope tree and the dependency graph are built once.
      const ctx = new CheckContext(spec, spec.app, options);
      app = runChecks(ctx, { clean: !parsed.hasSyntaxErrors, hasErrors: hasErrors(parsed.diagnostics) }, diagnostics);
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    diagnostics.push(createDiagnostic(M.internalError, fileName, { start: 0, end: 0 }, [detail]));
    app = undefined;
  }
  return { spec, diagnostics: sortDiagnostics(diagnostics), app };
}
