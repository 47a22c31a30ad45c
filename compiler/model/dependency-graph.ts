// The start-order graph of a spec with supervisors expanded. Every tree node has two vertices:
// `entry` (the node may begin starting) and `done` (the node and everything inside it started).
//
//   entry(n) -> done(t)       n needs t, or starts after t (needing a supervisor = needing all inside it)
//   entry(n) -> entry(p)      p is n's parent      (a supervisor's needs apply to its descendants)
//   done(n)  -> entry(n)
//   done(s)  -> done(c)       c is a child of s
//
// An edge reads "waits for". A cycle is a deadlock at start; reachability between the subtrees
// of two siblings is the "lifted" dependency that orders them at shutdown. Needs that name the
// node itself, an ancestor or a descendant are left out: they are reported on their own.
import type { Ref } from "../language/ast.ts";
import { stronglyConnected } from "./graph-algorithms.ts";
import { isWithin, type SpecTree, type TreeNode } from "./scope-tree.ts";

export interface NeedEdge {
  readonly owner: TreeNode;
  readonly target: TreeNode;
  readonly ref: Ref;
  /** `needs` or `after`: both are edges of the order, only `needs` is a dependency. */
  readonly via: "needs" | "after";
}

type Edge = { readonly to: number; readonly need: NeedEdge | undefined };

export class DependencyGraph {
  private readonly edges: Edge[][];
  /** By node index: the needs that became edges, shared with the resolution. */
  private readonly needs: (readonly NeedEdge[])[];

  constructor(readonly tree: SpecTree) {
    const n = tree.nodes.length;
    this.edges = Array.from({ length: 2 * n }, () => []);
    this.needs = [];
    for (const node of tree.nodes) {
      const entry = 2 * node.index;
      const done = entry + 1;
      this.edges[done]!.push({ to: entry, need: undefined });
      for (const child of node.children) this.edges[done]!.push({ to: 2 * child.index + 1, need: undefined });
      if (node.parent !== undefined) this.edges[entry]!.push({ to: 2 * node.parent.index, need: undefined });
      const needs = validNeeds(node);
      this.needs.push(needs);
      for (const need of needs) this.edges[entry]!.push({ to: 2 * need.target.index + 1, need });
    }
  }

  /** Needs of `node` that resolved to a node other than itself, its ancestors and descendants. */
  validNeeds(node: TreeNode): readonly NeedEdge[] {
    return this.needs[node.index]!;
  }

  private static done(node: TreeNode): number {
    return 2 * node.index + 1;
  }

  private nodeOf(vertex: number): TreeNode {
    return this.tree.nodes[vertex >> 1]!;
  }

  /** Strongly connected components with more than one vertex: each holds a cycle. */
  findCycles(): number[][] {
    return this.components().filter((c) => c.length > 1);
  }

  /**
   * Every strongly connected component, in reverse topological order: computed once, for the
   * cycle check and for the reach of each vertex.
   */
  private components(): number[][] {
    return (this.componentsCache ??= stronglyConnected(this.edges.length, (v) => this.successors(v)));
  }

  /**
   * One readable cycle inside a component: it starts with the earliest-declared need in the
   * component and follows the shortest way back. Returns the tree nodes passed through (first
   * repeated at the end) and the needs on the way.
   */
  describeCycle(component: readonly number[]): { nodes: TreeNode[]; needs: NeedEdge[] } {
    const inside = new Set(component);
    let start: { from: number; edge: Edge } | undefined;
    for (const v of component) {
      for (const edge of this.edges[v]!) {
        if (edge.need === undefined || !inside.has(edge.to)) continue;
        if (start === undefined || isEarlier(edge.need, start.edge.need!)) start = { from: v, edge };
      }
    }
    if (start === undefined) return { nodes: [], needs: [] };
    const path = this.shortestPath(start.edge.to, (v) => v === start.from, inside) ?? [];
    const edges = [start.edge, ...path];
    const nodes: TreeNode[] = [this.nodeOf(start.from)];
    for (const edge of edges) {
      const node = this.nodeOf(edge.to);
      if (nodes[nodes.length - 1] !== node) nodes.push(node);
    }
    return { nodes, needs: edges.flatMap((e) => (e.need !== undefined ? [e.need] : [])) };
  }

  /** Breadth-first: the edges of a shortest path from `from` to a vertex satisfying `isGoal`. */
  private shortestPath(from: number, isGoal: (vertex: number) => boolean, within?: ReadonlySet<number>): Edge[] | undefined {
    const via = new Map<number, { prev: number; edge: Edge }>();
    const queue = [from];
    const seen = new Set([from]);
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      if (isGoal(v)) {
        const edges: Edge[] = [];
        for (let at = v; at !== from; at = via.get(at)!.prev) edges.push(via.get(at)!.edge);
        return edges.reverse();
      }
      for (const edge of this.edges[v]!) {
        if (seen.has(edge.to) || (within !== undefined && !within.has(edge.to))) continue;
        seen.add(edge.to);
        via.set(edge.to, { prev: v, edge });
        queue.push(edge.to);
      }
    }
    return undefined;
  }

  /** The vertices `vertex` waits for directly. */
  successors(vertex: number): readonly number[] {
    return (this.targets ??= this.edges.map((out) => out.map((e) => e.to)))[vertex]!;
  }

  private targets: number[][] | undefined;
  private componentsCache: number[][] | undefined;
  private reach: { readonly lo: Int32Array; readonly hi: Int32Array } | undefined;

  /**
   * True when a node with an index in [from, to) may be reached from `vertex` (itself included).
   * Every vertex keeps the lowest and highest node index it reaches, computed once over the
   * components in reverse topological order; a false answer is certain.
   */
  mayReach(vertex: number, from: number, to: number): boolean {
    this.reach ??= this.computeReach();
    return this.reach.lo[vertex]! < to && this.reach.hi[vertex]! >= from;
  }

  private computeReach(): { lo: Int32Array; hi: Int32Array } {
    const count = this.edges.length;
    const lo = new Int32Array(count);
    const hi = new Int32Array(count);
    // Dependencies first: every successor outside a component is settled before it.
    // Indexed loops, and no set for a component of one vertex (every component of an acyclic
    // graph): this runs once per compile, cold, over twice as many vertices as there are nodes.
    const components = this.components();
    for (let c = 0; c < components.length; c++) {
      const component = components[c]!;
      let min = Number.MAX_SAFE_INTEGER;
      let max = -1;
      for (let i = 0; i < component.length; i++) {
        min = Math.min(min, component[i]! >> 1);
        max = Math.max(max, component[i]! >> 1);
      }
      const only = component.length === 1 ? component[0] : undefined;
      const inside = only === undefined ? new Set(component) : undefined;
      for (let i = 0; i < component.length; i++) {
        const out = this.successors(component[i]!);
        for (let j = 0; j < out.length; j++) {
          const w = out[j]!;
          if (w === only || inside?.has(w) === true) continue;
          min = Math.min(min, lo[w]!);
          max = Math.max(max, hi[w]!);
        }
      }
      for (let i = 0; i < component.length; i++) {
        lo[component[i]!] = min;
        hi[component[i]!] = max;
      }
    }
    return { lo, hi };
  }

  /** The needs along a shortest chain that makes `x` depend on `y` (for related locations). */
  explainDependency(x: TreeNode, y: TreeNode): NeedEdge[] {
    const path = this.shortestPath(DependencyGraph.done(x), (v) => (v & 1) === 1 && isWithin(this.nodeOf(v), y)) ?? [];
    return path.flatMap((e) => (e.need !== undefined ? [e.need] : []));
  }
}

/** Needs that resolved to a node other than the owner, its ancestors and its descendants. */
function validNeeds(node: TreeNode): readonly NeedEdge[] {
  // Shared when there is none (every supervisor and first service of a large spec, each a list otherwise).
  if (node.needs.length === 0) return NO_NEEDS;
  const result: NeedEdge[] = [];
  for (const need of node.needs) {
    if (need.resolution.kind !== "found") continue;
    const target = need.resolution.node;
    if (isWithin(node, target) || isWithin(target, node)) continue;
    result.push({ owner: node, target, ref: need.ref, via: need.via });
  }
  return result;
}

const NO_NEEDS: readonly NeedEdge[] = [];

function isEarlier(a: NeedEdge, b: NeedEdge): boolean {
  return a.ref.span.start < b.ref.span.start;
}
