// Worst-case shutdown timing of a resolved tree, computed the way the runtime stops it: a node
// begins stopping once everything in its (and its ancestors') stopAfter has finished; a service
// takes at most its stop timeout, cut short by the budget of any enclosing supervisor and by
// grace. Used by the generated tests (expected exit times), by the budget checks and by
// `supervise plan`; compiler/model/timing-paths.ts explains the figures as chains of steps.
import type { NodeId, ResolvedApp } from "./model.ts";
import { nodeTable, type NodeTable } from "./node-table.ts";
import type { Settlement } from "./settle.ts";

export interface ShutdownTiming {
  /** When the last service is done (or abandoned) after the first signal, capped by grace. */
  readonly totalMs: number;
  /** The evaluation behind the figure, capped by the grace. */
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
    /**
     * By position: `waited` is the blocker whose finish decided when the node began, and
     * `deadlineOwner` the supervisor whose own stop timeout sets the node's deadline (for a
     * service: its parent's), -1 when only the grace bounds it.
     */
    private readonly settled: Settlement,
    /** The service that finishes last (the first declared among equals), if any. */
    readonly last: NodeId | undefined,
    readonly totalMs: number,
  ) {}

  beginMs(id: NodeId): number {
    return this.settled.begin[this.table.positionOf(id)]!;
  }

  finishMs(id: NodeId): number {
    return this.settled.end[this.table.positionOf(id)]!;
  }

  beginAt(position: number): number {
    return this.settled.begin[position]!;
  }

  finishAt(position: number): number {
    return this.settled.end[position]!;
  }

  /** The blocker whose finish decided when the node began, if any. */
  waitedFor(id: NodeId): NodeId | undefined {
    return this.idAt(this.settled.waited[this.table.positionOf(id)]!);
  }

  /** The supervisor whose own stop timeout sets the node's deadline; undefined when only the grace does. */
  deadlineOwner(id: NodeId): NodeId | undefined {
    return this.idAt(this.settled.deadlineOwner[this.table.positionOf(id)]!);
  }

  isCut(id: NodeId): boolean {
    return this.settled.cut[this.table.positionOf(id)] === 1;
  }

  /** The nodes cut short by a deadline, in declaration order. */
  cutNodes(): NodeId[] {
    const { cut } = this.settled;
    const ids: NodeId[] = [];
    for (let i = 0; i < cut.length; i++) if (cut[i] === 1) ids.push(this.table.ids[i]!);
    return ids;
  }

  private idAt(position: number): NodeId | undefined {
    return position < 0 ? undefined : this.table.ids[position]!;
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

/**
 * The worst case under the grace, computed once per app (the generated contract reads it). Times
 * count from the start of the stop; a drain before it takes its part of the grace.
 */
export function computeShutdownTiming(app: ResolvedApp): ShutdownTiming {
  let timing = timingCache.get(app);
  if (timing === undefined) {
    const capped = evaluateShutdown(app, { graceMs: app.graceMs - app.drainMs });
    timing = { totalMs: capped.totalMs, capped };
    timingCache.set(app, timing);
  }
  return timing;
}

/**
 * Settled as compiler/model/settle.ts describes: a node begins once its parent has begun and its
 * stopAfter have finished; a service takes its stop timeout; a supervisor's own deadline is its
 * begin plus its stop timeout, unless lifted; the grace bounds everything.
 */
export function evaluateShutdown(app: ResolvedApp, options: EvaluateOptions): ShutdownEvaluation {
  const table = nodeTable(app);
  const { nodes } = table;
  const lifted = new Uint8Array(table.size);
  for (const id of options.lifted ?? []) lifted[table.positionOf(id)] = 1;
  const settled = table.settleGraph("stopAfter").settle({
    origin: 0,
    gap: 0,
    outerDeadline: options.graceMs,
    duration: (i) => {
      const node = nodes[i]!;
      return node.kind === "service" ? node.stopTimeoutMs : 0;
    },
    ownDeadline: (i, begin) => {
      const node = nodes[i]!;
      return node.kind === "supervisor" && lifted[i] === 0 ? begin + node.stopTimeoutMs : Infinity;
    },
  });
  const { end } = settled;
  let last = -1;
  for (let i = 0; i < nodes.length; i++) if (nodes[i]!.kind === "service" && (last < 0 || end[i]! > end[last]!)) last = i;
  const totalMs = last < 0 ? 0 : end[last]!;
  return new ShutdownEvaluation(table, settled, last < 0 ? undefined : nodes[last]!.id, totalMs);
}
