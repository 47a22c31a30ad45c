// The rules about loops: what makes a stop wait (a task's loop that ignores its signal, a timer it
// cannot cut short), what makes it never come (a catch that swallows the abort), and what freezes
// the whole process (a synchronous loop waiting for a callback).
import type { TSESTree } from "supervise-audit-toolchain";
import { M } from "../diagnostics/catalogue.ts";
import type { AuditTimer } from "../diagnostics/messages-audit.ts";
import { H } from "../diagnostics/hints.ts";
import { defineAuditRule, keywordAt } from "./rule.ts";
import { exitConditions, hasUnconditionalExit, isOpenLoop, loopChangesItsExit, loopKeyword, readsTheClock } from "./loop-exit.ts";
import { awaits, isFunction, isIdentifier, isLoop, loopsIn, readsSignal, some, walk, type FunctionNode, type Node, type ServiceModule } from "./service-code.ts";

const TIMERS_PROMISES = new Set(["timers/promises", "node:timers/promises"]);
/** A wait this short is over before anyone would notice it in a stop. */
const SHORT_WAIT_MS = 100;

export const unstoppableLoop = defineAuditRule("unstoppable-loop", M.unstoppableLoop, H.checkTheSignal(), (service, report) => {
  for (const task of service.tasks) {
    for (const loop of loopsIn(task.fn)) {
      if (!isOpenLoop(loop) || !awaits(loop)) continue;
      if (readsSignal(loop, task.signals, service.scopes)) continue;
      // A loop that ends on its own (draining a queue, a bare break) is bounded by its data.
      if (loopChangesItsExit(loop, service.functions) || hasUnconditionalExit(loop)) continue;
      report(keywordAt(loop, loopKeyword(loop)), M.unstoppableLoop.format(task.name));
    }
  }
});

/** Local names of `setTimeout` and `scheduler` imported from node:timers/promises. */
function timerImports(program: TSESTree.Program): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration" || !TIMERS_PROMISES.has(String(statement.source.value))) continue;
    for (const s of statement.specifiers) {
      if (s.type === "ImportSpecifier" && s.imported.type === "Identifier") names.set(s.local.name, s.imported.name);
    }
  }
  return names;
}

function isShortDelay(arg: Node | undefined): boolean {
  return arg?.type === "Literal" && typeof arg.value === "number" && arg.value <= SHORT_WAIT_MS;
}

interface Wait {
  readonly timer: AuditTimer;
  /** The module's own function the timer is awaited through, if any. */
  readonly through: string | undefined;
}

/** What an awaited expression waits on that no signal can cut short; else undefined. */
function uncancellableTimer(expr: Node, timers: ReadonlyMap<string, string>, service: ServiceModule, signals: ReadonlySet<string>, depth = 0): Wait | undefined {
  if (readsSignal(expr, signals, service.scopes)) return undefined;
  if (expr.type === "CallExpression" && expr.callee.type === "Identifier" && timers.get(expr.callee.name) === "setTimeout") {
    return isShortDelay(expr.arguments[0]) ? undefined : { timer: "timers-promises", through: undefined };
  }
  if (expr.type === "CallExpression" && expr.callee.type === "MemberExpression" && expr.callee.object.type === "Identifier" && timers.get(expr.callee.object.name) === "scheduler") {
    return isShortDelay(expr.arguments[0]) ? undefined : { timer: "scheduler-wait", through: undefined };
  }
  if (expr.type === "NewExpression" && isIdentifier(expr.callee, "Promise") && isFunction(expr.arguments[0])) {
    const timer = findCall(expr.arguments[0], "setTimeout");
    return timer !== undefined && !isShortDelay(timer.arguments[1]) ? { timer: "promise-timeout", through: undefined } : undefined;
  }
  if (depth === 0 && expr.type === "CallExpression" && expr.callee.type === "Identifier") {
    const local = service.functions.get(expr.callee.name);
    if (local === undefined || expr.arguments.some((a) => readsSignal(a, signals, service.scopes))) return undefined;
    let inner: Wait | undefined;
    walk(local.body, (n) => {
      if (inner !== undefined) return false;
      if (n.type === "AwaitExpression" || n.type === "ReturnStatement" || (local.expression && n === local.body)) {
        const target = n.type === "AwaitExpression" || n.type === "ReturnStatement" ? n.argument : n;
        if (target !== null && target !== undefined) inner = uncancellableTimer(target, timers, service, new Set(), 1);
      }
      return true;
    });
    return inner !== undefined ? { timer: inner.timer, through: expr.callee.name } : undefined;
  }
  return undefined;
}

function findCall(fn: FunctionNode, name: string): TSESTree.CallExpression | undefined {
  let found: TSESTree.CallExpression | undefined;
  walk(fn.body, (n) => {
    if (found === undefined && n.type === "CallExpression" && isIdentifier(n.callee, name)) found = n;
    return found === undefined;
  });
  return found;
}

export const uncancellableWait = defineAuditRule("uncancellable-wait", M.uncancellableWait, H.passTheSignal(), (service, report, context) => {
  const timers = timerImports(context.sourceCode.ast);
  for (const task of service.tasks) {
    const seen = new Set<Node>();
    for (const loop of loopsIn(task.fn)) {
      walk(loop, (n) => {
        if (n !== loop && isFunction(n)) return false;
        if (n.type === "AwaitExpression" && !seen.has(n)) {
          seen.add(n);
          const what = uncancellableTimer(n.argument, timers, service, task.signals);
          if (what !== undefined) report(n, M.uncancellableWait.format(task.name, what.timer, what.through));
        }
        return true;
      });
    }
  }
});

/** Whether a catch lets the abort out: rethrows, leaves the loop, or looks at the signal. */
function catchLetsAbortOut(handler: TSESTree.CatchClause, signals: ReadonlySet<string>, service: ServiceModule): boolean {
  const exits = some(handler.body, (n) => n.type === "ThrowStatement" || n.type === "ReturnStatement" || n.type === "BreakStatement", { intoFunctions: false });
  return exits || readsSignal(handler.body, signals, service.scopes);
}

function checkCatches(fn: FunctionNode, task: string | undefined, signals: ReadonlySet<string>, service: ServiceModule, report: (n: Node, m: string) => void): void {
  for (const loop of loopsIn(fn)) {
    if (!isOpenLoop(loop) || loopChangesItsExit(loop, service.functions)) continue;
    if (loop.test !== null && readsSignal(loop.test, signals, service.scopes)) continue;
    const body = loop.body.type === "BlockStatement" ? loop.body.body : [loop.body];
    for (const statement of body) {
      if (statement.type !== "TryStatement" || statement.handler === null || !awaits(statement.block)) continue;
      // Another statement of the loop that looks at the signal ends it after the catch.
      if (body.some((other) => other !== statement && readsSignal(other, signals, service.scopes))) continue;
      if (statement.finalizer !== null && readsSignal(statement.finalizer, signals, service.scopes)) continue;
      if (!catchLetsAbortOut(statement.handler, signals, service)) report(statement.handler, M.swallowedAbort.format(task));
    }
  }
}

export const swallowedAbort = defineAuditRule("swallowed-abort", M.swallowedAbort, H.rethrowTheAbort(), (service, report) => {
  const inTasks = new Set<Node>(service.tasks.map((t) => t.fn));
  for (const task of service.tasks) checkCatches(task.fn, task.name, task.signals, service, (n, m) => report(isCatch(n) ? keywordAt(n, "catch") : n, m));
  if (!inTasks.has(service.start)) {
    checkCatches(service.start, undefined, service.signals, service, (n, m) => report(isCatch(n) ? keywordAt(n, "catch") : n, m));
  }
});

function isCatch(n: Node): boolean {
  return n.type === "CatchClause";
}

function checkFrozen(fn: FunctionNode, place: "start" | "finalizer", service: ServiceModule, report: (at: TSESTree.SourceLocation, m: string) => void): void {
  for (const loop of loopsIn(fn)) {
    if (!isOpenLoop(loop) || awaits(loop) || !isLoop(loop)) continue;
    if (hasUnconditionalExit(loop) || loopChangesItsExit(loop, service.functions)) continue;
    if (exitConditions(loop).some(readsTheClock)) continue;
    report(keywordAt(loop, loopKeyword(loop)), M.frozenLoop.format(place));
  }
}

export const frozenLoop = defineAuditRule("frozen-loop", M.frozenLoop, H.awaitInsteadOfSpinning(), (service, report) => {
  checkFrozen(service.start, "start", service, report);
  for (const finalizer of service.finalizers) checkFrozen(finalizer, "finalizer", service, report);
});
