// Worst-case start timing of a resolved tree, the counterpart of compiler/model/timing.ts: a node
// begins starting once everything it (or an ancestor) needs has started; a service takes at most
// its start timeout; a supervisor has started when all its children have. Its "level" is the
// number of waits before it: 1 for what needs nothing, one more than the deepest thing it waits
// for otherwise. Used by `supervise plan`.
import type { NodeId, ResolvedApp } from "./model.ts";
import { nodeTable, type NodeTable } from "./node-table.ts";
import type { Settlement } from "./settle.ts";

export interface StartNodeTiming {
  readonly beginMs: number;
  readonly finishMs: number;
  readonly level: number;
}

export interface StartTiming {
  readonly totalMs: number;
  readonly nodes: ReadonlyMap<NodeId, StartNodeTiming>;
  /** Service ids along the longest chain of start waits, first to start first. */
  readonly criticalPath: readonly NodeId[];
}

export function computeStartTiming(app: ResolvedApp): StartTiming {
  const table = nodeTable(app);
  const graph = table.settleGraph("startAfter");
  const { nodes } = table;
  const times = graph.settle({
    origin: 0,
    gap: 0,
    duration: (i) => {
      const node = nodes[i]!;
      return node.kind === "service" ? node.startTimeoutMs : 0;
    },
  });
  // The same settling counts waits: one more than the deepest wait, nothing taking any time.
  const levels = graph.settle({ origin: 1, gap: 1, duration: () => 0 });
  const timings = new Map<NodeId, StartNodeTiming>();
  table.ids.forEach((id, i) => timings.set(id, { beginMs: times.begin[i]!, finishMs: times.end[i]!, level: levels.begin[i]! }));
  return { totalMs: times.end[0]!, nodes: timings, criticalPath: traceStartPath(table, times) };
}

/** From the service that finishes starting last, back through what each waited for. */
function traceStartPath(table: NodeTable, times: Settlement): NodeId[] {
  const path: NodeId[] = [];
  const seen = new Uint8Array(table.size);
  for (let at = latestService(table, times, 0); at >= 0 && seen[at] === 0; ) {
    seen[at] = 1;
    path.push(table.ids[at]!);
    const waited = times.waited[at]!;
    at = waited < 0 ? -1 : latestService(table, times, waited);
  }
  return path.reverse();
}

/** The service in the subtree at `position` that finishes starting last (the first declared among equals); -1 for none. */
function latestService(table: NodeTable, times: Settlement, position: number): number {
  let best = -1;
  for (let i = position; i < table.subtreeEnd[position]!; i++) {
    if (table.nodes[i]!.kind === "service" && (best < 0 || times.end[i]! > times.end[best]!)) best = i;
  }
  return best;
}
