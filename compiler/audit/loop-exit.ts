// What ends a loop. Two rules need it: a task's loop that ignores its signal is a bug only when
// nothing else ends it (a loop that drains a queue ends with the queue), and a synchronous loop
// freezes the process only when nothing it does can change what it waits for.
import type { TSESTree } from "supervise-audit-toolchain";
import { isFunction, some, walk, type FunctionNode, type Node } from "./service-code.ts";

type Loop = TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement;

/** `while`, `do … while` and `for (;;)`-style loops: those that end only by their condition. */
export function isOpenLoop(node: Node): node is Loop {
  return node.type === "WhileStatement" || node.type === "DoWhileStatement" || (node.type === "ForStatement" && node.update === null);
}

export function loopKeyword(loop: Loop): string {
  return loop.type === "WhileStatement" ? "while" : loop.type === "DoWhileStatement" ? "do" : "for";
}

function isConstantTrue(test: TSESTree.Expression | null): boolean {
  return test === null || (test.type === "Literal" && Boolean(test.value));
}

/** The conditions that end the loop: its test, and the test of each `if` that breaks or returns. */
export function exitConditions(loop: Loop): Node[] {
  const conditions: Node[] = [];
  if (!isConstantTrue(loop.test)) conditions.push(loop.test!);
  walk(loop.body, (n) => {
    if (isFunction(n)) return false;
    if (n.type === "IfStatement" && some(n.consequent, (c) => c.type === "BreakStatement" || c.type === "ReturnStatement" || c.type === "ThrowStatement", { intoFunctions: false })) {
      conditions.push(n.test);
    }
    return true;
  });
  return conditions;
}

/** Whether the loop can leave by something other than its conditions (a bare break, return or throw). */
export function hasUnconditionalExit(loop: Loop): boolean {
  let found = false;
  walk(loop.body, (n) => {
    if (found || isFunction(n) || (n !== loop.body && (n.type === "WhileStatement" || n.type === "ForStatement" || n.type === "DoWhileStatement" || n.type === "SwitchStatement"))) return false;
    if (n.type === "IfStatement") {
      // Exits under an `if` are conditions (exitConditions); only those outside any `if` count here.
      return false;
    }
    if (n.type === "BreakStatement" || n.type === "ReturnStatement" || n.type === "ThrowStatement") found = true;
    return true;
  });
  return found;
}

/** The root names a condition depends on: `a.b.c` and `f(a)` depend on `a` (and `f`). */
function namesIn(condition: Node): Set<string> {
  const names = new Set<string>();
  walk(condition, (n) => {
    if (isFunction(n)) return false;
    if (n.type === "MemberExpression" && !n.computed) {
      walk(n.object, (m) => {
        if (m.type === "Identifier") names.add(m.name);
      });
      return false;
    }
    if (n.type === "Identifier") names.add(n.name);
    return true;
  });
  return names;
}

function rootName(node: Node): string | undefined {
  let n = node;
  while (n.type === "MemberExpression") n = n.object;
  return n.type === "Identifier" ? n.name : undefined;
}

/** The names a piece of code may change: assigned, updated, deleted from, called on or handed to a call. */
function namesChangedIn(root: Node, functions: ReadonlyMap<string, FunctionNode>, calls = true, seen = new Set<Node>()): Set<string> {
  const changed = new Set<string>();
  if (seen.has(root)) return changed;
  seen.add(root);
  walk(root, (n) => {
    if (n.type === "AssignmentExpression") {
      const name = rootName(n.left);
      if (name !== undefined) changed.add(name);
    } else if (n.type === "UpdateExpression" || (n.type === "UnaryExpression" && n.operator === "delete")) {
      const name = rootName(n.argument);
      if (name !== undefined) changed.add(name);
    } else if (calls && (n.type === "CallExpression" || n.type === "NewExpression")) {
      if (n.callee.type === "MemberExpression") {
        const name = rootName(n.callee.object);
        if (name !== undefined) changed.add(name);
      }
      for (const arg of n.arguments) {
        const name = rootName(arg);
        if (name !== undefined) changed.add(name);
      }
      // A function of this module called here may change what it closes over.
      const local = n.callee.type === "Identifier" ? functions.get(n.callee.name) : undefined;
      if (local !== undefined) for (const name of namesChangedIn(local.body, functions, true, seen)) changed.add(name);
    } else if (n.type === "VariableDeclarator" && n.id.type === "Identifier") {
      changed.add(n.id.name);
    }
    return true;
  });
  return changed;
}

/** Whether running the loop's own code can change some name one of its exit conditions reads. */
export function loopChangesItsExit(loop: Loop, functions: ReadonlyMap<string, FunctionNode>): boolean {
  const changed = namesChangedIn(loop.body, functions);
  // The condition's own calls only read (`existsSync(path)` does not change `path`).
  if (loop.test !== null) for (const name of namesChangedIn(loop.test, functions, false)) changed.add(name);
  return exitConditions(loop).some((condition) => [...namesIn(condition)].some((name) => changed.has(name)));
}

/** `Date.now()`, `performance.now()`, `process.hrtime()`: a deadline, which time alone moves. */
export function readsTheClock(condition: Node): boolean {
  return some(condition, (n) => {
    if (n.type !== "CallExpression" || n.callee.type !== "MemberExpression" || n.callee.object.type !== "Identifier") return false;
    const object = n.callee.object.name;
    return object === "Date" || object === "performance" || (object === "process" && n.callee.property.type === "Identifier" && n.callee.property.name === "hrtime");
  });
}
