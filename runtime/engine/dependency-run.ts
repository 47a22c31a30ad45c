// One ordered pass over part of the tree: starting a set of nodes, or stopping one. Every node
// has two moments, "begin" and "end":
//
//   begin(n) waits for begin(parent) (so an ancestor's constraints reach its descendants) and for
//            end(p) of each order predecessor p that takes part in this pass;
//   end(service) is when its own start or stop is complete (the caller reports it);
//   end(supervisor) waits for begin(itself) and end(c) of each child taking part.
//
// The pass covers the given subtrees fully, plus their ancestors "partially" (an ancestor only
// relays its constraints and is done when its participating children are). Predecessors that do
// not take part are ignored. It runs off a queue, never recursively, and costs O(nodes + edges).
import type { NodeRt } from "./node-state.ts";

export type OrderKind = "start" | "stop";

export interface RunHooks {
  /** The node may begin. For a service, the caller must later call `complete(node)`. */
  begin(node: NodeRt, full: boolean): void;
  /** The node is done (`full`: the node itself takes part, not only some of its descendants). */
  end(node: NodeRt, full: boolean): void;
}

const OUT = 0;
const FULL = 1;
const PARTIAL = 2;

const WAITING = 0;
const BEGUN = 1;
const ENDED = 2;

export class DependencyRun {
  /** Every node taking part (fully or partially): subtrees first, then ancestors. */
  nodes: readonly NodeRt[] = [];
  readonly #kind: OrderKind;
  readonly #hooks: RunHooks;
  readonly #membership: Uint8Array;
  readonly #state: Uint8Array;
  readonly #beginWait: Int32Array;
  readonly #endWait: Int32Array;
  /** Pending moments: a node, and whether it is its end (else its begin). */
  readonly #queue: NodeRt[] = [];
  readonly #queueEnds: boolean[] = [];
  #head = 0;
  #draining = false;
  #remaining = 0;

  /** `allNodes`: every node of the tree, indexed by `node.index`; `roots`: the subtrees taking part. */
  constructor(allNodes: readonly NodeRt[], roots: readonly NodeRt[], kind: OrderKind, hooks: RunHooks) {
    const count = allNodes.length;
    this.#kind = kind;
    this.#hooks = hooks;
    this.#membership = new Uint8Array(count);
    this.#state = new Uint8Array(count);
    this.#beginWait = new Int32Array(count);
    this.#endWait = new Int32Array(count);
    if (roots.length === 1 && roots[0]!.parent === undefined) {
      // The whole tree (start-up, shutdown): no walk needed, and every edge counts.
      this.#membership.fill(FULL);
      this.nodes = allNodes;
      // Indexed loops on the hot paths: `for...of` allocates an iterator result per step until
      // the JIT optimizes the loop, and a start or a shutdown runs once, mostly unoptimized.
      for (let i = 0; i < count; i++) {
        const node = allNodes[i]!;
        this.#beginWait[node.index] = (node.parent !== undefined ? 1 : 0) + this.#predsOf(node).length;
        this.#endWait[node.index] = 1 + node.children.length;
      }
      this.#remaining = count;
      return;
    }
    this.#collect(roots);
    for (const node of this.nodes) {
      let beginWait = node.parent !== undefined && this.includes(node.parent) ? 1 : 0;
      for (const pred of this.#predsOf(node)) if (this.includes(pred)) beginWait++;
      let endWait = 1;
      for (const child of node.children) if (this.includes(child)) endWait++;
      this.#beginWait[node.index] = beginWait;
      this.#endWait[node.index] = endWait;
    }
    this.#remaining = this.nodes.length;
  }

  #collect(roots: readonly NodeRt[]): void {
    const nodes: NodeRt[] = [];
    for (const root of roots) {
      const stack = [root];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (this.#membership[node.index] === FULL) continue;
        this.#membership[node.index] = FULL;
        nodes.push(node);
        for (const child of node.children) stack.push(child);
      }
    }
    for (const root of roots) {
      for (let a = root.parent; a !== undefined && this.#membership[a.index] === OUT; a = a.parent) {
        this.#membership[a.index] = PARTIAL;
        nodes.push(a);
      }
    }
    this.nodes = nodes;
  }

  includes(node: NodeRt): boolean {
    return this.#membership[node.index] !== OUT;
  }

  isFull(node: NodeRt): boolean {
    return this.#membership[node.index] === FULL;
  }

  hasBegun(node: NodeRt): boolean {
    return this.includes(node) && this.#state[node.index] !== WAITING;
  }

  hasEnded(node: NodeRt): boolean {
    return this.includes(node) && this.#state[node.index] === ENDED;
  }

  /** Nodes not yet ended. Zero once the pass is over. */
  get remaining(): number {
    return this.#remaining;
  }

  start(): void {
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) if (this.#beginWait[nodes[i]!.index] === 0) this.#enqueue(nodes[i]!, false);
    this.#drain();
  }

  /**
   * Runs `fn`, holding back what its completions would begin until it returns: abandoning a whole
   * subtree must tell every node why before the first one's end lets the next begin.
   */
  batch(fn: () => void): void {
    if (this.#draining) {
      fn();
      return;
    }
    this.#draining = true;
    try {
      fn();
    } finally {
      this.#draining = false;
    }
    this.#drain();
  }

  /** A service's own work is done (started, or stopped). Ignored when it is not in progress. */
  complete(node: NodeRt): void {
    if (!this.includes(node) || this.#state[node.index] !== BEGUN || !node.isService) return;
    if (--this.#endWait[node.index]! === 0) this.#enqueue(node, true);
    this.#drain();
  }

  /** For a pass that cannot finish: what is waiting on what, as a readable cycle. */
  describeCycle(): string | undefined {
    const first = this.nodes.find((n) => this.#state[n.index] !== ENDED);
    if (first === undefined) return undefined;
    const seen = new Map<string, number>();
    const path: NodeRt[] = [];
    let node: NodeRt | undefined = first;
    while (node !== undefined) {
      const key = `${node.index}:${this.#state[node.index]}`;
      if (seen.has(key)) break;
      seen.set(key, path.length);
      path.push(node);
      node = this.#blockerOf(node);
    }
    const cycle = node === undefined ? path : path.slice(seen.get(`${node.index}:${this.#state[node.index]}`));
    const ids = cycle.map((n) => (n.id === "" ? "(app)" : n.id)).filter((id, i, all) => id !== all[i - 1]);
    return ids.concat(ids[0] ?? []).join(" -> ");
  }

  #blockerOf(node: NodeRt): NodeRt | undefined {
    const pending = (n: NodeRt): boolean => this.includes(n) && this.#state[n.index] !== ENDED;
    if (this.#state[node.index] === WAITING) {
      const parent = node.parent;
      if (parent !== undefined && this.includes(parent) && this.#state[parent.index] === WAITING) return parent;
      return this.#predsOf(node).find(pending);
    }
    return node.children.find(pending);
  }

  #predsOf(node: NodeRt): readonly NodeRt[] {
    return this.#kind === "start" ? node.startPreds : node.stopPreds;
  }

  #enqueue(node: NodeRt, end: boolean): void {
    this.#queue.push(node);
    this.#queueEnds.push(end);
  }

  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#head < this.#queue.length) {
        const node = this.#queue[this.#head]!;
        const end = this.#queueEnds[this.#head++]!;
        if (end) this.#end(node);
        else this.#begin(node);
      }
      // Emptied in place: a drain per completed service must not allocate two arrays.
      this.#queue.length = 0;
      this.#queueEnds.length = 0;
      this.#head = 0;
    } finally {
      this.#draining = false;
    }
  }

  #begin(node: NodeRt): void {
    this.#state[node.index] = BEGUN;
    this.#hooks.begin(node, this.isFull(node));
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (this.includes(child) && --this.#beginWait[child.index]! === 0) this.#enqueue(child, false);
    }
    if (!node.isService && --this.#endWait[node.index]! === 0) this.#enqueue(node, true);
  }

  #end(node: NodeRt): void {
    this.#state[node.index] = ENDED;
    this.#remaining--;
    this.#hooks.end(node, this.isFull(node));
    const dependents = this.#kind === "start" ? node.startDependents : node.stopDependents;
    for (let i = 0; i < dependents.length; i++) {
      const d = dependents[i]!;
      if (this.includes(d) && --this.#beginWait[d.index]! === 0) this.#enqueue(d, false);
    }
    const parent = node.parent;
    if (parent !== undefined && this.includes(parent) && --this.#endWait[parent.index]! === 0) this.#enqueue(parent, true);
  }
}

/**
 * Whether a whole-tree pass of `kind` can finish: Kahn's algorithm over the same moments and
 * constraints as DependencyRun (begin(n) after begin(parent) and end(p) of each predecessor,
 * end(n) after begin(n) and end(c) of each child), on typed arrays, with no hooks or objects per
 * node. Moment 2i is begin(nodes[i]), 2i + 1 its end; `nodes[i].index === i` (plan-index.ts).
 */
function orderCompletes(nodes: readonly NodeRt[], kind: OrderKind, wait: Int32Array, queue: Int32Array): boolean {
  const count = nodes.length;
  const start = kind === "start";
  let tail = 0;
  for (let i = 0; i < count; i++) {
    const node = nodes[i]!;
    const beginWait = (node.parent !== undefined ? 1 : 0) + (start ? node.startPreds : node.stopPreds).length;
    wait[2 * i] = beginWait;
    wait[2 * i + 1] = 1 + node.children.length;
    if (beginWait === 0) queue[tail++] = 2 * i;
  }
  for (let head = 0; head < tail; head++) {
    const moment = queue[head]!;
    const node = nodes[moment >> 1]!;
    if ((moment & 1) === 0) {
      const children = node.children;
      for (let c = 0; c < children.length; c++) {
        const m = 2 * children[c]!.index;
        if (--wait[m]! === 0) queue[tail++] = m;
      }
      if (--wait[moment + 1]! === 0) queue[tail++] = moment + 1;
    } else {
      const dependents = start ? node.startDependents : node.stopDependents;
      for (let d = 0; d < dependents.length; d++) {
        const m = 2 * dependents[d]!.index;
        if (--wait[m]! === 0) queue[tail++] = m;
      }
      const parent = node.parent;
      if (parent !== undefined && --wait[2 * parent.index + 1]! === 0) queue[tail++] = 2 * parent.index + 1;
    }
  }
  return tail === 2 * count;
}

/** Problems (cycles) in the start and stop orders of the whole tree; empty when both are sound. */
export function checkOrderGraphs(nodes: readonly NodeRt[]): string[] {
  const problems: string[] = [];
  const wait = new Int32Array(2 * nodes.length);
  const queue = new Int32Array(2 * nodes.length);
  for (const kind of ["start", "stop"] as const) {
    // The cheap check decides; the full pass runs only to describe a cycle it found.
    if (orderCompletes(nodes, kind, wait, queue)) continue;
    const run: DependencyRun = new DependencyRun(nodes, [nodes[0]!], kind, {
      begin: (node) => run.complete(node),
      end: () => {},
    });
    run.start();
    if (run.remaining > 0) problems.push(`the ${kind} order has a cycle (each waits for the next): ${run.describeCycle() ?? "?"}`);
  }
  return problems;
}
