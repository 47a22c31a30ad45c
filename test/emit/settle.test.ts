import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SettleGraph, type SettleRules, type SettleTree } from "../../compiler/model/settle.ts";

/** A tree from each node's parent (preorder positions, the root at 0) and each node's `after`. */
function treeOf(parents: readonly number[], after: readonly (readonly number[])[] = []): SettleTree {
  const subtreeEnd = new Int32Array(parents.length);
  for (let i = parents.length - 1; i >= 0; i--) {
    subtreeEnd[i] = Math.max(subtreeEnd[i]!, i + 1);
    const p = parents[i]!;
    if (p >= 0) subtreeEnd[p] = Math.max(subtreeEnd[p]!, subtreeEnd[i]!);
  }
  return { parent: Int32Array.from(parents), subtreeEnd, after: parents.map((_, i) => after[i] ?? []) };
}

/** Times: each node takes durations[i] (0 when not given). */
function timesOf(durations: readonly number[], extra: Partial<SettleRules> = {}): SettleRules {
  return { origin: 0, gap: 0, duration: (i) => durations[i] ?? 0, ...extra };
}

/** A root (0) holding `count` services at 1..count. */
const flat = (count: number): number[] => [-1, ...Array.from({ length: count }, () => 0)];

const settle = suite("settle");

settle("a chain: each begins when the one before has ended", () => {
  const graph = new SettleGraph(treeOf(flat(3), [[], [], [1], [2]]));
  const s = graph.settle(timesOf([0, 10, 20, 5]));
  assert.equal([...s.begin], [0, 0, 10, 30]);
  assert.equal([...s.end], [35, 10, 30, 35]);
  assert.equal([...s.waited], [-1, -1, 1, 2]);
});

settle("a diamond: the later of two waits decides, the first listed among equals", () => {
  const tree = treeOf(flat(4), [[], [], [1], [1], [3, 2]]);
  const graph = new SettleGraph(tree);
  const later = graph.settle(timesOf([0, 10, 5, 7, 1]));
  assert.is(later.begin[4], 17);
  assert.is(later.waited[4], 3);
  const equal = graph.settle(timesOf([0, 10, 7, 7, 1]));
  assert.is(equal.begin[4], 17);
  assert.is(equal.waited[4], 3, "listed first");
});

settle("a DAG through supervisors: children inherit the parent's begin, a supervisor ends with its last child", () => {
  // 0 root; 1 db; 2 workers { 3 mailer, 4 indexer after 5 }; 5 cache after 1; 6 api after 2
  const graph = new SettleGraph(treeOf([-1, 0, 0, 2, 2, 0, 0], [[], [], [1], [], [5], [1], [2]]));
  const s = graph.settle(timesOf([0, 10, 0, 4, 6, 2, 3]));
  assert.equal([...s.begin], [0, 0, 10, 10, 12, 10, 18]);
  assert.equal([...s.end], [21, 10, 18, 14, 18, 12, 21]);
  // The mailer waited for what its supervisor waited for; the indexer for the cache.
  assert.equal([...s.waited], [-1, -1, 1, 1, 5, 1, 2]);
});

settle("with a gap and an origin it counts waits rather than time", () => {
  const graph = new SettleGraph(treeOf([-1, 0, 0, 2, 0], [[], [], [1], [], [3, 1]]));
  const levels = graph.settle({ origin: 1, gap: 1, duration: () => 0 });
  assert.equal([...levels.begin], [1, 1, 2, 2, 3]);
  assert.equal([...levels.end], [3, 1, 2, 2, 3]);
});

settle("infinite durations: infinite ends, unless a deadline cuts them", () => {
  const graph = new SettleGraph(treeOf([-1, 0, 1, 0], [[], [], [], [1]]));
  const open = graph.settle(timesOf([0, 0, Infinity, 5]));
  assert.equal([...open.end], [Infinity, Infinity, Infinity, Infinity]);
  assert.is(open.begin[3], Infinity);
  assert.equal([...open.cut], [0, 0, 0, 0], "no deadline, nothing cut");
  const bounded = graph.settle(timesOf([0, 0, Infinity, 5], { ownDeadline: (i, begin) => (i === 1 ? begin + 30 : Infinity) }));
  assert.equal([...bounded.end], [35, 30, 30, 35]);
  assert.equal([...bounded.cut], [0, 0, 1, 0], "the supervisor ends at its deadline, it is not cut");
  assert.equal([...bounded.deadlineOwner], [-1, 1, 1, -1]);
});

settle("deadlines: inherited down the tree, the inner one owns a tie, the outer one belongs to nobody", () => {
  // 0 root { 1 sup { 2 svc 50 }, 3 svc 50 after 1 }; the grace is 40.
  const graph = new SettleGraph(treeOf([-1, 0, 1, 0], [[], [], [], [1]]));
  const own = (budget: number) => (i: number, begin: number) => (i === 1 ? begin + budget : Infinity);
  const inner = graph.settle(timesOf([0, 0, 50, 50], { outerDeadline: 40, ownDeadline: own(20) }));
  assert.equal([...inner.end], [40, 20, 20, 40]);
  assert.equal([...inner.deadlineOwner], [-1, 1, 1, -1]);
  assert.equal([...inner.cut], [0, 0, 1, 1]);
  const tie = graph.settle(timesOf([0, 0, 50, 50], { outerDeadline: 40, ownDeadline: own(40) }));
  assert.equal([...tie.deadlineOwner], [-1, 1, 1, -1]);
  const outer = graph.settle(timesOf([0, 0, 50, 50], { outerDeadline: 40, ownDeadline: own(60) }));
  assert.equal([...outer.deadlineOwner], [-1, -1, -1, -1]);
  assert.equal([...outer.end], [40, 40, 40, 40]);
});

/**
 * The formulas of compiler/model/settle.ts read literally, recursively: for small trees only.
 * Undefined when a begin waits, through whatever, for itself.
 */
function settleByDefinition(tree: SettleTree, rules: SettleRules): { begin: number[]; end: number[] } | undefined {
  const { parent, subtreeEnd, after } = tree;
  const begin = new Map<number, number>();
  const end = new Map<number, number>();
  const deadline = new Map<number, number>();
  const open = new Set<number>();
  const beginOf = (n: number): number => {
    if (!begin.has(n)) {
      if (open.has(n)) throw new Error("cycle");
      open.add(n);
      const waits = Array.from(after[n]!, (a) => endOf(a) + rules.gap);
      begin.set(n, Math.max(parent[n]! >= 0 ? beginOf(parent[n]!) : rules.origin, ...waits));
      open.delete(n);
    }
    return begin.get(n)!;
  };
  const deadlineOf = (n: number): number => {
    if (!deadline.has(n)) {
      const outer = parent[n]! >= 0 ? deadlineOf(parent[n]!) : (rules.outerDeadline ?? Infinity);
      deadline.set(n, Math.min(rules.ownDeadline?.(n, beginOf(n)) ?? Infinity, outer));
    }
    return deadline.get(n)!;
  };
  const endOf = (n: number): number => {
    if (!end.has(n)) {
      const children: number[] = [];
      for (let c = n + 1; c < subtreeEnd[n]!; c = subtreeEnd[c]!) children.push(endOf(c));
      end.set(n, Math.min(Math.max(beginOf(n) + rules.duration(n), ...children), deadlineOf(n)));
    }
    return end.get(n)!;
  };
  try {
    return { begin: Array.from(parent, (_, n) => beginOf(n)), end: Array.from(parent, (_, n) => endOf(n)) };
  } catch {
    return undefined;
  }
}

settle("settles random trees as the definition says, and refuses those with a cycle", () => {
  let seed = 7;
  const random = (below: number): number => ((seed = (seed * 48271) % 2147483647) % below);
  const durations = [0, 1, 2, 5, 10, Infinity];
  let cycles = 0;
  for (let round = 0; round < 400; round++) {
    const size = 1 + random(12);
    // Preorder: a node's parent is the node before it or one of that node's ancestors.
    const parents = [-1];
    for (let n = 1; n < size; n++) {
      const path: number[] = [];
      for (let a = n - 1; a >= 0; a = parents[a]!) path.push(a);
      parents.push(path[random(path.length)]!);
    }
    // Waits for any other node: those that close a cycle must be refused, the others settled.
    const after = parents.map((_, n) => Array.from({ length: size > 1 ? random(3) : 0 }, () => (n + 1 + random(size - 1)) % size));
    const shaped = treeOf(parents, after);
    const taken = parents.map(() => durations[random(durations.length)]!);
    const budgets = parents.map(() => (random(3) === 0 ? durations[random(durations.length)]! : undefined));
    const rules: SettleRules = {
      origin: random(2),
      gap: random(2),
      outerDeadline: random(2) === 0 ? Infinity : 1 + random(20),
      duration: (n) => taken[n]!,
      ownDeadline: (n, begin) => (budgets[n] === undefined ? Infinity : begin + budgets[n]!),
    };
    const expected = settleByDefinition(shaped, rules);
    if (expected === undefined) {
      assert.throws(() => new SettleGraph(shaped), /waits for itself/, `round ${round}`);
      cycles++;
      continue;
    }
    const settled = new SettleGraph(shaped).settle(rules);
    assert.equal([...settled.begin], expected.begin, `round ${round}`);
    assert.equal([...settled.end], expected.end, `round ${round}`);
  }
  assert.ok(cycles > 20 && cycles < 380, `both kinds of trees were tried (${cycles} with a cycle)`);
});

settle("a wait that closes a cycle is an internal error, not a hang", () => {
  assert.throws(() => new SettleGraph(treeOf(flat(2), [[], [2], [1]])), /waits for itself/);
  assert.throws(() => new SettleGraph(treeOf([-1, 0, 1], [[], [], [1]])), /waits for itself/, "a node waiting for its parent's end");
});

settle("100k nodes in a chain of waits, or nested 100k deep, settle without recursion", () => {
  const size = 100_000;
  const chain = new SettleGraph(treeOf(flat(size), [[], [], ...Array.from({ length: size - 1 }, (_, k) => [k + 1])]));
  const waits = chain.settle(timesOf(Array.from({ length: size + 1 }, (_, i) => (i === 0 ? 0 : 2))));
  assert.is(waits.end[0], 2 * size);
  assert.is(waits.waited[size], size - 1);
  const nested = new SettleGraph(treeOf(Array.from({ length: size }, (_, i) => i - 1)));
  const deep = nested.settle(timesOf(Array.from({ length: size }, (_, i) => (i === size - 1 ? 7 : 0))));
  assert.is(deep.end[0], 7);
});

settle.run();
