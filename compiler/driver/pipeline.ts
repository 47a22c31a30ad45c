// The front end in one call: parse, check, resolve, check the resolved tree. Diagnostics come
// back sorted by position and de-duplicated; the resolved app only when there are no errors.
// User input never makes this throw: an internal failure is reported as a diagnostic (SUP9001)
// rather than a stack trace.
import type { SpecFile } from "../language/ast.ts";
import { allowsModelChecks, CheckContext, runChecks, runModelChecks, type CheckOptions } from "../analysis/registry.ts";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M } from "../diagnostics/catalogue.ts";
import type { ResolvedApp } from "../model/model.ts";
import { resolveApp } from "../model/resolve.ts";
import { parseSpec } from "../syntax/parse-spec.ts";

export interface AnalyzeOptions extends CheckOptions {}

export interface Analysis {
  readonly spec: SpecFile;
  readonly diagnostics: Diagnostic[];
  readonly app: ResolvedApp | undefined;
}

export function analyzeSpec(source: string, fileName: string, options: AnalyzeOptions): Analysis {
  let spec: SpecFile = { fileName, source, app: undefined };
  const diagnostics: Diagnostic[] = [];
  let app: ResolvedApp | undefined;
  try {
    const parsed = parseSpec(source, fileName);
    spec = parsed.spec;
    diagnostics.push(...parsed.diagnostics);
    if (spec.app !== undefined) {
      // One context for the checks, the resolution and the model checks: the scope tree and the
      // dependency graph are built once.
      const ctx = new CheckContext(spec, spec.app, options);
      diagnostics.push(...runChecks(ctx, !parsed.hasSyntaxErrors));
      if (!parsed.hasSyntaxErrors && allowsModelChecks(diagnostics)) {
        const resolved = resolveApp(spec.app, ctx);
        diagnostics.push(...runModelChecks(ctx, resolved));
        if (!hasErrors(diagnostics)) app = resolved;
      }
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    diagnostics.push(createDiagnostic(M.internalError, fileName, { start: 0, end: 0 }, [detail]));
    app = undefined;
  }
  return { spec, diagnostics: sortDiagnostics(diagnostics), app };
}
