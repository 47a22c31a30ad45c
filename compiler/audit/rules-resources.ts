// The rules about what a service opens: timers, servers, sockets, child processes and listeners
// on long-lived emitters must be released by a finalizer or owned by the scope's signal, and the
// finalizer must be registered before anything can fail between it and the resource.
import type { TSESTree } from "supervise-audit-toolchain";
import { M } from "../diagnostics/catalogue.ts";
import type { AuditResource } from "../diagnostics/messages-audit.ts";
import { H } from "../diagnostics/hints.ts";
import { defineAuditRule } from "./rule.ts";
import { awaits, bodyStatements, isFunction, isIdentifier, methodCall, readsSignal, some, walk, type FunctionNode, type Node, type ServiceModule } from "./service-code.ts";

/** What each module's factories open, by the name they are imported under. */
const FACTORIES: Readonly<Record<string, Readonly<Record<string, AuditResource>>>> = {
  child_process: { spawn: "child-process", fork: "child-process", exec: "child-process", execFile: "child-process" },
  net: { createServer: "server", connect: "socket", createConnection: "socket" },
  tls: { createServer: "server", connect: "socket" },
  http: { createServer: "server" },
  https: { createServer: "server" },
  http2: { createServer: "server", createSecureServer: "server", connect: "session" },
  dgram: { createSocket: "socket" },
  fs: { watch: "file-watcher" },
  worker_threads: { Worker: "worker" },
};

const TIMERS: Readonly<Record<string, AuditResource>> = { setInterval: "interval", setTimeout: "timer" };
const LISTEN_METHODS = ["on", "addListener", "once", "prependListener", "prependOnceListener"];
const RELEASE_METHODS = ["close", "destroy", "end", "kill", "abort", "terminate", "disconnect", "stop", "unref", "removeAllListeners", "dispose"];
const UNLISTEN_METHODS = ["off", "removeListener", "removeAllListeners"];

interface Import {
  readonly module: string;
  /** The imported name, or "*" for a namespace or default import. */
  readonly name: string;
}

function importsOf(program: TSESTree.Program): Map<string, Import> {
  const imports = new Map<string, Import>();
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration") continue;
    const module = String(statement.source.value).replace(/^node:/, "");
    for (const s of statement.specifiers) {
      const name = s.type === "ImportSpecifier" ? (s.imported.type === "Identifier" ? s.imported.name : String(s.imported.value)) : "*";
      imports.set(s.local.name, { module, name });
    }
  }
  return imports;
}

/** What a call or `new` opens, when it is one of the known factories or a global timer. */
function resourceOf(call: TSESTree.CallExpression | TSESTree.NewExpression, imports: ReadonlyMap<string, Import>): AuditResource | undefined {
  const callee = call.callee;
  if (callee.type === "Identifier") {
    const imported = imports.get(callee.name);
    if (imported !== undefined) return FACTORIES[imported.module]?.[imported.name];
    return call.type === "CallExpression" ? TIMERS[callee.name] : undefined;
  }
  if (callee.type === "MemberExpression" && !callee.computed && callee.object.type === "Identifier" && callee.property.type === "Identifier") {
    const imported = imports.get(callee.object.name);
    if (imported?.name === "*") return FACTORIES[imported.module]?.[callee.property.name];
  }
  return undefined;
}

/** The name a resource is bound to (`const x = …`, `x = …`), if any. */
function boundName(node: Node): string | undefined {
  const parent = node.parent;
  if (parent?.type === "VariableDeclarator" && parent.init === node && parent.id.type === "Identifier") return parent.id.name;
  if (parent?.type === "AssignmentExpression" && parent.right === node && parent.left.type === "Identifier") return parent.left.name;
  if (parent?.type === "AwaitExpression") return boundName(parent);
  return undefined;
}

/** Whether `root` releases `name`: a release method on it, clearX(name), or a call handed it. */
export function releases(root: Node, name: string): boolean {
  return some(root, (n) => {
    if (n.type !== "CallExpression") return false;
    const object = methodCall(n, RELEASE_METHODS);
    if (isIdentifier(object, name)) return true;
    return n.arguments.some((a) => isIdentifier(a, name));
  });
}

/** Whether a call or a later use of `name` hands it the scope's signal (`{ signal }`). */
function ownedBySignal(call: Node, name: string | undefined, fn: FunctionNode, service: ServiceModule): boolean {
  const hasSignal = (c: TSESTree.CallExpression | TSESTree.NewExpression): boolean => c.arguments.some((a) => readsSignal(a, service.allSignals, service.scopes));
  if ((call.type === "CallExpression" || call.type === "NewExpression") && hasSignal(call)) return true;
  if (name === undefined) return false;
  return some(fn.body, (n) => n.type === "CallExpression" && isIdentifier(methodCall(n, ["listen", "on", "addEventListener"]) ?? undefined, name) && hasSignal(n));
}

/** Module-level bindings made with `new` (an EventEmitter and the like): they outlive any service. */
function moduleEmitters(program: TSESTree.Program): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) {
    const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const d of declaration.declarations) if (d.id.type === "Identifier" && d.init?.type === "NewExpression") names.add(d.id.name);
  }
  return names;
}

/** The functions whose own code runs as the service's lifecycle: start and each task. */
function lifecycleFunctions(service: ServiceModule & { start: FunctionNode }): { fn: FunctionNode; task: string | undefined }[] {
  return [{ fn: service.start, task: undefined }, ...service.tasks.map((t) => ({ fn: t.fn, task: t.name }))];
}

export const leakedResource = defineAuditRule("leaked-resource", M.leakedResource, H.releaseInAFinalizer(), (service, report, context) => {
  const imports = importsOf(context.sourceCode.ast);
  const emitters = moduleEmitters(context.sourceCode.ast);
  const released = (name: string | undefined): boolean => name !== undefined && service.releaseSites.some((site) => releases(site, name));
  for (const { fn, task } of lifecycleFunctions(service)) {
    const known = new Set<string>();
    walk(fn.body, (n) => {
      if (n !== fn.body && isFunction(n)) return false;
      if (n.type !== "CallExpression" && n.type !== "NewExpression") return true;
      const what = resourceOf(n, imports);
      if (what !== undefined) {
        const name = boundName(n);
        if (name !== undefined) known.add(name);
      }
      return true;
    });
    walk(fn.body, (n) => {
      if (n !== fn.body && isFunction(n)) return false;
      if (n.type !== "CallExpression" && n.type !== "NewExpression") return true;
      // `app.listen(port)` of a framework (express, fastify, koa) opens a server of its own.
      const listener = n.type === "CallExpression" ? methodCall(n, ["listen"]) : undefined;
      if (listener?.type === "Identifier" && !known.has(listener.name)) {
        const name = boundName(n);
        if (!released(name) && !released(listener.name) && !ownedBySignal(n, name, fn, service)) report(n, M.leakedResource.format("server", undefined, task));
        return true;
      }
      const what = resourceOf(n, imports);
      if (what !== undefined) {
        const name = boundName(n);
        // A one-shot timer cleared on the way is fine; an interval needs a finalizer.
        const cleared = what === "timer" && name !== undefined && some(fn.body, (c) => c.type === "CallExpression" && isIdentifier(c.callee, "clearTimeout") && isIdentifier(c.arguments[0], name));
        if (!cleared && !released(name) && !ownedBySignal(n, name, fn, service)) report(n, M.leakedResource.format(what, undefined, task));
        return true;
      }
      const emitter = n.type === "CallExpression" ? methodCall(n, LISTEN_METHODS) : undefined;
      if (emitter?.type === "Identifier" && (emitter.name === "process" || emitters.has(emitter.name)) && n.type === "CallExpression") {
        const handler = n.arguments[1];
        const removed = service.releaseSites.some((site) =>
          some(site, (c) => c.type === "CallExpression" && isIdentifier(methodCall(c, UNLISTEN_METHODS), emitter.name) && (c.arguments.length === 0 || methodCall(c, ["removeAllListeners"]) !== undefined || (handler?.type === "Identifier" && isIdentifier(c.arguments[1], handler.name)))),
        );
        if (!removed) report(n, M.leakedResource.format("listener", emitter.name, task));
      }
      return true;
    });
  }
});

/** The names a statement binds to something it created (a call or `new`). */
function declaredNames(statement: Node): string[] {
  if (statement.type === "VariableDeclaration") {
    return statement.declarations.flatMap((d) => (d.id.type === "Identifier" && d.init !== null && createsSomething(d.init) ? [d.id.name] : []));
  }
  if (statement.type === "ExpressionStatement" && statement.expression.type === "AssignmentExpression" && statement.expression.left.type === "Identifier") {
    return createsSomething(statement.expression.right) ? [statement.expression.left.name] : [];
  }
  return [];
}

/** A value made by a call or `new` (a resource, perhaps); literals and plain reads are not. */
function createsSomething(init: Node): boolean {
  const value = init.type === "AwaitExpression" ? init.argument : init;
  return value.type === "CallExpression" || value.type === "NewExpression";
}

export const lateFinalizer = defineAuditRule("late-finalizer", M.lateFinalizer, H.deferBeforeAwait(), (service, report) => {
  for (const { fn } of lifecycleFunctions(service)) {
    const statements = bodyStatements(fn);
    statements.forEach((statement, j) => {
      if (statement.type !== "ExpressionStatement" || statement.expression.type !== "CallExpression") return;
      const owner = methodCall(statement.expression, ["defer"]);
      const finalizer = statement.expression.arguments[0];
      if (owner?.type !== "Identifier" || !service.scopes.has(owner.name) || finalizer === undefined) return;
      const body = isFunction(finalizer) ? finalizer.body : finalizer;
      for (let i = 0; i < j; i++) {
        const name = declaredNames(statements[i]!).find((n) => releases(body, n));
        if (name === undefined) continue;
        // A function declared in between awaits later, when called, not on the way to the defer.
        const between = statements.slice(i + 1, j).find((s) => !isFunction(s) && awaits(s));
        if (between === undefined) continue;
        let line: number | undefined;
        walk(between, (n) => {
          if (line === undefined && (n.type === "AwaitExpression" || (n.type === "ForOfStatement" && n.await))) line = n.loc.start.line;
          return line === undefined && !isFunction(n);
        });
        report(statement.expression, M.lateFinalizer.format(name, line ?? between.loc.start.line));
        break;
      }
    });
  }
});
