// Turns the plan (plain data from generated code) into linked nodes the engine works on, and
// validates it. The compiler already guarantees all of this; the checks are here because a plan
// can be written by hand, and a malformed one must fail with a clear message before anything
// starts rather than deadlock halfway through a shutdown.
import { NodeRt, appendNode } from "./node-state.ts";
import type { AppPlan, NodePlan } from "./plan.ts";
import { checkSignalName } from "./signals.ts";
import { checkBackoff } from "./backoff.ts";
import type { StartFn } from "./types.ts";
import { checkOrderGraphs } from "./dependency-run.ts";

/** The start function of every service, keyed by service id. */
export type Bindings = Readonly<Record<string, StartFn<any, unknown>>>;

export { NodeRt } from "./node-state.ts";

export interface PlanIndex {
  readonly plan: AppPlan;
  readonly root: NodeRt;
  /** Declaration order (pre-order): a parent comes before its children. */
  readonly nodes: readonly NodeRt[];
  readonly services: readonly NodeRt[];
  readonly byId: ReadonlyMap<string, NodeRt>;
}

const NAME = /^[^.\s]+$/;

function isDuration(ms: unknown): boolean {
  return typeof ms === "number" && ms >= 0 && !Number.isNaN(ms);
}

/** Builds the index or throws one Error listing every problem found. */
export function indexPlan(plan: AppPlan, bindings: Bindings): PlanIndex {
  const problems: string[] = [];
  const nodes = buildNodes(plan, problems);
  const byId = new Map<string, NodeRt>();
  for (const node of nodes) {
    if (byId.has(node.id)) problems.push(`two nodes have the id "${node.id}"`);
    byId.set(node.id, node);
  }
  if (!isDuration(plan.graceMs)) problems.push(`graceMs must be a duration in ms (got ${String(plan.graceMs)})`);
  if (!Array.isArray(plan.signals)) problems.push("signals must be a list of signal names");
  else for (const signal of plan.signals) problems.push(...[checkSignalName(signal)].filter((p) => p !== undefined));
  for (const node of nodes) linkNode(node, byId, problems);
  dedupeEdges(nodes);
  bindServices(nodes, byId, bindings, problems);
  if (problems.length === 0) problems.push(...checkOrderGraphs(nodes));
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((p) => `  - ${p}`);
    if (problems.length > 20) shown.push(`  - ... and ${problems.length - 20} more`);
    throw new Error(`invalid plan for app "${String(plan.name)}":\n${shown.join("\n")}`);
  }
  return { plan, root: nodes[0]!, nodes, services: nodes.filter((n) => n.isService), byId };
}

/** Pre-order, iteratively: generated trees can be deep. Checks each node's own fields. */
function buildNodes(plan: AppPlan, problems: string[]): NodeRt[] {
  const root = plan.root;
  if (root?.kind !== "supervisor" || root.id !== "") {
    problems.push('the root must be a supervisor with id ""');
    throw new Error(`invalid plan for app "${String(plan.name)}":\n  - ${problems.join("\n  - ")}`);
  }
  const nodes: NodeRt[] = [];
  const stack: { plan: NodePlan; parent: NodeRt | undefined }[] = [{ plan: root, parent: undefined }];
  while (stack.length > 0) {
    const { plan: p, parent } = stack.pop()!;
    const node = new NodeRt(nodes.length, p, parent);
    nodes.push(node);
    if (parent !== undefined) parent.children = appendNode(parent.children, node);
    checkNodeFields(node, problems);
    if (p.kind === "supervisor" && Array.isArray(p.children)) {
      for (let i = p.children.length - 1; i >= 0; i--) stack.push({ plan: p.children[i]!, parent: node });
    }
  }
  return nodes;
}

const RESTARTS: ReadonlySet<unknown> = new Set(["permanent", "transient", "temporary"]);
const STRATEGIES: ReadonlySet<unknown> = new Set(["one_for_one", "one_for_all", "rest_for_one"]);

function checkNodeFields(node: NodeRt, problems: string[]): void {
  const p = node.plan;
  // Built only for a message: checking 10k valid nodes should not build 10k labels.
  const label = (): string => (node.parent === undefined ? "the root" : `"${p.id}"`);
  if (node.parent !== undefined) {
    if (typeof p.name !== "string" || !NAME.test(p.name)) problems.push(`${label()}: invalid name ${JSON.stringify(p.name)}`);
    const expected = node.parent.id === "" ? p.name : `${node.parent.id}.${p.name}`;
    if (p.id !== expected) problems.push(`${label()}: id should be "${expected}" (its parent's id and its name)`);
  }
  const kind: unknown = p.kind;
  if (kind !== "service" && kind !== "supervisor") problems.push(`${label()}: unknown kind ${JSON.stringify(kind)}`);
  if (!RESTARTS.has(p.restart)) problems.push(`${label()}: unknown restart ${JSON.stringify(p.restart)}`);
  if (!isDuration(p.stopTimeoutMs)) problems.push(`${label()}: stopTimeoutMs must be a duration in ms`);
  if (!Array.isArray(p.needs)) problems.push(`${label()}: needs must be a list`);
  if (!Array.isArray(p.startAfter)) problems.push(`${label()}: startAfter must be a list`);
  if (!Array.isArray(p.stopAfter)) problems.push(`${label()}: stopAfter must be a list`);
  if (p.kind === "service" && !isDuration(p.startTimeoutMs)) problems.push(`${label()}: startTimeoutMs must be a duration in ms`);
  const backoffProblem = p.backoff === undefined ? undefined : checkBackoff(p.backoff);
  if (backoffProblem !== undefined) problems.push(`${label()}: ${backoffProblem}`);
  if (p.kind === "supervisor") {
    if (!STRATEGIES.has(p.strategy)) problems.push(`${label()}: unknown strategy ${JSON.stringify(p.strategy)}`);
    if (!Number.isInteger(p.intensity) || p.intensity < 0) problems.push(`${label()}: intensity must be an integer >= 0`);
    if (!isDuration(p.periodMs) || p.periodMs === 0) problems.push(`${label()}: periodMs must be a positive duration in ms`);
    if (!Array.isArray(p.children)) problems.push(`${label()}: children must be a list`);
  }
}

function linkNode(node: NodeRt, byId: ReadonlyMap<string, NodeRt>, problems: string[]): void {
  const p = node.plan;
  if (!Array.isArray(p.needs) || !Array.isArray(p.startAfter) || !Array.isArray(p.stopAfter)) return;
  // Duplicate edges are removed afterwards, once for all nodes (dedupeEdges).
  const needs = p.needs;
  // Keys are few per service: a scan of the earlier ones, a Set only for long lists.
  const keys = needs.length > 16 ? new Set<string>() : undefined;
  for (let i = 0; i < needs.length; i++) {
    const dep = needs[i]!;
    let repeated = keys !== undefined && keys.has(dep.key);
    for (let j = 0; keys === undefined && j < i && !repeated; j++) repeated = needs[j]!.key === dep.key;
    if (repeated) problems.push(`"${node.id}": two needs use the key "${dep.key}"`);
    keys?.add(dep.key);
    const target = resolveEdge(node, dep.target, "needs", byId, problems);
    if (target === undefined) continue;
    target.neededBy = appendNode(target.neededBy, node);
    node.needTargets = appendNode(node.needTargets, target);
    addEdge(target, node, "start");
    // A dependent stops before what it needs. The compiler puts this in stopAfter already; a
    // hand-written plan may not, and a stale handle must never outlive what it points to.
    addEdge(node, target, "stop");
  }
  for (const id of p.startAfter) {
    const target = resolveEdge(node, id, "startAfter", byId, problems);
    if (target !== undefined) addEdge(target, node, "start");
  }
  for (const id of p.stopAfter) {
    const target = resolveEdge(node, id, "stopAfter", byId, problems);
    if (target !== undefined) addEdge(target, node, "stop");
  }
}

function resolveEdge(node: NodeRt, id: string, what: string, byId: ReadonlyMap<string, NodeRt>, problems: string[]): NodeRt | undefined {
  const target = byId.get(id);
  if (target === undefined) problems.push(`"${node.id}": ${what} names unknown id "${id}"`);
  else if (target === node) problems.push(`"${node.id}": ${what} names the node itself`);
  else return target;
  return undefined;
}

/** The same edge can come from `needs` and from stopAfter; keep each once, in first-seen order. */
function dedupeEdges(nodes: readonly NodeRt[]): void {
  // seen[i] === stamp: nodes[i] is already in the list being filtered. One stamp per list, so
  // the array is never cleared, and each list is filtered in one pass with no Set.
  const seen = new Int32Array(nodes.length);
  let stamp = 0;
  const dedupe = (list: NodeRt[]): NodeRt[] => {
    if (list.length < 2) return list;
    stamp++;
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const node = list[i]!;
      if (seen[node.index] === stamp) continue;
      seen[node.index] = stamp;
      list[kept++] = node;
    }
    list.length = kept;
    return list;
  };
  for (const node of nodes) {
    node.startPreds = dedupe(node.startPreds);
    node.startDependents = dedupe(node.startDependents);
    node.stopPreds = dedupe(node.stopPreds);
    node.stopDependents = dedupe(node.stopDependents);
    node.neededBy = dedupe(node.neededBy);
  }
}

/** `before` must be done (started, or stopped) before `after` begins. */
function addEdge(before: NodeRt, after: NodeRt, kind: "start" | "stop"): void {
  if (kind === "start") {
    after.startPreds = appendNode(after.startPreds, before);
    before.startDependents = appendNode(before.startDependents, after);
  } else {
    after.stopPreds = appendNode(after.stopPreds, before);
    before.stopDependents = appendNode(before.stopDependents, after);
  }
}

function bindServices(nodes: readonly NodeRt[], byId: ReadonlyMap<string, NodeRt>, bindings: Bindings, problems: string[]): void {
  let bound = 0;
  for (const node of nodes) {
    if (!node.isService) continue;
    const fn = Object.hasOwn(bindings, node.id) ? bindings[node.id] : undefined;
    if (typeof fn !== "function") problems.push(`service "${node.id}" has no start function in the bindings`);
    else node.startFn = fn;
    if (fn !== undefined) bound++;
  }
  // Every key named a service: nothing extra. Only otherwise look for the ones that do not.
  const keys = Object.keys(bindings);
  if (keys.length === bound) return;
  for (const id of keys) {
    if (byId.get(id)?.isService !== true) problems.push(`the bindings have a start function for "${id}", which is not a service of the plan`);
  }
}
