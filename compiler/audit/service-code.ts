// What the audit rules know about a service module, read once per file from typescript-eslint's
// AST: the exported `start`, the scope it receives (and the child scopes made from it), the
// tasks run with `go`, the names that hold a signal, and the places where things get released
// (finalizers, abort listeners, `finally` blocks). Purely syntactic and intra-module: a rule that
// cannot tell stays silent, because a false finding teaches users to ignore the audit.
//
// Imports only types, so the ESLint plugin built from these rules carries no runtime dependency
// and runs on whichever typescript-eslint the user's ESLint has.
import type { TSESTree } from "supervise-audit-toolchain";

export type Node = TSESTree.Node;
export type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

export interface Task {
  /** The task's name as written (a string literal), or "task". */
  readonly name: string;
  readonly fn: FunctionNode;
  /** Names that hold a signal inside the task: its parameter plus the scope's signal aliases. */
  readonly signals: ReadonlySet<string>;
}

export interface ServiceModule {
  readonly start: FunctionNode | undefined;
  /** Every name that holds a signal anywhere in start: the scope's aliases and each task's own. */
  readonly allSignals: ReadonlySet<string>;
  /** The scope parameter and every child scope made from it. */
  readonly scopes: ReadonlySet<string>;
  /** Names bound to a scope's signal (`const { signal } = scope`, `const s = scope.signal`). */
  readonly signals: ReadonlySet<string>;
  readonly tasks: readonly Task[];
  /** Callbacks given to `defer` and abort listeners on a scope's or task's signal. */
  readonly finalizers: readonly FunctionNode[];
  /** Every place where a release counts: finalizers and `finally` blocks. */
  readonly releaseSites: readonly Node[];
  /** Functions declared by name in the module (`function f`, `const f = () => …`). */
  readonly functions: ReadonlyMap<string, FunctionNode>;
}

export function isFunction(node: Node | null | undefined): node is FunctionNode {
  return node?.type === "FunctionDeclaration" || node?.type === "FunctionExpression" || node?.type === "ArrowFunctionExpression";
}

export function isLoop(node: Node): node is TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ForInStatement {
  return node.type === "WhileStatement" || node.type === "DoWhileStatement" || node.type === "ForStatement" || node.type === "ForOfStatement" || node.type === "ForInStatement";
}

/** The child nodes of any ESTree node, found by shape (no visitor-keys table to keep in step). */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === "parent" || key === "typeAnnotation" || key === "returnType" || key === "typeArguments" || key === "typeParameters") continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string" && "range" in value;
}

/** Visits `node` and its descendants; `visit` returning false skips a node's children. */
export function walk(node: Node, visit: (n: Node) => boolean | void): void {
  if (visit(node) === false) return;
  for (const child of childrenOf(node)) walk(child, visit);
}

/** Whether any node under `root` satisfies `test`; nested functions are entered unless told not to. */
export function some(root: Node, test: (n: Node) => boolean, options: { intoFunctions?: boolean } = {}): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (test(n)) {
      found = true;
      return false;
    }
    return !(options.intoFunctions === false && n !== root && isFunction(n));
  });
  return found;
}

export function isIdentifier(node: Node | null | undefined, name?: string): node is TSESTree.Identifier {
  return node?.type === "Identifier" && (name === undefined || node.name === name);
}

/** `obj.name(...)` with a plain property name: returns the object, else undefined. */
export function methodCall(node: Node, names: readonly string[]): TSESTree.Expression | undefined {
  if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression" || node.callee.computed) return undefined;
  const property = node.callee.property;
  return property.type === "Identifier" && names.includes(property.name) ? node.callee.object : undefined;
}

/** The name a call's callee ends with: `f()` -> f, `a.b.f()` -> f. */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = call.callee;
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier") return callee.property.name;
  return undefined;
}

/** An identifier used as a value (not a property key or a member name). */
function isReference(node: TSESTree.Identifier): boolean {
  const parent = node.parent;
  if (parent?.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  if (parent?.type === "Property" && parent.key === node && !parent.computed && !parent.shorthand) return false;
  return true;
}

/** Whether `root` reads a signal: one of `signals` by name, or `<scope>.signal`. */
export function readsSignal(root: Node, signals: ReadonlySet<string>, scopes: ReadonlySet<string>): boolean {
  return some(root, (n) => {
    if (n.type === "Identifier") return signals.has(n.name) && isReference(n);
    return (
      n.type === "MemberExpression" && !n.computed && isIdentifier(n.property, "signal") && n.object.type === "Identifier" && scopes.has(n.object.name)
    );
  });
}

function exportedStart(program: TSESTree.Program, functions: ReadonlyMap<string, FunctionNode>): FunctionNode | undefined {
  for (const statement of program.body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const declaration = statement.declaration;
    if (declaration?.type === "FunctionDeclaration" && declaration.id?.name === "start") return declaration;
    if (declaration?.type === "VariableDeclaration") {
      for (const d of declaration.declarations) if (isIdentifier(d.id, "start") && isFunction(d.init)) return d.init;
    }
    for (const specifier of statement.specifiers) {
      if (specifier.exported.type === "Identifier" && specifier.exported.name === "start" && specifier.local.type === "Identifier") {
        return functions.get(specifier.local.name);
      }
    }
  }
  return undefined;
}

function collectFunctions(program: TSESTree.Program): Map<string, FunctionNode> {
  const functions = new Map<string, FunctionNode>();
  walk(program, (n) => {
    if (n.type === "FunctionDeclaration" && n.id !== null) functions.set(n.id.name, n);
    else if (n.type === "VariableDeclarator" && n.id.type === "Identifier" && isFunction(n.init)) functions.set(n.id.name, n.init);
  });
  return functions;
}

function firstParamName(fn: FunctionNode): string | undefined {
  const param = fn.params[0];
  if (param?.type === "Identifier") return param.name;
  if (param?.type === "AssignmentPattern" && param.left.type === "Identifier") return param.left.name;
  return undefined;
}

function stringValue(node: Node | undefined): string | undefined {
  if (node?.type === "Literal" && typeof node.value === "string") return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Scope names grow as `const c = scope.child(...)` is found; signal aliases likewise. */
function collectScopes(start: FunctionNode, scopes: Set<string>, signals: Set<string>): void {
  const param = start.params[0];
  if (param?.type === "ObjectPattern") {
    for (const p of param.properties) {
      if (p.type === "Property" && isIdentifier(p.key, "signal") && p.value.type === "Identifier") signals.add(p.value.name);
    }
  }
  walk(start.body, (n) => {
    if (n.type !== "VariableDeclarator" || n.init === null) return;
    const init = n.init;
    if (n.id.type === "Identifier") {
      const from = methodCall(init, ["child"]);
      if (from?.type === "Identifier" && scopes.has(from.name)) scopes.add(n.id.name);
      if (init.type === "MemberExpression" && isIdentifier(init.property, "signal") && init.object.type === "Identifier" && scopes.has(init.object.name)) {
        signals.add(n.id.name);
      }
    } else if (n.id.type === "ObjectPattern" && init.type === "Identifier" && scopes.has(init.name)) {
      for (const p of n.id.properties) {
        if (p.type === "Property" && isIdentifier(p.key, "signal") && p.value.type === "Identifier") signals.add(p.value.name);
      }
    }
  });
}

/** Reads a module once; rules share the result through `serviceModuleOf`. */
export function readServiceModule(program: TSESTree.Program): ServiceModule {
  const functions = collectFunctions(program);
  const start = exportedStart(program, functions);
  const scopes = new Set<string>();
  const signals = new Set<string>();
  const tasks: Task[] = [];
  const finalizers: FunctionNode[] = [];
  const releaseSites: Node[] = [];
  if (start === undefined) return { start, allSignals: signals, scopes, signals, tasks, finalizers, releaseSites, functions };
  const scopeName = firstParamName(start);
  if (scopeName !== undefined) scopes.add(scopeName);
  collectScopes(start, scopes, signals);
  const resolve = (arg: Node | undefined): FunctionNode | undefined =>
    isFunction(arg) ? arg : arg?.type === "Identifier" ? functions.get(arg.name) : undefined;
  // Tasks first: an abort listener counts as a finalizer only on a signal, and a task's
  // parameter is one.
  walk(start.body, (n) => {
    const owner = n.type === "CallExpression" ? methodCall(n, ["go"]) : undefined;
    if (n.type !== "CallExpression" || owner?.type !== "Identifier" || !scopes.has(owner.name)) return;
    const fn = resolve(n.arguments[1]);
    if (fn === undefined) return;
    const own = firstParamName(fn);
    tasks.push({ name: stringValue(n.arguments[0]) ?? "task", fn, signals: new Set([...signals, ...(own !== undefined ? [own] : [])]) });
  });
  const allSignals = new Set([...signals, ...tasks.flatMap((t) => [...t.signals])]);
  const abortListeners: FunctionNode[] = [];
  walk(start.body, (n) => {
    if (n.type === "TryStatement" && n.finalizer !== null) releaseSites.push(n.finalizer);
    if (n.type !== "CallExpression") return;
    const deferOwner = methodCall(n, ["defer"]);
    const listened = methodCall(n, ["addEventListener"]);
    let fn: FunctionNode | undefined;
    if (deferOwner?.type === "Identifier" && scopes.has(deferOwner.name)) fn = resolve(n.arguments[0]);
    else if (listened !== undefined && stringValue(n.arguments[0]) === "abort" && readsSignal(listened, allSignals, scopes)) fn = resolve(n.arguments[1]);
    else if (isIdentifier(n.callee, "addAbortListener") && n.arguments[0] !== undefined && readsSignal(n.arguments[0], allSignals, scopes)) {
      fn = resolve(n.arguments[1]);
    }
    if (fn !== undefined) finalizers.push(fn);
    if (fn !== undefined && deferOwner === undefined) abortListeners.push(fn);
  });
  // A flag an abort listener sets (`signal.addEventListener("abort", () => (stopping = true))`)
  // is the signal read another way. One set by `defer` is not: finalizers run after the tasks end.
  for (const listener of abortListeners) {
    walk(listener.body, (n) => {
      if (n.type === "AssignmentExpression" && n.left.type === "Identifier") {
        signals.add(n.left.name);
        for (const task of tasks) (task.signals as Set<string>).add(n.left.name);
      }
    });
  }
  releaseSites.push(...finalizers);
  for (const name of signals) allSignals.add(name);
  return { start, allSignals, scopes, signals, tasks, finalizers, releaseSites, functions };
}

const cache = new WeakMap<TSESTree.Program, ServiceModule>();

export function serviceModuleOf(program: TSESTree.Program): ServiceModule {
  let found = cache.get(program);
  if (found === undefined) cache.set(program, (found = readServiceModule(program)));
  return found;
}

/** The statements of a function's body (an expression body is one statement). */
export function bodyStatements(fn: FunctionNode): readonly Node[] {
  return fn.body.type === "BlockStatement" ? fn.body.body : [fn.body];
}

/** The loops directly in `fn` (not in nested functions), outermost first. */
export function loopsIn(fn: FunctionNode): Node[] {
  const loops: Node[] = [];
  walk(fn.body, (n) => {
    if (n !== fn.body && isFunction(n)) return false;
    if (isLoop(n)) loops.push(n);
    return true;
  });
  return loops;
}

/** Whether `root` awaits (await or for-await), outside nested functions. */
export function awaits(root: Node): boolean {
  return some(root, (n) => n.type === "AwaitExpression" || (n.type === "ForOfStatement" && n.await), { intoFunctions: false });
}
