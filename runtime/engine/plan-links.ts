// What the index links after the nodes and their edges: the deps a supervisor's needs add to
// the services inside it, and the reload each service has (a module's export, a program's signal);
// and the handles those deps resolve to when a start begins.
import type { NodeRt } from "./node-state.ts";
import { createRecord } from "./service-scope.ts";

/**
 * What the app's reload signal calls, by service id: a module's namespace (or any object) whose
 * `reload` export, when it is a function, reloads the service. Process services carry their own.
 */
export type Reloads = Readonly<Record<string, object>>;

/**
 * A supervisor's needs reach its children's `scope.deps` (docs/language.md). Pre-order, so the
 * parent's list is ready: a node's list is its own needs, then its parent's list minus the keys
 * it already has. Only nodes below a supervisor with needs get a list of their own.
 */
export function inheritDeps(node: NodeRt): void {
  const above = node.parent?.deps;
  if (node.parent === undefined || (above === undefined && (node.isService || node.needTargets.length === 0))) return;
  const keys: { readonly key: string }[] = [];
  const targets: NodeRt[] = [];
  const own = node.plan.needs;
  for (let i = 0; i < own.length; i++) {
    if (node.needTargets[i] === undefined) continue;
    keys.push(own[i]!);
    targets.push(node.needTargets[i]!);
  }
  const ownCount = keys.length;
  for (let i = 0; above !== undefined && i < above.keys.length; i++) {
    const key = above.keys[i]!.key;
    let taken = false;
    for (let j = 0; j < ownCount && !taken; j++) taken = keys[j]!.key === key;
    if (taken) continue;
    keys.push(above.keys[i]!);
    targets.push(above.targets[i]!);
  }
  node.deps = { keys, targets };
}

/** A process service's start function carries its reload; a module's comes from its namespace. */
export function bindReloads(nodes: readonly NodeRt[], reloads: Reloads): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (!node.isService || node.startFn === undefined) continue;
    const own = (node.startFn as { reload?: unknown }).reload;
    const exported = Object.hasOwn(reloads, node.plan.id) ? (reloads[node.plan.id] as { reload?: unknown }).reload : undefined;
    const reload = typeof own === "function" ? own : typeof exported === "function" ? exported : undefined;
    if (reload !== undefined) node.reloadFn = reload as NodeRt["reloadFn"];
  }
}

/**
 * The handle a dependent receives for `node`: a service's; a service with replicas, every
 * instance's in a frozen array; a supervisor's, its children's by name (replicas under the name of
 * their service). Throws when one is not running: the start that asked fails there.
 */
export function findHandle(node: NodeRt): unknown {
  const group = node.replicaGroup;
  if (group !== undefined) return Object.freeze(group.map(findInstanceHandle));
  if (node.isService) return findInstanceHandle(node);
  const children = node.children.filter((child) => child.replica === 0);
  return createRecord(
    children.map((child) => child.plan.name),
    (i) => findHandle(children[i]!),
  );
}

function findInstanceHandle(node: NodeRt): unknown {
  if (node.instance?.isUp !== true) throw new Error(`cannot start: "${node.id}" is needed but not running`);
  return node.instance.handle;
}
