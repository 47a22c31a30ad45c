// Worst-case shutdown timing of a resolved tree, computed the way the runtime stops it: a node
// begins stopping once everything in its (and its ancestors') stopAfter has finished; a service
// takes at most its stop timeout, cut short by the budget of any enclosing supervisor and by
// grace. Used by the generated tests (expected exit times), by the budget checks and by
// `supervise plan`; compiler/timing-paths.ts explains the figures as chains of steps.
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

export interface Indexed {
  readonly node: ResolvedNode;
  readonly parent: ResolvedSupervisor | undefined;
}

const indexCache = new WeakMap<ResolvedSupervisor, ReadonlyMap<NodeId, Indexed>>();

/** Every node by id with its parent; built once per tree, the timing, contract and checks share it. */
export function indexNodes(app: ResolvedApp): ReadonlyMap<NodeId, Indexed> {
  let index = indexCache.get(app.root);
  if (index === undefined) {
    index = buildIndex(app);
    indexCache.set(app.root, index);
  }
  return index;
}

function buildIndex(app: ResolvedApp): Map<NodeId, Indexed> {
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

/** Every node in declaration order (preorder), the root first. */
export function nodesInOrder(app: ResolvedApp): ResolvedNode[] {
  const nodes: ResolvedNode[] = [];
  const stack: ResolvedNode[] = [app.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node);
    if (node.kind === "supervisor") for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return nodes;
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

export interface EvaluateOptions {
  /** The cap on everything (the app's grace); Infinity for the uncapped worst case. */
  readonly graceMs: number;
  /** Supervisors whose own stop timeout is ignored (the root's is the grace). */
  readonly lifted?: ReadonlySet<NodeId>;
}

/** Every node's worst-case begin and finish, and which budget bounded it. */
export interface ShutdownEvaluation {
  readonly index: ReadonlyMap<NodeId, Indexed>;
  readonly begin: ReadonlyMap<NodeId, { readonly ms: number; readonly waitedFor: NodeId | undefined }>;
  readonly finish: ReadonlyMap<NodeId, number>;
  /**
   * The supervisor whose own stop timeout sets the node's deadline (for a service: its parent's
   * deadline); undefined when only the grace bounds it.
   */
  readonly deadlineOwner: ReadonlyMap<NodeId, NodeId | undefined>;
  /** Nodes that would have taken longer than their deadline allowed. */
  readonly cut: ReadonlySet<NodeId>;
  /** The service that finishes last (the first declared among equals), if any. */
  readonly last: NodeId | undefined;
  readonly totalMs: number;
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
  const nodes = new Map<NodeId, NodeTiming>();
  for (const [id, b] of capped.begin) nodes.set(id, { beginMs: b.ms, finishMs: capped.finish.get(id)!, waitedFor: b.waitedFor });
  return {
    totalMs: capped.totalMs,
    uncappedMs: uncapped.totalMs,
    criticalPath: traceCriticalPath(uncapped),
    nodes,
  };
}

export function evaluateShutdown(app: ResolvedApp, options: EvaluateOptions): ShutdownEvaluation {
  const index = indexNodes(app);
  const lifted = options.lifted ?? new Set<NodeId>();
  const begin = new Map<NodeId, { ms: number; waitedFor: NodeId | undefined }>();
  const finish = new Map<NodeId, number>();
  const deadline = new Map<NodeId, number>();
  const deadlineOwner = new Map<NodeId, NodeId | undefined>();
  const cut = new Set<NodeId>();

  // begin(N) = max(begin(parent), finish(B) for B in N.stopAfter): the parent's begin carries the
  // ancestors' stopAfter. deadline(N) = min(begin(N) + own budget, deadline(parent), grace).
  // finish(service) = min(begin + stop timeout, deadline(parent));
  // finish(supervisor) = min(max(begin, finish(children)), deadline).
  // Evaluated iteratively: a chain of 10k services must not overflow the stack. A step is a
  // number, 2·i for begin(node i) and 2·i + 1 for finish(node i), over the index's order.
  const entries = [...index.values()];
  const position = new Map<NodeId, number>();
  entries.forEach((entry, i) => position.set(entry.node.id, i));
  const finishStep = (id: NodeId): number => 2 * position.get(id)! + 1;
  const done = new Uint8Array(2 * entries.length);
  const inputsOf = (step: number): number[] => {
    const { node, parent } = entries[step >> 1]!;
    const inputs: number[] = [];
    if ((step & 1) === 0) {
      if (parent) inputs.push(2 * position.get(parent.id)!);
      for (const b of node.stopAfter) inputs.push(finishStep(b));
    } else {
      inputs.push(step - 1);
      if (node.kind === "supervisor") for (const c of node.children) inputs.push(finishStep(c.id));
    }
    return inputs;
  };
  const stack: number[] = entries.map((_, i) => 2 * i + 1);
  while (stack.length > 0) {
    const step = stack[stack.length - 1]!;
    if (done[step] === 1) {
      stack.pop();
      continue;
    }
    let pending = false;
    for (const input of inputsOf(step)) {
      if (done[input] === 0) {
        stack.push(input);
        pending = true;
      }
    }
    if (pending) continue;
    stack.pop();
    done[step] = 1;
    const { node, parent } = entries[step >> 1]!;
    const id = node.id;
    if ((step & 1) === 0) {
      const settled = settleBegin(node, parent, begin, finish);
      begin.set(id, settled);
      // The inner budget explains a deadline it shares with an outer one: it is the closer fix.
      const outer = parent ? deadline.get(parent.id)! : options.graceMs;
      const own = node.kind === "supervisor" && !lifted.has(id) ? settled.ms + node.stopTimeoutMs : Infinity;
      deadline.set(id, Math.min(own, outer));
      deadlineOwner.set(id, own <= outer && own !== Infinity ? id : parent ? deadlineOwner.get(parent.id) : undefined);
    } else {
      const start = begin.get(id)!.ms;
      const wanted = node.kind === "service" ? start + node.stopTimeoutMs : Math.max(start, ...node.children.map((c) => finish.get(c.id)!));
      const limit = deadline.get(id)!;
      if (wanted > limit) cut.add(id);
      finish.set(id, Math.min(wanted, limit));
    }
  }

  let last: NodeId | undefined;
  for (const id of servicesIn(app.root)) if (last === undefined || finish.get(id)! > finish.get(last)!) last = id;
  const totalMs = last === undefined ? 0 : finish.get(last)!;
  return { index, begin, finish, deadlineOwner, cut, last, totalMs };
}

function settleBegin(
  node: ResolvedNode,
  parent: ResolvedSupervisor | undefined,
  begin: ReadonlyMap<NodeId, { ms: number; waitedFor: NodeId | undefined }>,
  finish: ReadonlyMap<NodeId, number>,
): { ms: number; waitedFor: NodeId | undefined } {
  let ms = parent ? begin.get(parent.id)!.ms : 0;
  let waitedFor = parent ? begin.get(parent.id)!.waitedFor : undefined;
  for (const blocker of node.stopAfter) {
    const blockerDone = finish.get(blocker)!;
    if (blockerDone > ms) {
      ms = blockerDone;
      waitedFor = blocker;
    }
  }
  return { ms, waitedFor };
}

/** Service ids from the first to stop to the last, along the longest chain of waits. */
function traceCriticalPath(evaluation: ShutdownEvaluation): NodeId[] {
  const { index, begin } = evaluation;
  const path: NodeId[] = [];
  const seen = new Set<NodeId>();
  for (let id = evaluation.last; id !== undefined && !seen.has(id); ) {
    seen.add(id);
    if (index.get(id)!.node.kind === "service") path.unshift(id);
    const waited = begin.get(id)!.waitedFor;
    // A blocker that is a supervisor: continue from its slowest service.
    id = waited === undefined ? undefined : slowestService(evaluation, waited);
  }
  return path;
}

function slowestService(evaluation: ShutdownEvaluation, id: NodeId): NodeId {
  const services = servicesIn(evaluation.index.get(id)!.node);
  let best = services[0] ?? id;
  for (const s of services) if (evaluation.finish.get(s)! > evaluation.finish.get(best)!) best = s;
  return best;
}
