// Orders a supervisor's children for shutdown. Child X depends on sibling Y when anything in X's
// subtree waits, directly or through nodes elsewhere in the tree, for anything in Y's subtree
// (the dependency is "lifted" to the siblings). A dependent stops first. Transitivity through
// outside nodes matters: if x needs c and c needs y, X must stop before Y although nothing in X
// names Y, or a phase barrier would deadlock.
import { DependencyGraph } from "./dependency-graph.ts";
import { stronglyConnected } from "./graph-algorithms.ts";
import type { TreeNode } from "./scope-tree.ts";

/** `deps[i]` = indexes of the children that child i depends on. */
export function siblingDependencies(graph: DependencyGraph, supervisor: TreeNode): number[][] {
  const children = supervisor.children;
  const childAt = new Int32Array(supervisor.subtreeEnd - supervisor.index).fill(-1);
  children.forEach((child, i) => childAt.fill(i, child.index - supervisor.index, child.subtreeEnd - supervisor.index));
  return children.map((child, i) => {
    const reach = graph.reachedFrom(child);
    const found = new Set<number>();
    const first = supervisor.index + 1;
    for (let word = first >> 5; word <= (supervisor.subtreeEnd - 1) >> 5 && word < reach.length; word++) {
      let bits = reach[word]!;
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits);
        bits &= ~(1 << bit);
        const node = (word << 5) + bit;
        if (node < first || node >= supervisor.subtreeEnd) continue;
        const sibling = childAt[node - supervisor.index]!;
        if (sibling >= 0 && sibling !== i) found.add(sibling);
      }
    }
    return [...found].sort((a, b) => a - b);
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
