// The contract of a spec with `replicas`, at the level the runtime runs it: a service with N
// replicas is N instances `<id>#0` .. `<id>#N-1`, each a service of the run. The contract is
// derived per spec node (contract.ts, restart-contract.ts), then each replicated id becomes its
// instances: every instance starts after, and stops before, what the service does; a crash case
// crashes the first instance, which restarts alone when its supervisor restarts one child at a time (its siblings are not in the
// set), while everything else the set names restarts with all its instances.
import type { NodeId, ResolvedApp, ResolvedNode } from "../model/model.ts";
import type { Contract, RestartCase } from "../../runtime/testing/contract.ts";
import { ONE_FOR_ONE } from "../language/vocabulary.ts";

export function expandReplicas(contract: Contract, app: ResolvedApp): Contract {
  const counts = new Map<NodeId, number>();
  const stack: ResolvedNode[] = [app.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === "supervisor") stack.push(...node.children);
    else if (node.replicas > 1) counts.set(node.id, node.replicas);
  }
  if (counts.size === 0) return contract;
  const all = (id: NodeId): NodeId[] => (counts.has(id) ? Array.from({ length: counts.get(id)! }, (_, r) => `${id}#${r}`) : [id]);
  const first = (id: NodeId): NodeId => all(id)[0]!;
  const list = (ids: readonly NodeId[]): NodeId[] => ids.flatMap(all);
  const pairs = (edges: Contract["startEdges"]): [NodeId, NodeId][] => edges.flatMap(([a, b]) => all(a).flatMap((x) => all(b).map((y): [NodeId, NodeId] => [x, y])));
  const record = <V>(byId: Readonly<Record<NodeId, V>>, map: (value: V) => V = (v) => v): Record<NodeId, V> =>
    Object.fromEntries(Object.entries(byId).flatMap(([id, value]) => all(id).map((x) => [x, map(value)] as const)));
  const restart = (c: RestartCase): RestartCase => ({
    ...c,
    service: first(c.service),
    // The crashing instance alone when one child is restarted at a time; any other strategy picks all its siblings.
    restarted: c.restarted.flatMap((id) => (id === c.service && c.strategy === ONE_FOR_ONE ? [first(id)] : all(id))),
    stoppedOnly: list(c.stoppedOnly),
  });
  return {
    ...contract,
    services: list(contract.services),
    startEdges: pairs(contract.startEdges),
    stopEdges: pairs(contract.stopEdges),
    hungStopMs: record(contract.hungStopMs),
    startTimeoutMs: record(contract.startTimeoutMs),
    lastToStop: first(contract.lastToStop),
    restarts: contract.restarts.map(restart),
    crashLoops: contract.crashLoops.map((loop) => ({ ...loop, service: first(loop.service) })),
    // One instance stands for its service in each case that makes one service crash, hang or end.
    supervisorStops: contract.supervisorStops.map((c) => ({ ...c, service: first(c.service) })),
    policies: contract.policies.map((c) => ({ ...c, service: first(c.service) })),
    backoffs: contract.backoffs.map((c) => ({ ...c, service: first(c.service) })),
    spreadCrashes: contract.spreadCrashes.map((c) => ({ ...c, service: first(c.service) })),
  };
}
