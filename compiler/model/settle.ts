// The worst-case settling of a tree in which every node has two events, written once for the
// start timing and the shutdown timing (compiler/model/start-timing.ts, timing.ts):
//
//   begin(n) = max(begin(parent), end(a) + gap for a in after(n))
//   end(n)   = min(max(begin(n) + duration(n), end(c) for c a child of n), deadline(n))
//   deadline(n) = min(own deadline of n (from begin(n)), deadline(parent))
//
// `after` is a node's startAfter or stopAfter; the parent's begin carries the ancestors' ones. The
// events are numbered, begin(n) = 2n and end(n) = 2n + 1 for the node at position n (as
// compiler/model/node-table.ts numbers the tree: preorder, a subtree is [n, subtreeEnd[n])). They
// are put in dependency order once per graph, iteratively (a chain of 100k needs must not
// overflow the stack) and in time linear in nodes + edges; each evaluation is then one loop.

/** The shape being settled: a preordered tree plus, per node, the nodes whose end its begin waits for. */
export interface SettleTree {
  /** The parent's position; -1 for the root (position 0). */
  readonly parent: Int32Array;
  /** One past the last position in the node's subtree. */
  readonly subtreeEnd: Int32Array;
  readonly after: readonly ArrayLike<number>[];
}

/** What makes one evaluation differ from another over the same tree. */
export interface SettleRules {
  /** The root's begin. */
  readonly origin: number;
  /** Added to an `after` node's end where a begin waits for it: 0 for times, 1 to count waits. */
  readonly gap: number;
  /** What the node itself takes between its begin and its end, children aside (Infinity allowed). */
  duration(position: number): number;
  /** The node's own deadline for its end, given its begin; Infinity for none. */
  ownDeadline?(position: number, begin: number): number;
  /** The deadline of everything (the grace); Infinity by default. */
  readonly outerDeadline?: number;
}

export interface Settlement {
  readonly begin: Float64Array;
  readonly end: Float64Array;
  /**
   * The `after` node whose end decided the begin (the first listed among equals), or the one
   * that decided the parent's begin when nothing in `after` came later; -1 for none.
   */
  readonly waited: Int32Array;
  /** The node whose own deadline is the binding one (the inner one among equals); -1 for the outer deadline. */
  readonly deadlineOwner: Int32Array;
  /** 1 where the end would have come later than the deadline allowed. */
  readonly cut: Uint8Array;
}

const OPEN = 1;
const DONE = 2;

/** A tree with its events in dependency order, ready to be evaluated under several rules. */
export class SettleGraph {
  /** Every event, each after all the events it waits for. */
  private readonly order: Int32Array;

  constructor(private readonly tree: SettleTree) {
    this.order = orderEvents(tree);
  }

  settle(rules: SettleRules): Settlement {
    const { parent, subtreeEnd, after } = this.tree;
    const count = parent.length;
    const begin = new Float64Array(count);
    const end = new Float64Array(count);
    const deadline = new Float64Array(count);
    const waited = new Int32Array(count).fill(-1);
    const deadlineOwner = new Int32Array(count).fill(-1);
    const cut = new Uint8Array(count);
    const outerDeadline = rules.outerDeadline ?? Infinity;
    for (const event of this.order) {
      const n = event >> 1;
      const p = parent[n]!;
      if ((event & 1) === 0) {
        let at = p >= 0 ? begin[p]! : rules.origin;
        let decidedBy = p >= 0 ? waited[p]! : -1;
        const waitsFor = after[n]!;
        for (let k = 0; k < waitsFor.length; k++) {
          const a = waitsFor[k]!;
          if (end[a]! + rules.gap > at) {
            at = end[a]! + rules.gap;
            decidedBy = a;
          }
        }
        begin[n] = at;
        waited[n] = decidedBy;
        // The inner deadline explains one it shares with an outer one: it is the closer fix.
        const outer = p >= 0 ? deadline[p]! : outerDeadline;
        const own = rules.ownDeadline?.(n, at) ?? Infinity;
        deadline[n] = Math.min(own, outer);
        deadlineOwner[n] = own <= outer && own !== Infinity ? n : p >= 0 ? deadlineOwner[p]! : -1;
      } else {
        let wanted = begin[n]! + rules.duration(n);
        for (let c = n + 1; c < subtreeEnd[n]!; c = subtreeEnd[c]!) wanted = Math.max(wanted, end[c]!);
        if (wanted > deadline[n]!) cut[n] = 1;
        end[n] = Math.min(wanted, deadline[n]!);
      }
    }
    return { begin, end, waited, deadlineOwner, cut };
  }
}

/**
 * A depth-first post-order over the events: an event is listed once every event it waits for
 * is. Each event keeps a cursor over its inputs, so the walk needs no frames and no recursion.
 * A cycle (which the checks report before any timing is asked for) is an internal error.
 */
function orderEvents(tree: SettleTree): Int32Array {
  const count = 2 * tree.parent.length;
  const state = new Uint8Array(count);
  const cursor = new Int32Array(count);
  const stack = new Int32Array(count);
  const order = new Int32Array(count);
  let listed = 0;
  for (let start = 0; start < count; start++) {
    if (state[start] === DONE) continue;
    let height = 0;
    stack[height++] = start;
    state[start] = OPEN;
    while (height > 0) {
      const event = stack[height - 1]!;
      const input = nextInput(tree, event, cursor);
      if (input < 0) {
        height--;
        state[event] = DONE;
        order[listed++] = event;
      } else if (state[input] === 0) {
        state[input] = OPEN;
        stack[height++] = input;
      } else if (state[input] === OPEN) {
        throw new Error(`internal: the order of node ${input >> 1} waits for itself`);
      }
    }
  }
  return order;
}

/**
 * The next event that `event` waits for, or -1 when all have been given. For begin(n) the
 * cursor counts the inputs given (the parent's begin first, then each `after`); for end(n) it
 * is 0 before begin(n) is given, then the position of the next child.
 */
function nextInput(tree: SettleTree, event: number, cursor: Int32Array): number {
  const n = event >> 1;
  const k = cursor[event]!;
  if ((event & 1) === 0) {
    const p = tree.parent[n]!;
    if (k === 0) {
      cursor[event] = 1;
      if (p >= 0) return 2 * p;
    }
    const waitsFor = tree.after[n]!;
    const j = cursor[event]! - 1;
    if (j >= waitsFor.length) return -1;
    cursor[event] = j + 2;
    return 2 * waitsFor[j]! + 1;
  }
  if (k === 0) {
    cursor[event] = n + 1;
    return 2 * n;
  }
  if (k >= tree.subtreeEnd[n]!) return -1;
  cursor[event] = tree.subtreeEnd[k]!;
  return 2 * k + 1;
}
