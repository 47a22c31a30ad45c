// The `start` export of each module service, read from the module's text (./module-exports.ts)
// rather than found missing by tsc in generated main.ts, or by the runtime once the app starts.
// Only modules the path checks accepted are read, and a module whose exports the text cannot
// settle (a re-export, CommonJS, `start = make()`) is taken as correct.
import type { StringLit } from "../language/ast.ts";
import { toPascalCase } from "../language/identifiers.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { findClosest } from "../diagnostics/did-you-mean.ts";
import { findStartExport, type StartExport } from "./module-exports.ts";
import type { Accept, CheckContext } from "./context.ts";

const found = new WeakMap<CheckContext, Map<string, StartExport | undefined>>();

/** What `start` is in the module at `path`; undefined when the module could not be read. */
function startExportOf(ctx: CheckContext, path: string): StartExport | undefined {
  let byPath = found.get(ctx);
  if (byPath === undefined) found.set(ctx, (byPath = new Map()));
  if (byPath.has(path)) return byPath.get(path);
  const text = ctx.specFileText(path);
  const result = text === undefined ? undefined : findStartExport(text);
  byPath.set(path, result);
  return result;
}

/** Reports a module (accepted by the path checks) that does not export a start function. */
export function checkStartExport(ctx: CheckContext, serviceId: string, path: StringLit, accept: Accept): void {
  const start = startExportOf(ctx, path.value);
  if (start === undefined) return;
  if (start.kind === "missing") {
    const closest = findClosest("start", start.exported);
    accept(M.moduleWithoutStart, path.span, [path.value], {
      hint: closest !== undefined ? H.didYouMean(closest) : H.exportStart(`${toPascalCase(serviceId)}Scope`),
    });
  } else if (start.kind === "not-function") {
    accept(M.startNotAFunction, path.span, [path.value, start.what, start.line], { hint: H.makeStartAFunction() });
  }
}
