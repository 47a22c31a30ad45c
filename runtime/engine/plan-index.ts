// Turns the plan (plain data from generated code) into linked nodes the engine works on, and
// validates it. The compiler already guarantees all of this; the checks are here because a plan
// can be written by hand, and a malformed one must fail with a clear message before anything
// starts rather than deadlock halfway through a shutdown.
import { NO_NODES, NodeRt } from "./node-state.ts";
import { RESTART_POLICIES, STRATEGIES, type AppPlan, type NodePlan } from "../api/plan.ts";
import { checkSignalName } from "../host/signals.ts";
import { checkBackoff } from "./backoff.ts";
import type { StartFn } from "../api/types.ts";
import { checkOrderGraphs } from "./dependency-run.ts";
import { bindReloads, inheritDeps, type Reloads } from "./plan-links.ts";

/** The start function of every service, keyed by service id. */
export type Bindings = Readonly<Record<string, StartFn<any, unknown>>>;

export { NodeRt } from "./node-state.ts";

export interface PlanIndex {
  readonly plan: AppPlan;
  readonly root: NodeRt;
  /** Declaration order (pre-order): a parent comes before its children. */
  readonly nodes: readonly NodeRt[];
  readonly services: readonly NodeRt[];
  /** Every node by its id; a service with replicas by each instance's id (`mailer#0`). */
  readonly byId: ReadonlyMap<string, NodeRt>;
}

/** The most instances a plan may ask of one service (as the compiler allows). */
const MAX_REPLICAS = 1000;

/** How many nodes a plan node becomes: its replicas, or 1. */
function countInstances(p: NodePlan): number {
  return p.kind === "service" && typeof p.replicas === "number" && Number.isInteger(p.replicas) && p.replicas > 1 && p.replicas <= MAX_REPLICAS ? p.replicas : 1;
}

const NAME = /^[^.\s]+$/;

function isDuration(ms: unknown): boolean {
  return typeof ms === "number" && ms >= 0 && !Number.isNaN(ms);
}

export type { Reloads } from "./plan-links.ts";

/** Builds the index or throws one Error listing every problem found. */
export function indexPlan(plan: AppPlan, bindings: Bindings, reloads: Reloads = {}): PlanIndex {
  const problems: string[] = [];
  const nodes = buildNodes(plan, problems);
  const byId = new Map<string, NodeRt>();
  /** Edges name a service with replicas by its plan id: they reach every instance. */
  const targets = new Map<string, readonly NodeRt[]>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (byId.has(node.id) || (node.replicaGroup === undefined && targets.has(node.id))) problems.push(`two nodes have the id "${node.id}"`);
    byId.set(node.id, node);
    if (node.replicaGroup === undefined) targets.set(node.id, [node]);
    else if (node.replica === 0) targets.set(node.plan.id, node.replicaGroup);
  }
  if (!isDuration(plan.graceMs)) problems.push(`graceMs must be a duration in ms (got ${String(plan.graceMs)})`);
  problems.push(...checkHealthAndDrain(plan));
  if (plan.generation !== undefined && typeof plan.generation !== "string") problems.push(`generation must be a string when present (got ${String(plan.generation)})`);
  if (!Array.isArray(plan.signals)) problems.push("signals must be a list of signal names");
  else for (const signal of plan.signals) problems.push(...[checkSignalName(signal)].filter((p) => p !== undefined));
  if (plan.reloadSignal !== undefined) {
    const problem = checkSignalName(plan.reloadSignal);
    if (problem !== undefined) problems.push(`reloadSignal: ${problem}`);
    else if (Array.isArray(plan.signals) && plan.signals.includes(plan.reloadSignal)) problems.push(`reloadSignal ${plan.reloadSignal} is also a shutdown signal`);
  }
  linkNodes(nodes, targets, problems);
  bindServices(nodes, targets, bindings, problems);
  if (plan.reloadSignal !== undefined) bindReloads(nodes, reloads);
  if (problems.length === 0) problems.push(...checkOrderGraphs(nodes));
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((p) => `  - ${p}`);
    if (problems.length > 20) shown.push(`  - ... and ${problems.length - 20} more`);
    throw new Error(`invalid plan for app "${String(plan.name)}":\n${shown.join("\n")}`);
  }
  return { plan, root: nodes[0]!, nodes, services: nodes.filter((n) => n.isService), byId };
}

/** The drain must leave part of the grace for the stop; the port must be one a server can listen on. */
function checkHealthAndDrain(plan: AppPlan): string[] {
  const problems: string[] = [];
  const { drainMs, health } = plan;
  if (drainMs !== undefined && !(isDuration(drainMs) && Number.isFinite(drainMs) && drainMs < plan.graceMs)) {
    problems.push(`drainMs must be a finite duration in ms shorter than graceMs (got ${String(drainMs)})`);
  }
  if (health !== undefined) {
    if (!Number.isInteger(health?.port) || health.port < 1 || health.port > 65_535) problems.push(`health.port must be a port from 1 to 65535 (got ${String(health?.port)})`);
    if (health?.host !== undefined && typeof health.host !== "string") problems.push(`health.host must be a string when present (got ${String(health.host)})`);
  }
  return problems;
}

/** Pre-order, iteratively: generated trees can be deep. Checks each node's own fields. */
function buildNodes(plan: AppPlan, problems: string[]): NodeRt[] {
  const root = plan.root;
  if (root?.kind !== "supervisor" || root.id !== "") {
    problems.push('the root must be a supervisor with id ""');
    throw new Error(`invalid plan for app "${String(plan.name)}":\n  - ${problems.join("\n  - ")}`);
  }
  const nodes: NodeRt[] = [];
  // Parallel stacks (no object per entry): the plan, its parent, and its slot in the parent's
  // children, which are allocated at their exact size.
  const plans: NodePlan[] = [root];
  const parents: (NodeRt | undefined)[] = [undefined];
  const slots: number[] = [0];
  while (plans.length > 0) {
    const p = plans.pop()!;
    const parent = parents.pop();
    const slot = slots.pop()!;
    const instances = countInstances(p);
    if (instances > 1) {
      // Replicas: one node each, side by side in the parent's children, sharing the plan.
      const group: NodeRt[] = [];
      for (let r = 0; r < instances; r++) {
        const replica = new NodeRt(nodes.length, p, parent, `${p.id}#${r}`);
        replica.replicaGroup = group;
        replica.replica = r;
        group.push(replica);
        nodes.push(replica);
        parent!.children[slot + r] = replica;
      }
      checkNodeFields(group[0]!, problems);
      continue;
    }
    if (p.kind === "service" && p.replicas !== undefined && p.replicas !== 1) problems.push(`${JSON.stringify(p.id)}: replicas must be a whole number from 1 to ${MAX_REPLICAS}`);
    const node = new NodeRt(nodes.length, p, parent);
    nodes.push(node);
    if (parent !== undefined) parent.children[slot] = node;
    checkNodeFields(node, problems);
    if (p.kind === "supervisor" && Array.isArray(p.children) && p.children.length > 0) {
      let total = 0;
      for (let i = 0; i < p.children.length; i++) total += countInstances(p.children[i]!);
      node.children = new Array<NodeRt>(total);
      for (let i = p.children.length - 1; i >= 0; i--) {
        total -= countInstances(p.children[i]!);
        plans.push(p.children[i]!);
        parents.push(node);
        slots.push(total);
      }
    }
  }
  return nodes;
}

const RESTARTS: ReadonlySet<unknown> = new Set(RESTART_POLICIES);
const STRATEGY_NAMES: ReadonlySet<unknown> = new Set(STRATEGIES);

/** Called only for a message: checking 10k valid nodes should not build 10k labels. */
function labelOf(node: NodeRt): string {
  return node.parent === undefined ? "the root" : `"${node.plan.id}"`;
}

function checkNodeFields(node: NodeRt, problems: string[]): void {
  const p = node.plan;
  if (node.parent !== undefined) {
    if (typeof p.name !== "string" || !NAME.test(p.name)) problems.push(`${labelOf(node)}: invalid name ${JSON.stringify(p.name)}`);
    const expected = node.parent.id === "" ? p.name : `${node.parent.id}.${p.name}`;
    if (p.id !== expected) problems.push(`${labelOf(node)}: id should be "${expected}" (its parent's id and its name)`);
  }
  const kind: unknown = p.kind;
  if (kind !== "service" && kind !== "supervisor") problems.push(`${labelOf(node)}: unknown kind ${JSON.stringify(kind)}`);
  if (!RESTARTS.has(p.restart)) problems.push(`${labelOf(node)}: unknown restart ${JSON.stringify(p.restart)}`);
  if (!isDuration(p.stopTimeoutMs)) problems.push(`${labelOf(node)}: stopTimeoutMs must be a duration in ms`);
  if (!Array.isArray(p.needs)) problems.push(`${labelOf(node)}: needs must be a list`);
  if (!Array.isArray(p.startAfter)) problems.push(`${labelOf(node)}: startAfter must be a list`);
  if (!Array.isArray(p.stopAfter)) problems.push(`${labelOf(node)}: stopAfter must be a list`);
  if (p.kind === "service" && !isDuration(p.startTimeoutMs)) problems.push(`${labelOf(node)}: startTimeoutMs must be a duration in ms`);
  const backoffProblem = p.backoff === undefined ? undefined : checkBackoff(p.backoff);
  if (backoffProblem !== undefined) problems.push(`${labelOf(node)}: ${backoffProblem}`);
  if (p.kind === "supervisor") {
    if (!STRATEGY_NAMES.has(p.strategy)) problems.push(`${labelOf(node)}: unknown strategy ${JSON.stringify(p.strategy)}`);
    if (!Number.isInteger(p.intensity) || p.intensity < 0) problems.push(`${labelOf(node)}: intensity must be an integer >= 0`);
    if (!isDuration(p.periodMs) || p.periodMs === 0) problems.push(`${labelOf(node)}: periodMs must be a positive duration in ms`);
    if (!Array.isArray(p.children)) problems.push(`${labelOf(node)}: children must be a list`);
  }
}

/**
 * Edges in the order they were found, as two parallel lists of node indices (`from` must be done
 * before `to` begins), sized once from the plan. Per-node lists are made from them at their exact
 * size: growing six lists per node one push at a time costs more than the rest of the index.
 */
class EdgeList {
  readonly from: Int32Array;
  readonly to: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
  }

  add(from: NodeRt, to: NodeRt): void {
    this.from[this.length] = from.index;
    this.to[this.length++] = to.index;
  }
}

interface Edges {
  readonly start: EdgeList;
  readonly stop: EdgeList;
  /** target -> the node that needs it. */
  readonly needs: EdgeList;
}

/** The node's edge fields are lists (checkNodeFields reports them when not; edges are then skipped). */
function hasEdgeLists(p: NodePlan): boolean {
  return Array.isArray(p.needs) && Array.isArray(p.startAfter) && Array.isArray(p.stopAfter);
}

function linkNodes(nodes: readonly NodeRt[], byId: ReadonlyMap<string, readonly NodeRt[]>, problems: string[]): void {
  let needs = 0;
  let startAfter = 0;
  let stopAfter = 0;
  // An edge to a service with replicas is one edge per instance.
  const width = (id: unknown): number => (typeof id === "string" ? (byId.get(id)?.length ?? 1) : 1);
  for (let i = 0; i < nodes.length; i++) {
    const p = nodes[i]!.plan;
    if (!hasEdgeLists(p)) continue;
    for (let k = 0; k < p.needs.length; k++) needs += width(p.needs[k]?.target);
    for (let k = 0; k < p.startAfter.length; k++) startAfter += width(p.startAfter[k]);
    for (let k = 0; k < p.stopAfter.length; k++) stopAfter += width(p.stopAfter[k]);
  }
  const edges: Edges = { start: new EdgeList(needs + startAfter), stop: new EdgeList(needs + stopAfter), needs: new EdgeList(needs) };
  for (let i = 0; i < nodes.length; i++) resolveEdges(nodes[i]!, byId, edges, problems);
  const groups = new EdgeGroups(nodes);
  groups.fill(edges.start, (node, list) => (node.startPreds = list), (node, list) => (node.startDependents = list));
  groups.fill(edges.stop, (node, list) => (node.stopPreds = list), (node, list) => (node.stopDependents = list));
  groups.fill(edges.needs, undefined, (node, list) => (node.neededBy = list));
  for (let i = 0; i < nodes.length; i++) shareEqualLists(nodes[i]!);
  for (let i = 0; i < nodes.length; i++) inheritDeps(nodes[i]!);
}


/**
 * In a compiled plan a service starts after what it needs and stops after what needs it, so four
 * of its six lists repeat the other two: they are shared (the lists are never changed once made),
 * which keeps ~260 bytes per running service out of the heap. Only lists equal in order are
 * shared, so no walk over them changes.
 */
function shareEqualLists(node: NodeRt): void {
  node.startPreds = sameOr(node.startPreds, node.needTargets);
  node.stopDependents = sameOr(node.stopDependents, node.needTargets);
  node.startDependents = sameOr(node.startDependents, node.neededBy);
  node.stopPreds = sameOr(node.stopPreds, node.neededBy);
}

/** `other` when it holds the same nodes in the same order as `list`, else `list`. */
function sameOr(list: NodeRt[], other: NodeRt[]): NodeRt[] {
  if (list === other || list.length !== other.length) return list;
  for (let i = 0; i < list.length; i++) if (list[i] !== other[i]) return list;
  return other;
}

function resolveEdges(node: NodeRt, byId: ReadonlyMap<string, readonly NodeRt[]>, edges: Edges, problems: string[]): void {
  const p = node.plan;
  if (!hasEdgeLists(p)) return;
  // Duplicate edges are dropped when the per-node lists are made (EdgeGroups).
  const needs = p.needs;
  // Keys are few per service: a scan of the earlier ones, a Set only for long lists.
  const keys = needs.length > 16 ? new Set<string>() : undefined;
  const targets: NodeRt[] = needs.length === 0 ? NO_NODES : new Array<NodeRt>(needs.length);
  for (let i = 0; i < needs.length; i++) {
    const dep = needs[i]!;
    let repeated = keys !== undefined && keys.has(dep.key);
    for (let j = 0; keys === undefined && j < i && !repeated; j++) repeated = needs[j]!.key === dep.key;
    if (repeated) problems.push(`"${node.id}": two needs use the key "${dep.key}"`);
    keys?.add(dep.key);
    const group = resolveEdge(node, dep.target, "needs", byId, problems);
    if (group === undefined) continue;
    // The first instance stands for a service with replicas: its group gives the handles.
    targets[i] = group[0]!;
    for (let r = 0; r < group.length; r++) {
      const target = group[r]!;
      edges.needs.add(target, node);
      edges.start.add(target, node);
      // A dependent stops before what it needs. The compiler puts this in stopAfter already; a
      // hand-written plan may not, and a stale handle must never outlive what it points to.
      edges.stop.add(node, target);
    }
  }
  node.needTargets = targets;
  // Indexed loops here and below: `for...of` allocates an iterator result per step until the
  // JIT optimizes the loop, and this code runs once per process, mostly unoptimized.
  for (let i = 0; i < p.startAfter.length; i++) {
    const group = resolveEdge(node, p.startAfter[i]!, "startAfter", byId, problems);
    for (let r = 0; group !== undefined && r < group.length; r++) edges.start.add(group[r]!, node);
  }
  for (let i = 0; i < p.stopAfter.length; i++) {
    const group = resolveEdge(node, p.stopAfter[i]!, "stopAfter", byId, problems);
    for (let r = 0; group !== undefined && r < group.length; r++) edges.stop.add(group[r]!, node);
  }
}

function resolveEdge(node: NodeRt, id: string, what: string, byId: ReadonlyMap<string, readonly NodeRt[]>, problems: string[]): readonly NodeRt[] | undefined {
  const target = byId.get(id);
  if (target === undefined) problems.push(`"${node.id}": ${what} names unknown id "${id}"`);
  else if (target.includes(node)) problems.push(`"${node.id}": ${what} names the node itself`);
  else return target;
  return undefined;
}

/**
 * Groups an edge list by node, both ways (a counting sort, so each group keeps the order the
 * edges were found in), drops repeated edges (the same edge can come from `needs` and from
 * startAfter or stopAfter; the first is kept) and gives each node its list at its exact size.
 */
class EdgeGroups {
  readonly #nodes: readonly NodeRt[];
  /** seen[i] === stamp: nodes[i] is already in the group being made (one stamp per group, never cleared). */
  readonly #seen: Int32Array;
  #stamp = 0;

  constructor(nodes: readonly NodeRt[]) {
    this.#nodes = nodes;
    this.#seen = new Int32Array(nodes.length);
  }

  fill(edges: EdgeList, setPreds: ((node: NodeRt, list: NodeRt[]) => void) | undefined, setDependents: (node: NodeRt, list: NodeRt[]) => void): void {
    if (setPreds !== undefined) this.#group(edges.to, edges.from, edges.length, setPreds);
    this.#group(edges.from, edges.to, edges.length, setDependents);
  }

  /** For each node k: the distinct `other[e]` of the edges e with `key[e] === k`, in edge order. */
  #group(key: Int32Array, other: Int32Array, edgeCount: number, set: (node: NodeRt, list: NodeRt[]) => void): void {
    const nodes = this.#nodes;
    const count = nodes.length;
    const start = new Int32Array(count + 1);
    for (let e = 0; e < edgeCount; e++) start[key[e]! + 1]!++;
    for (let k = 0; k < count; k++) start[k + 1]! += start[k]!;
    const sorted = new Int32Array(edgeCount);
    const next = start.slice(0, count);
    for (let e = 0; e < edgeCount; e++) sorted[next[key[e]!]!++] = other[e]!;
    const seen = this.#seen;
    for (let k = 0; k < count; k++) {
      const from = start[k]!;
      const to = start[k + 1]!;
      if (from === to) continue;
      const stamp = ++this.#stamp;
      let distinct = 0;
      for (let i = from; i < to; i++) {
        const j = sorted[i]!;
        if (seen[j] === stamp) sorted[i] = -1;
        else {
          seen[j] = stamp;
          distinct++;
        }
      }
      const list = new Array<NodeRt>(distinct);
      for (let i = from, n = 0; i < to; i++) if (sorted[i]! >= 0) list[n++] = nodes[sorted[i]!]!;
      set(nodes[k]!, list);
    }
  }
}


function bindServices(nodes: readonly NodeRt[], byId: ReadonlyMap<string, readonly NodeRt[]>, bindings: Bindings, problems: string[]): void {
  let bound = 0;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (!node.isService) continue;
    // Replicas share their service's start function, bound once under its plan id.
    const id = node.plan.id;
    const fn = Object.hasOwn(bindings, id) ? bindings[id] : undefined;
    if (node.replica > 0) {
      node.startFn = node.replicaGroup![0]!.startFn;
      continue;
    }
    if (typeof fn !== "function") problems.push(`service "${id}" has no start function in the bindings`);
    else node.startFn = fn;
    if (fn !== undefined) bound++;
  }
  // Every key named a service: nothing extra. Only otherwise look for the ones that do not.
  const keys = Object.keys(bindings);
  if (keys.length === bound) return;
  for (const id of keys) {
    if (byId.get(id)?.[0]?.isService !== true) problems.push(`the bindings have a start function for "${id}", which is not a service of the plan`);
  }
}
