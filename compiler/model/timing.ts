// Worst-case shutdown timing of a resolved tree, computed the way the runtime stops it: a node
// begins stopping once everything in its (and its ancestors') stopAfter has finished; a service
// takes at most its stop timeout, cut short by the budget of any enclosing supervisor and by
// grace. Used by the generated tests (expected exit times), by the budget checks and by
// `supervise plan`; compiler/model/timing-paths.ts explains the figures as chains of steps.
import type { NodeId, ResolvedApp } from "./model.ts";
import { nodeTable, type NodeTable } from "./node-table.ts";

export interface NodeTiming {
  readonly beginMs: number;
  readonly finishMs: number;
  /** The blocker whose finish decided when this node began, if any. */
  readonly waitedFor: NodeId | undefined;
}

export interface ShutdownTiming {
  /** When the last service is done (or abandoned) after the first signal, capped by grace. */
  readonly totalMs: number;
  /** Uncapped worst case: what the tree would need without the grace budget. */
  readonly uncappedMs: number;
  /** Service ids from the first to stop to the last, along the longest chain of waits. */
  readonly criticalPath: readonly NodeId[];
  /** Every node's timing under the grace; built on first read (the contract reads `capped`). */
  readonly nodes: ReadonlyMap<NodeId, NodeTiming>;
  /** The evaluation behind the figures, capped by the grace. */
  readonly capped: ShutdownEvaluation;
}

export interface EvaluateOptions {
  /** The cap on everything (the app's grace); Infinity for the uncapped worst case. */
  readonly graceMs: number;
  /** Supervisors whose own stop timeout is ignored (the root's is the grace). */
  readonly lifted?: ReadonlySet<NodeId>;
}

/**
 * Every node's worst-case begin and finish, and which budget bounded it. The figures are kept
 * by table position, in typed arrays (one evaluation covers every node of a large tree); the
 * methods answer by id.
 */
export class ShutdownEvaluation {
  constructor(
    readonly table: NodeTable,
    private readonly begin: Float64Array,
    private readonly finish: Float64Array,
    /** The position of the blocker whose finish decided when the node began; -1 for none. */
    private readonly waited: Int32Array,
    /**
     * The position of the supervisor whose own stop timeout sets the node's deadline (for a
     * service: its parent's deadline); -1 when only the grace bounds it.
     */
    private readonly owner: Int32Array,
    /** 1 for nodes that would have taken longer than their deadline allowed. */
    private readonly cut: Uint8Array,
    /** The service that finishes last (the first declared among equals), if any. */
    readonly last: NodeId | undefined,
    readonly totalMs: number,
  ) {}

  beginMs(id: NodeId): number {
    return this.begin[this.table.positionOf(id)]!;
  }

  finishMs(id: NodeId): number {
    return this.finish[this.table.positionOf(id)]!;
  }

  beginAt(position: number): number {
    return this.begin[position]!;
  }

  finishAt(position: number): number {
    return this.finish[position]!;
  }

  /** The blocker whose finish decided when the node began, if any. */
  waitedFor(id: NodeId): NodeId | undefined {
    return this.idAt(this.waited[this.table.positionOf(id)]!);
  }

  /** The supervisor whose own stop timeout sets the node's deadline; undefined when only the grace does. */
  deadlineOwner(id: NodeId): NodeId | undefined {
    return this.idAt(this.owner[this.table.positionOf(id)]!);
  }

  isCut(id: NodeId): boolean {
    return this.cut[this.table.positionOf(id)] === 1;
  }

  /** The nodes cut short by a deadline, in declaration order. */
  cutNodes(): NodeId[] {
    const ids: NodeId[] = [];
    for (let i = 0; i < this.cut.length; i++) if (this.cut[i] === 1) ids.push(this.table.nodes[i]!.id);
    return ids;
  }

  private idAt(position: number): NodeId | undefined {
    return position < 0 ? undefined : this.table.nodes[position]!.id;
  }
}

const timingCache = new WeakMap<ResolvedApp, ShutdownTiming>();
const uncappedCache = new WeakMap<ResolvedApp, ShutdownEvaluation>();

/** The worst case without the grace (the root's budget is the grace), evaluated once per app. */
export function evaluateUncapped(app: ResolvedApp): ShutdownEvaluation {
  let evaluation = uncappedCache.get(app);
  if (evaluation === undefined) {
    evaluation = evaluateShutdown(app, { graceMs: Infinity, lifted: new Set([app.root.id]) });
    uncappedCache.set(app, evaluation);
  }
  return evaluation;
}

/** Computed once per app: the checks, the contract and `supervise plan` share it. */
export function computeShutdownTiming(app: ResolvedApp): ShutdownTiming {
  let timing = timingCache.get(app);
  if (timing === undefined) {
    timing = evaluateTiming(app);
    timingCache.set(app, timing);
  }
  return timing;
}

function evaluateTiming(app: ResolvedApp): ShutdownTiming {
  const uncapped = evaluateUncapped(app);
  const capped = evaluateShutdown(app, { graceMs: app.graceMs });
  let nodes: Map<NodeId, NodeTiming> | undefined;
  return {
    totalMs: capped.totalMs,
    uncappedMs: uncapped.totalMs,
    criticalPath: traceCriticalPath(uncapped),
    capped,
    // An entry per node, built only for a reader that wants them all (`supervise plan`).
    get nodes() {
      return (nodes ??= new Map(
        capped.table.nodes.map((n) => [n.id, { beginMs: capped.beginMs(n.id), finishMs: capped.finishMs(n.id), waitedFor: capped.waitedFor(n.id) }]),
      ));
    },
  };
}

/**
 * begin(N) = max(begin(parent), finish(B) for B in N.stopAfter): the parent's begin carries the
 * ancestors' stopAfter. deadline(N) = min(begin(N) + own budget, deadline(parent), grace).
 * finish(service) = min(begin + stop timeout, deadline(parent));
 * finish(supervisor) = min(max(begin, finish(children)), deadline).
 */
export function evaluateShutdown(app: ResolvedApp, options: EvaluateOptions): ShutdownEvaluation {
  const table = nodeTable(app);
  const { nodes, parent, subtreeEnd } = table;
  const stopAfter = table.orderPositions("stopAfter");
  const count = nodes.length;
  const lifted = new Uint8Array(count);
  for (const id of options.lifted ?? []) lifted[table.positionOf(id)] = 1;
  const begin = new Float64Array(count);
  const finish = new Float64Array(count);
  const deadline = new Float64Array(count);
  const waited = new Int32Array(count).fill(-1);
  const owner = new Int32Array(count).fill(-1);
  const cut = new Uint8Array(count);

  const settleBegin = (i: number): void => {
    const p = parent[i]!;
    let ms = p >= 0 ? begin[p]! : 0;
    let waitedFor = p >= 0 ? waited[p]! : -1;
    for (const b of stopAfter[i]!) {
      if (finish[b]! > ms) {
        ms = finish[b]!;
        waitedFor = b;
      }
    }
    begin[i] = ms;
    waited[i] = waitedFor;
    // The inner budget explains a deadline it shares with an outer one: it is the closer fix.
    const node = nodes[i]!;
    const outer = p >= 0 ? deadline[p]! : options.graceMs;
    const own = node.kind === "supervisor" && lifted[i] === 0 ? ms + node.stopTimeoutMs : Infinity;
    deadline[i] = Math.min(own, outer);
    owner[i] = own <= outer && own !== Infinity ? i : p >= 0 ? owner[p]! : -1;
  };
  const settleFinish = (i: number): void => {
    const node = nodes[i]!;
    let wanted = begin[i]!;
    if (node.kind === "service") wanted += node.stopTimeoutMs;
    else for (let c = i + 1; c < subtreeEnd[i]!; c = subtreeEnd[c]!) wanted = Math.max(wanted, finish[c]!);
    if (wanted > deadline[i]!) cut[i] = 1;
    finish[i] = Math.min(wanted, deadline[i]!);
  };
  settleInDependencyOrder(table, settleBegin, settleFinish);

  let last = -1;
  for (let i = 0; i < count; i++) if (nodes[i]!.kind === "service" && (last < 0 || finish[i]! > finish[last]!)) last = i;
  const totalMs = last < 0 ? 0 : finish[last]!;
  return new ShutdownEvaluation(table, begin, finish, waited, owner, cut, last < 0 ? undefined : nodes[last]!.id, totalMs);
}

/**
 * Calls `settleBegin(i)` once the begin of i's parent and the finishes of i's stopAfter are
 * settled, and `settleFinish(i)` once i's begin and its children's finishes are. Iterative: a
 * chain of 10k services must not overflow the stack. A step is a number, 2·i for begin(i) and
 * 2·i + 1 for finish(i).
 */
function settleInDependencyOrder(table: NodeTable, settleBegin: (i: number) => void, settleFinish: (i: number) => void): void {
  const { parent, subtreeEnd } = table;
  const stopAfter = table.orderPositions("stopAfter");
  const done = new Uint8Array(2 * table.size);
  const stack: number[] = [];
  for (let i = 0; i < table.size; i++) stack.push(2 * i + 1);
  const pushIfPending = (input: number): void => {
    if (done[input] === 0) stack.push(input);
  };
  while (stack.length > 0) {
    const step = stack[stack.length - 1]!;
    if (done[step] === 1) {
      stack.pop();
      continue;
    }
    const i = step >> 1;
    const height = stack.length;
    if ((step & 1) === 0) {
      if (parent[i]! >= 0) pushIfPending(2 * parent[i]!);
      for (const b of stopAfter[i]!) pushIfPending(2 * b + 1);
    } else {
      pushIfPending(step - 1);
      for (let c = i + 1; c < subtreeEnd[i]!; c = subtreeEnd[c]!) pushIfPending(2 * c + 1);
    }
    if (stack.length > height) continue;
    stack.pop();
    done[step] = 1;
    if ((step & 1) === 0) settleBegin(i);
    else settleFinish(i);
  }
}

/** Service ids from the first to stop to the last, along the longest chain of waits. */
function traceCriticalPath(evaluation: ShutdownEvaluation): NodeId[] {
  const { table } = evaluation;
  const path: NodeId[] = [];
  const seen = new Set<NodeId>();
  for (let id = evaluation.last; id !== undefined && !seen.has(id); ) {
    seen.add(id);
    if (table.nodeOf(id).kind === "service") path.unshift(id);
    const waited = evaluation.waitedFor(id);
    // A blocker that is a supervisor: continue from its slowest service.
    id = waited === undefined ? undefined : slowestService(evaluation, waited);
  }
  return path;
}

function slowestService(evaluation: ShutdownEvaluation, id: NodeId): NodeId {
  const services = evaluation.table.servicesIn(evaluation.table.positionOf(id));
  let best = services[0]?.id ?? id;
  for (const s of services) if (evaluation.finishMs(s.id) > evaluation.finishMs(best)) best = s.id;
  return best;
}
