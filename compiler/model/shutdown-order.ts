// Orders a supervisor's children for shutdown. Child X depends on sibling Y when anything in X's
// subtree waits, directly or through nodes elsewhere in the tree, for anything in Y's subtree
// (the dependency is "lifted" to the siblings). A dependent stops first. Transitivity through
// outside nodes matters: if x needs c and c needs y, X must stop before Y although nothing in X
// names Y, or a phase barrier would deadlock.
//
// The relation computed here is the sparse "first sibling reached" one: from X, follow the
// expanded start graph and stop at the first sibling subtree entered. Its transitive closure is
// the full lifted dependency (every path into Y passes first-hit siblings one after another),
// which is all that phases and order checks need, and it stays small where the full relation
// would be quadratic (a chain of n needs).
import { DependencyGraph } from "./dependency-graph.ts";
import { stronglyConnected } from "./graph-algorithms.ts";
import type { TreeNode } from "./scope-tree.ts";

const NO_HITS: readonly number[] = [];

/** `deps[i]` = indexes of the children that child i depends on (first hits, see above). */
export function siblingDependencies(graph: DependencyGraph, supervisor: TreeNode): number[][] {
  const children = supervisor.children;
  if (children.length < 2) return children.map(() => []);
  const childAt = new Int32Array(supervisor.subtreeEnd - supervisor.index).fill(-1);
  children.forEach((child, i) => childAt.fill(i, child.index - supervisor.index, child.subtreeEnd - supervisor.index));
  /** The child whose subtree holds `vertex`, or -1 for vertices outside every child. */
  const siblingOf = (vertex: number): number => {
    const node = vertex >> 1;
    return node > supervisor.index && node < supervisor.subtreeEnd ? childAt[node - supervisor.index]! : -1;
  };

  // Siblings first reached from vertices outside every child, memoised. An iterative depth-first
  // post-order, so that long chains cannot overflow the stack; the graph is acyclic (cycles are
  // reported before anyone asks for an order), and a vertex on the stack is never re-entered.
  const memo = new Map<number, readonly number[]>();
  // Vertices that cannot reach back into the supervisor's subtree hit no sibling.
  const reachesBack = (vertex: number): boolean => graph.mayReach(vertex, supervisor.index + 1, supervisor.subtreeEnd);
  const hitsFrom = (start: number): readonly number[] => {
    const cached = memo.get(start);
    if (cached !== undefined) return cached;
    if (!reachesBack(start)) return NO_HITS;
    const marked = new Uint8Array(children.length);
    const onStack = new Set([start]);
    const work: { v: number; out: readonly number[]; i: number }[] = [{ v: start, out: graph.successors(start), i: 0 }];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.out.length) {
        const w = frame.out[frame.i++]!;
        if (siblingOf(w) < 0 && !memo.has(w) && !onStack.has(w) && reachesBack(w)) {
          onStack.add(w);
          work.push({ v: w, out: graph.successors(w), i: 0 });
        }
        continue;
      }
      work.pop();
      onStack.delete(frame.v);
      const hits: number[] = [];
      for (const w of frame.out) {
        const sibling = siblingOf(w);
        for (const h of sibling >= 0 ? [sibling] : (memo.get(w) ?? NO_HITS)) {
          if (marked[h] === 0) {
            marked[h] = 1;
            hits.push(h);
          }
        }
      }
      for (const h of hits) marked[h] = 0;
      memo.set(frame.v, hits);
    }
    return memo.get(start)!;
  };

  const marked = new Uint8Array(children.length);
  let found: number[] = [];
  const mark = (h: number): void => {
    if (marked[h] === 0) {
      marked[h] = 1;
      found.push(h);
    }
  };
  // Indexed loops without a list per vertex or per hit: the app of a large spec has thousands of
  // children, and this runs once per compile, cold.
  return children.map((child, i) => {
    found = [];
    marked[i] = 1; // never depends on itself
    // Both vertices (entry, done) of every node in the child's subtree.
    for (let vertex = 2 * child.index; vertex < 2 * child.subtreeEnd; vertex++) {
      const out = graph.successors(vertex);
      for (let j = 0; j < out.length; j++) {
        const sibling = siblingOf(out[j]!);
        if (sibling === i) continue;
        if (sibling >= 0) mark(sibling);
        else for (const h of hitsFrom(out[j]!)) mark(h);
      }
    }
    marked[i] = 0;
    for (const f of found) marked[f] = 0;
    return found.sort((a, b) => a - b);
  });
}

/**
 * Phases derived from the sibling dependencies: each child stops as early as possible, i.e. in
 * the phase after the last sibling that depends on it. Siblings that depend on each other (each
 * reaches into the other's subtree) share a phase and rely on the finer per-node stopAfter.
 * Within a phase, declaration order.
 */
export function derivePhases(children: readonly TreeNode[], deps: readonly (readonly number[])[]): TreeNode[][] {
  const components = stronglyConnected(children.length, (v) => deps[v]!);
  const componentOf = new Int32Array(children.length);
  components.forEach((members, c) => members.forEach((m) => (componentOf[m] = c)));
  // Tarjan yields components in reverse topological order of "depends on": dependencies first.
  // A component's level is one more than the deepest component that depends on it, so walk
  // dependents before dependencies, i.e. the reverse of Tarjan's order.
  const level = new Int32Array(components.length);
  for (let c = components.length - 1; c >= 0; c--) {
    for (const member of components[c]!) {
      for (const dep of deps[member]!) {
        const target = componentOf[dep]!;
        if (target !== c) level[target] = Math.max(level[target]!, level[c]! + 1);
      }
    }
  }
  const phases: TreeNode[][] = [];
  children.forEach((child, i) => {
    const l = level[componentOf[i]!]!;
    (phases[l] ??= []).push(child);
  });
  return phases.filter((p) => p !== undefined);
}
