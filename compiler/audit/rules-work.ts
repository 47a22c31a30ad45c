// The rules about work and cancellation that escape the scope: a promise dropped where a task was
// meant, and an AbortController that the scope's signal never reaches.
import type { ParserServices, TSESTree } from "supervise-audit-toolchain";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { defineAuditRule, type RuleContext } from "./rule.ts";
import { awaits, isFunction, isIdentifier, loopsIn, methodCall, readsSignal, some, walk, type Node, type ServiceModule } from "./service-code.ts";
import { isOpenLoop } from "./loop-exit.ts";
import { releases } from "./rules-resources.ts";

/** Methods of the scope whose result is not work of the service's own. */
const SCOPE_METHODS = ["go", "defer", "log", "child", "cancel"];
const MAX_CALLEE_TEXT = 40;

type TypeChecker = ReturnType<NonNullable<ParserServices["program"]>["getTypeChecker"]>;

/** The type checker when the parser was given a program (type information), else undefined. */
function checkerOf(context: RuleContext): { services: ParserServices; checker: TypeChecker } | undefined {
  const services = context.sourceCode.parserServices as ParserServices | undefined;
  const program = services?.program;
  if (services === undefined || program === null || program === undefined) return undefined;
  return { services, checker: program.getTypeChecker() };
}

/** Whether an expression's type is a promise (anything with a callable `then`, in any union member). */
function isThenable(expr: TSESTree.Expression, context: RuleContext, service: ServiceModule): boolean {
  const typed = checkerOf(context);
  if (typed === undefined) {
    // No type information: only calls of this module's own async functions are known promises.
    const local = expr.type === "CallExpression" && expr.callee.type === "Identifier" ? service.functions.get(expr.callee.name) : undefined;
    return local?.async === true;
  }
  const node = typed.services.esTreeNodeToTSNodeMap.get(expr as never);
  const type = typed.checker.getTypeAtLocation(node);
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => {
    const then = t.getProperty("then");
    if (then === undefined) return false;
    return typed.checker.getTypeOfSymbolAtLocation(then, node).getCallSignatures().length > 0;
  });
}

function calleeText(call: TSESTree.CallExpression, context: RuleContext): string {
  const text = context.sourceCode.getText(call.callee).replace(/\s+/g, " ");
  return text.length > MAX_CALLEE_TEXT ? `${text.slice(0, MAX_CALLEE_TEXT - 1)}…` : text;
}

export const floatingWork = defineAuditRule("floating-work", M.floatingWork, H.runItAsATask(), (service, report, context) => {
  const places = [{ fn: service.start, task: undefined as string | undefined }, ...service.tasks.map((t) => ({ fn: t.fn, task: t.name as string | undefined }))];
  for (const { fn, task } of places) {
    walk(fn.body, (n) => {
      if (n !== fn.body && isFunction(n)) return false;
      if (n.type !== "ExpressionStatement") return true;
      // `void loop()` discards the promise on purpose, but a loop started that way still outlives
      // the service: the loop the issue names as "started without scope.go".
      if (n.expression.type === "UnaryExpression" && n.expression.operator === "void" && n.expression.argument.type === "CallExpression") {
        const call = n.expression.argument;
        if (startsALoop(call, service)) report(call, M.floatingWork.format(calleeText(call, context), task));
        return true;
      }
      if (n.expression.type !== "CallExpression") return true;
      const call = n.expression;
      const owner = methodCall(call, SCOPE_METHODS);
      if (owner?.type === "Identifier" && service.scopes.has(owner.name)) return true;
      if (isThenable(call, context, service)) report(call, M.floatingWork.format(calleeText(call, context), task));
      return true;
    });
  }
});

/** Whether a call runs an async function of the module (or an async IIFE) that loops while awaiting. */
function startsALoop(call: TSESTree.CallExpression, service: ServiceModule): boolean {
  const fn = isFunction(call.callee) ? call.callee : call.callee.type === "Identifier" ? service.functions.get(call.callee.name) : undefined;
  return fn !== undefined && fn.async && loopsIn(fn).some((loop) => isOpenLoop(loop) && awaits(loop));
}

/** Whether `name.signal` and a scope's or task's signal meet in one `AbortSignal.any([...])`. */
function combinedWithScope(root: Node, name: string, service: ServiceModule): boolean {
  return some(root, (n) => {
    if (n.type !== "CallExpression" || !isIdentifier(methodCall(n, ["any"]), "AbortSignal")) return false;
    const list = n.arguments[0];
    if (list?.type !== "ArrayExpression") return false;
    const own = list.elements.some((e) => e?.type === "MemberExpression" && isIdentifier(e.object, name) && isIdentifier(e.property, "signal"));
    const scope = list.elements.some((e) => e !== null && readsSignal(e, service.allSignals, service.scopes));
    return own && scope;
  });
}

export const orphanController = defineAuditRule("orphan-controller", M.orphanController, H.linkTheController(), (service, report) => {
  walk(service.start.body, (n) => {
    if (n.type !== "NewExpression" || !isIdentifier(n.callee, "AbortController")) return true;
    const parent = n.parent;
    if (parent?.type !== "VariableDeclarator" || parent.id.type !== "Identifier") return true;
    const name = parent.id.name;
    const aborted = service.finalizers.some((f) => releases(f.body, name));
    if (!aborted && !combinedWithScope(service.start.body, name, service)) report(n, M.orphanController.format(name));
    return true;
  });
});
