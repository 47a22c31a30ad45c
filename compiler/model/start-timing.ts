// Worst-case start timing of a resolved tree, the counterpart of compiler/model/timing.ts: a node
// begins starting once everything it (or an ancestor) needs has started; a service takes at most
// its start timeout; a supervisor has started when all its children have. Its "level" is the
// number of waits before it: 1 for what needs nothing, one more than the deepest thing it waits
// for otherwise. Used by `supervise plan`.
import type { NodeId, ResolvedApp, ResolvedNode } from "./model.ts";
import { nodeTable, type NodeTable } from "./node-table.ts";

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
  const entryOf = (id: NodeId): { node: ResolvedNode; parent: ResolvedNode | undefined } => {
    const position = table.positionOf(id);
    return { node: table.nodes[position]!, parent: table.parentAt(position) };
  };
  const begin = new Map<NodeId, { ms: number; level: number; waitedFor: NodeId | undefined }>();
  const finish = new Map<NodeId, { ms: number; level: number }>();
  // Evaluated iteratively (keys "b:id" and "f:id"), like the shutdown, for long chains of needs.
  const inputsOf = (key: string): string[] => {
    const id = key.slice(2);
    const { node, parent } = entryOf(id);
    if (key.startsWith("b:")) return [...(parent ? ["b:" + parent.id] : []), ...node.startAfter.map((d) => "f:" + d)];
    return ["b:" + id, ...(node.kind === "supervisor" ? node.children.map((c) => "f:" + c.id) : [])];
  };
  const done = (key: string): boolean => (key.startsWith("b:") ? begin : finish).has(key.slice(2));
  const stack = table.nodes.map((n) => "f:" + n.id);
  while (stack.length > 0) {
    const key = stack[stack.length - 1]!;
    if (done(key)) {
      stack.pop();
      continue;
    }
    const pending = inputsOf(key).filter((input) => !done(input));
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    const id = key.slice(2);
    const { node, parent } = entryOf(id);
    if (key.startsWith("b:")) begin.set(id, settleStartBegin(node, parent?.id, begin, finish));
    else finish.set(id, settleStartFinish(node, begin.get(id)!, finish));
  }
  const nodes = new Map<NodeId, StartNodeTiming>();
  for (const [id, b] of begin) nodes.set(id, { beginMs: b.ms, finishMs: finish.get(id)!.ms, level: b.level });
  const root = finish.get(app.root.id)!;
  return { totalMs: root.ms, nodes, criticalPath: traceStartPath(app, table, begin, finish) };
}

function settleStartBegin(
  node: ResolvedNode,
  parentId: NodeId | undefined,
  begin: ReadonlyMap<NodeId, { ms: number; level: number; waitedFor: NodeId | undefined }>,
  finish: ReadonlyMap<NodeId, { ms: number; level: number }>,
): { ms: number; level: number; waitedFor: NodeId | undefined } {
  const inherited = parentId !== undefined ? begin.get(parentId)! : { ms: 0, level: 1, waitedFor: undefined };
  let { ms, level, waitedFor } = inherited;
  for (const dep of node.startAfter) {
    const started = finish.get(dep)!;
    level = Math.max(level, started.level + 1);
    if (started.ms > ms) {
      ms = started.ms;
      waitedFor = dep;
    }
  }
  return { ms, level, waitedFor };
}

/** A service's finish carries its own level; a supervisor's, the deepest of its children's. */
function settleStartFinish(
  node: ResolvedNode,
  started: { ms: number; level: number },
  finish: ReadonlyMap<NodeId, { ms: number; level: number }>,
): { ms: number; level: number } {
  if (node.kind === "service") return { ms: started.ms + node.startTimeoutMs, level: started.level };
  const children = node.children.map((c) => finish.get(c.id)!);
  return { ms: Math.max(started.ms, ...children.map((c) => c.ms)), level: Math.max(started.level, ...children.map((c) => c.level)) };
}

/** From the service that finishes starting last, back through what each waited for. */
function traceStartPath(
  app: ResolvedApp,
  table: NodeTable,
  begin: ReadonlyMap<NodeId, { ms: number; waitedFor: NodeId | undefined }>,
  finish: ReadonlyMap<NodeId, { ms: number }>,
): NodeId[] {
  const latestService = (id: NodeId): NodeId | undefined => {
    let best: NodeId | undefined;
    const stack: ResolvedNode[] = [table.nodeOf(id)];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.kind === "service") {
        if (best === undefined || finish.get(node.id)!.ms > finish.get(best)!.ms) best = node.id;
      } else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
    return best;
  };
  const path: NodeId[] = [];
  const seen = new Set<NodeId>();
  for (let id = latestService(app.root.id); id !== undefined && !seen.has(id); ) {
    seen.add(id);
    path.unshift(id);
    const waited = begin.get(id)!.waitedFor;
    id = waited === undefined ? undefined : latestService(waited);
  }
  return path;
}
