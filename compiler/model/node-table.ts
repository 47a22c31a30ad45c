// The resolved tree numbered in declaration order (preorder, the root at position 0), built once
// per app and shared by the shutdown timing, the contracts and the model checks. Positions index
// typed arrays where ids would index maps, and a node's subtree is the range of positions
// [position, subtreeEnd): its leaf services are a scan, its ancestors a walk up `parent`.
import type { NodeId, ResolvedApp, ResolvedNode, ResolvedSupervisor } from "./model.ts";
import { SettleGraph } from "./settle.ts";

const NO_POSITIONS = new Int32Array(0);

export class NodeTable {
  /** Every node in declaration order, the root first. */
  readonly nodes: readonly ResolvedNode[];
  /** Their ids, read from one array rather than from nodes of many shapes. */
  readonly ids: readonly NodeId[];
  /** The parent's position; -1 for the root. */
  readonly parent: Int32Array;
  /** One past the last position in the node's subtree. */
  readonly subtreeEnd: Int32Array;
  private readonly positions = new Map<NodeId, number>();
  private readonly orderCache = new Map<OrderField, Int32Array[]>();
  private readonly settleCache = new Map<OrderField, SettleGraph>();

  constructor(root: ResolvedSupervisor) {
    const nodes: ResolvedNode[] = [];
    const parents: number[] = [];
    // Iterative: a deep chain of supervisors must not overflow the stack.
    const stack: { node: ResolvedNode; parent: number }[] = [{ node: root, parent: -1 }];
    while (stack.length > 0) {
      const { node, parent } = stack.pop()!;
      const position = nodes.length;
      nodes.push(node);
      parents.push(parent);
      this.positions.set(node.id, position);
      if (node.kind === "supervisor") for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parent: position });
    }
    this.nodes = nodes;
    this.ids = nodes.map((n) => n.id);
    this.parent = Int32Array.from(parents);
    // A subtree ends where the next node outside it starts: fill from the leaves up.
    this.subtreeEnd = new Int32Array(nodes.length);
    for (let i = nodes.length - 1; i >= 0; i--) {
      this.subtreeEnd[i] = Math.max(this.subtreeEnd[i]!, i + 1);
      const p = this.parent[i]!;
      if (p >= 0) this.subtreeEnd[p] = Math.max(this.subtreeEnd[p]!, this.subtreeEnd[i]!);
    }
  }

  get size(): number {
    return this.nodes.length;
  }

  positionOf(id: NodeId): number {
    const position = this.positions.get(id);
    if (position === undefined) throw new Error(`internal: no node ${JSON.stringify(id)}`);
    return position;
  }

  nodeOf(id: NodeId): ResolvedNode {
    return this.nodes[this.positionOf(id)]!;
  }

  parentOf(id: NodeId): ResolvedSupervisor | undefined {
    const p = this.parent[this.positionOf(id)]!;
    return p < 0 ? undefined : (this.nodes[p] as ResolvedSupervisor);
  }

  /** Ancestors from the parent up to the root, excluding the node itself. */
  ancestorsOf(id: NodeId): ResolvedSupervisor[] {
    const result: ResolvedSupervisor[] = [];
    for (let p = this.parent[this.positionOf(id)]!; p >= 0; p = this.parent[p]!) result.push(this.nodes[p] as ResolvedSupervisor);
    return result;
  }

  /** By position: the positions of each node's startAfter or stopAfter ids, computed once. */
  orderPositions(field: OrderField): readonly Int32Array[] {
    let all = this.orderCache.get(field);
    if (all === undefined) {
      all = this.nodes.map((n) => {
        const ids = n[field];
        if (ids.length === 0) return NO_POSITIONS;
        // Filled by index: Int32Array.from walks its source with an iterator, an allocation per
        // id in code that runs once per compile, cold, over every node.
        const positions = new Int32Array(ids.length);
        for (let i = 0; i < ids.length; i++) positions[i] = this.positionOf(ids[i]!);
        return positions;
      });
      this.orderCache.set(field, all);
    }
    return all;
  }

  /** The begin and end events of every node, ordered along `field` once for all the timings that settle them. */
  settleGraph(field: OrderField): SettleGraph {
    let graph = this.settleCache.get(field);
    if (graph === undefined) {
      graph = new SettleGraph({ parent: this.parent, subtreeEnd: this.subtreeEnd, after: this.orderPositions(field) });
      this.settleCache.set(field, graph);
    }
    return graph;
  }
}

type OrderField = "startAfter" | "stopAfter";

const tables = new WeakMap<ResolvedSupervisor, NodeTable>();

/** Built once per resolved tree: the checks, the timing and the contracts all ask for it. */
export function nodeTable(app: ResolvedApp): NodeTable {
  let table = tables.get(app.root);
  if (table === undefined) {
    table = new NodeTable(app.root);
    tables.set(app.root, table);
  }
  return table;
}
