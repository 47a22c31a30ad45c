// Worst-case shutdown timing of a resolved tree, computed the way the runtime stops it: a node
// begins stopping once everything in its (and its ancestors') stopAfter has finished; a service
// takes at most its stop timeout, cut short by the budget of any enclosing supervisor and by
// grace. Used by the generated tests (expected exit times) and by the budget checks.
import type { NodeId, ResolvedApp, ResolvedNode, ResolvedSupervisor } from "./model.ts";

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
  readonly nodes: ReadonlyMap<NodeId, NodeTiming>;
}

interface Indexed {
  readonly node: ResolvedNode;
  readonly parent: ResolvedSupervisor | undefined;
}

export function indexNodes(app: ResolvedApp): Map<NodeId, Indexed> {
  const index = new Map<NodeId, Indexed>();
  const stack: Indexed[] = [{ node: app.root, parent: undefined }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    index.set(entry.node.id, entry);
    if (entry.node.kind === "supervisor") {
      for (const child of entry.node.children) stack.push({ node: child, parent: entry.node });
    }
  }
  return index;
}

/** Ancestors from the parent up to the root, excluding the node itself. */
export function ancestorsOf(index: ReadonlyMap<NodeId, Indexed>, id: NodeId): ResolvedSupervisor[] {
  const result: ResolvedSupervisor[] = [];
  for (let parent = index.get(id)?.parent; parent; parent = index.get(parent.id)?.parent) result.push(parent);
  return result;
}

/** Every leaf service in a subtree (the node itself when it is a service), declaration order. */
export function servicesIn(node: ResolvedNode): NodeId[] {
  const ids: NodeId[] = [];
  const stack: ResolvedNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.kind === "service") ids.push(current.id);
    else for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]!);
  }
  return ids;
}

/** Ids that must be stopped before `id` begins: its own stopAfter and its ancestors'. */
export function stopBlockers(index: ReadonlyMap<NodeId, Indexed>, id: NodeId): NodeId[] {
  const own = index.get(id)!.node.stopAfter;
  return [...own, ...ancestorsOf(index, id).flatMap((a) => a.stopAfter)];
}

export function computeShutdownTiming(app: ResolvedApp): ShutdownTiming {
  const uncapped = evaluate(app, Infinity);
  const capped = evaluate(app, app.graceMs);
  return {
    totalMs: capped.totalMs,
    uncappedMs: uncapped.totalMs,
    criticalPath: uncapped.criticalPath,
    nodes: capped.nodes,
  };
}

function evaluate(app: ResolvedApp, graceMs: number): ShutdownTiming {
  const index = indexNodes(app);
  const begin = new Map<NodeId, { ms: number; waitedFor: NodeId | undefined }>();
  const finish = new Map<NodeId, number>();
  const deadline = new Map<NodeId, number>();

  // begin(N) = max(begin(parent), finish(B) for B in N.stopAfter): the parent's begin carries the
  // ancestors' stopAfter. deadline(N) = min(begin(N) + own budget, deadline(parent), grace).
  // finish(service) = min(begin + stop timeout, deadline(parent));
  // finish(supervisor) = min(max(begin, finish(children)), deadline).
  // Evaluated iteratively: a chain of 10k services must not overflow the stack.
  const inputsOf = (key: string): string[] => {
    const id = key.slice(2);
    const { node, parent } = index.get(id)!;
    if (key.startsWith("b:")) return [...(parent ? ["b:" + parent.id] : []), ...node.stopAfter.map((b) => "f:" + b)];
    return ["b:" + id, ...(node.kind === "supervisor" ? node.children.map((c) => "f:" + c.id) : [])];
  };
  const done = (key: string): boolean => (key.startsWith("b:") ? begin.has(key.slice(2)) : finish.has(key.slice(2)));
  const stack: string[] = [...index.keys()].map((id) => "f:" + id);
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
    if (key.startsWith("b:")) settleBegin(index, id, begin, finish, deadline, graceMs);
    else finish.set(id, computeFinish(index, id, begin, finish, deadline));
  }

  const nodes = new Map<NodeId, NodeTiming>();
  for (const [id, b] of begin) nodes.set(id, { beginMs: b.ms, finishMs: finish.get(id)!, waitedFor: b.waitedFor });
  let last: NodeId | undefined;
  for (const id of servicesIn(app.root)) if (last === undefined || nodes.get(id)!.finishMs > nodes.get(last)!.finishMs) last = id;
  const totalMs = last === undefined ? 0 : nodes.get(last)!.finishMs;
  return { totalMs, uncappedMs: totalMs, criticalPath: traceCriticalPath(nodes, index, last), nodes };
}

function settleBegin(
  index: ReadonlyMap<NodeId, Indexed>,
  id: NodeId,
  begin: Map<NodeId, { ms: number; waitedFor: NodeId | undefined }>,
  finish: ReadonlyMap<NodeId, number>,
  deadline: Map<NodeId, number>,
  graceMs: number,
): void {
  const { node, parent } = index.get(id)!;
  let ms = parent ? begin.get(parent.id)!.ms : 0;
  let waitedFor = parent ? begin.get(parent.id)!.waitedFor : undefined;
  for (const blocker of node.stopAfter) {
    const blockerDone = finish.get(blocker)!;
    if (blockerDone > ms) {
      ms = blockerDone;
      waitedFor = blocker;
    }
  }
  begin.set(id, { ms, waitedFor });
  const own = node.kind === "supervisor" ? ms + node.stopTimeoutMs : Infinity;
  deadline.set(id, Math.min(own, parent ? deadline.get(parent.id)! : graceMs));
}

function computeFinish(
  index: ReadonlyMap<NodeId, Indexed>,
  id: NodeId,
  begin: ReadonlyMap<NodeId, { ms: number }>,
  finish: ReadonlyMap<NodeId, number>,
  deadline: ReadonlyMap<NodeId, number>,
): number {
  const { node } = index.get(id)!;
  const start = begin.get(id)!.ms;
  if (node.kind === "service") return Math.min(start + node.stopTimeoutMs, deadline.get(id)!);
  const childrenDone = Math.max(start, ...node.children.map((c) => finish.get(c.id)!));
  return Math.min(childrenDone, deadline.get(id)!);
}

function traceCriticalPath(
  nodes: ReadonlyMap<NodeId, NodeTiming>,
  index: ReadonlyMap<NodeId, Indexed>,
  last: NodeId | undefined,
): NodeId[] {
  const path: NodeId[] = [];
  const seen = new Set<NodeId>();
  for (let id = last; id !== undefined && !seen.has(id); ) {
    seen.add(id);
    if (index.get(id)!.node.kind === "service") path.unshift(id);
    const waited = nodes.get(id)!.waitedFor;
    // A blocker that is a supervisor: continue from its slowest service.
    id = waited === undefined ? undefined : slowestService(nodes, index, waited);
  }
  return path;
}

function slowestService(nodes: ReadonlyMap<NodeId, NodeTiming>, index: ReadonlyMap<NodeId, Indexed>, id: NodeId): NodeId {
  const services = servicesIn(index.get(id)!.node);
  let best = services[0] ?? id;
  for (const s of services) if (nodes.get(s)!.finishMs > nodes.get(best)!.finishMs) best = s;
  return best;
}
