// Builds the ResolvedApp of compiler/model/model.ts from a spec that passed every check: defaults
// applied, references resolved to ids, start and stop orders computed. Every list is in
// declaration order, so the output (and the code generated from it) is deterministic.
import type { Block, Setting } from "../language/ast.ts";
import { DependencyGraph, type NeedEdge } from "./dependency-graph.ts";
import * as D from "../language/defaults.ts";
import { splitCommandLine } from "../language/command-line.ts";
import type {
  AppWritten,
  NodeId,
  ResolvedApp,
  ResolvedBackoff,
  ResolvedDep,
  ResolvedDeploy,
  ResolvedExec,
  ResolvedNode,
  ResolvedSupervisor,
  RestartPolicy,
  Strategy,
  SupervisorWritten,
} from "./model.ts";
import { findPlatform } from "./platforms.ts";
import { buildTree, resolveShutdownRef, type SpecTree, type TreeNode } from "./scope-tree.ts";
import { derivePhases, siblingDependencies } from "./shutdown-order.ts";

type SettingOf<K extends Setting["kind"]> = Extract<Setting, { kind: K }>;

/** The first setting of each kind in a block (a repeat is reported as a duplicate). */
type Written = { readonly [K in Setting["kind"]]?: SettingOf<K> };

/** One pass over a block's settings, instead of one search per setting a node resolves. */
function writtenIn(block: Block): Written {
  const first: { [K in Setting["kind"]]?: Setting } = {};
  for (const s of block.settings) first[s.kind] ??= s;
  return first as Written;
}

/** The binder's views of an app; the front end passes the ones its checks already built. */
export interface TreeViews {
  readonly tree: SpecTree;
  readonly graph: DependencyGraph;
}

function buildViews(app: Block): TreeViews {
  const tree = buildTree(app);
  return { tree, graph: new DependencyGraph(tree) };
}

/** Precondition: the checks reported no errors for this app; `views` are of this app. */
export function resolveApp(app: Block, views: TreeViews = buildViews(app)): ResolvedApp {
  const { tree, graph } = views;
  const stopAfter = collectStopAfter(tree, graph);
  const appWritten = writtenIn(app);
  const graceMs = appWritten.grace?.value.ms ?? D.DEFAULT_GRACE_MS;
  const signals = appWritten.signals?.signals.map((s) => s.text) ?? D.DEFAULT_SIGNALS;

  // The nodes are written out field by field, in one order per kind, rather than spread from a
  // common part: V8 gives every object built by a spread plus more fields its own hidden class,
  // which made every later read of a resolved node a megamorphic lookup.
  const resolveNode = (node: TreeNode, inherited: readonly ResolvedDep[]): ResolvedNode => {
    const block = node.block;
    const written = writtenIn(block);
    const needs = dedupedNeeds(graph, node);
    // `after` orders the start and the stop like `needs`, but is no dependency: not in deps, and
    // not in the restart sets the model derives from `needs`.
    const resolvedNeeds = needs.filter((n) => n.via === "needs").map(toResolvedDep);
    const startAfter = idsInOrder(needs.map((n) => n.target));
    const stopAfterIds = idsInOrder(stopAfter[node.index] ?? NO_NODES);
    const restart = (written.restart?.value.text as RestartPolicy | undefined) ?? D.DEFAULT_RESTART;
    if (node.kind === "service") {
      return {
        id: node.id,
        name: node.name,
        written: { name: block.name.span, stopTimeout: written["stop-timeout"]?.value },
        needs: resolvedNeeds,
        startAfter,
        stopAfter: stopAfterIds,
        restart,
        backoff: resolveBackoff(written),
        kind: "service",
        module: written.module?.path.value,
        exec: resolveExec(block, written),
        startTimeoutMs: written["start-timeout"]?.value.ms ?? D.DEFAULT_START_TIMEOUT_MS,
        stopTimeoutMs: written["stop-timeout"]?.value.ms ?? D.DEFAULT_SERVICE_STOP_TIMEOUT_MS,
        replicas: written.replicas?.count.value ?? D.DEFAULT_REPLICAS,
        deps: mergeDeps(resolvedNeeds, inherited),
      };
    }
    const lists = { needs: resolvedNeeds, startAfter, stopAfter: stopAfterIds };
    return resolveSupervisor(node, written, lists, restart, written["stop-timeout"]?.value.ms ?? D.DEFAULT_SUPERVISOR_STOP_TIMEOUT_MS, inherited);
  };

  const resolveSupervisor = (
    node: TreeNode,
    written: Written,
    lists: Pick<ResolvedSupervisor, "needs" | "startAfter" | "stopAfter">,
    restart: RestartPolicy,
    stopTimeoutMs: number,
    inherited: readonly ResolvedDep[],
  ): ResolvedSupervisor => {
    const toChildren = mergeDeps(lists.needs, inherited);
    const intensity = written.intensity;
    return {
      id: node.id,
      name: node.name,
      written: { name: node.block.name.span, stopTimeout: written["stop-timeout"]?.value, intensity: intensityWritten(written) },
      needs: lists.needs,
      startAfter: lists.startAfter,
      stopAfter: lists.stopAfter,
      restart,
      backoff: resolveBackoff(written),
      kind: "supervisor",
      stopTimeoutMs,
      strategy: (written.strategy?.value.text as Strategy | undefined) ?? D.DEFAULT_STRATEGY,
      intensity: intensity !== undefined ? { max: intensity.max.value, periodMs: intensity.period.ms } : { ...D.DEFAULT_INTENSITY },
      children: node.children.map((child) => resolveNode(child, toChildren)),
      shutdownPhases: shutdownPhases(tree, graph, node).map((phase) => phase.map((c) => c.name)),
    };
  };

  // The root supervisor is the app: it cannot be restarted, and its stop budget is the grace.
  const root = resolveSupervisor(tree.root, appWritten, { needs: [], startAfter: [], stopAfter: [] }, D.DEFAULT_RESTART, graceMs, []);
  const deploy = resolveDeploy(appWritten);
  const written = {
    grace: appWritten.grace?.value,
    deploy: deploy !== undefined ? deployWritten(appWritten.deploy!) : undefined,
    drain: appWritten.drain?.value,
  };
  const drainMs = appWritten.drain?.value.ms ?? D.DEFAULT_DRAIN_MS;
  const port = appWritten["health-port"]?.port.value;
  const health = port !== undefined ? { port, host: appWritten["health-host"]?.host.value } : undefined;
  return { name: app.name.text, graceMs, drainMs, health, signals, reloadSignal: appWritten.reload?.value.text, root, ...(deploy !== undefined ? { deploy } : {}), written };
}

function deployWritten(deploy: SettingOf<"deploy">): AppWritten["deploy"] {
  return { platform: deploy.platform.span, killAfter: deploy.timeout };
}

function intensityWritten(written: Written): SupervisorWritten["intensity"] {
  const intensity = written.intensity;
  return intensity !== undefined ? { span: intensity.span, max: intensity.max.span } : undefined;
}

function resolveBackoff(written: Written): ResolvedBackoff | undefined {
  const backoff = written.backoff;
  return backoff !== undefined ? { minMs: backoff.min.ms, maxMs: backoff.max.ms } : undefined;
}

/** The checks have split the command without problems; every `env` line adds its variables. */
function resolveExec(block: Block, written: Written): ResolvedExec | undefined {
  const exec = written.exec;
  if (exec === undefined) return undefined;
  const env = block.settings.flatMap((s) => (s.kind === "env" ? s.vars.map((v) => [v.name.text, v.value.value] as const) : []));
  return {
    argv: splitCommandLine(exec.command.value).argv,
    cwd: written.cwd?.path.value ?? D.DEFAULT_CWD,
    env,
    stopSignal: written["stop-signal"]?.value.text ?? D.DEFAULT_STOP_SIGNAL,
    readyWhenStdout: written["ready-when"]?.text.value,
    reloadSignal: written["reload-signal"]?.value.text,
  };
}

function resolveDeploy(appWritten: Written): ResolvedDeploy | undefined {
  const written = appWritten.deploy;
  const platform = written !== undefined ? findPlatform(written.platform.text) : undefined;
  if (written === undefined || platform === undefined) return undefined;
  return { platform: platform.name, killAfterMs: written.timeout?.ms ?? platform.killAfterMs };
}

/**
 * What the node declared with `needs` and `after`, minus repeats of the same target (a warning);
 * a node both needed and waited for after is needed.
 */
function dedupedNeeds(graph: DependencyGraph, node: TreeNode): readonly NeedEdge[] {
  const needs = graph.validNeeds(node);
  if (needs.length < 2) return needs;
  const needed = new Set<TreeNode>();
  for (const need of needs) if (need.via === "needs") needed.add(need.target);
  const seen = new Set<TreeNode>();
  const result: NeedEdge[] = [];
  for (const need of needs) {
    if (seen.has(need.target) || (need.via === "after" && needed.has(need.target))) continue;
    seen.add(need.target);
    result.push(need);
  }
  return result;
}

/**
 * A node's own deps, then the inherited ones whose key it does not use yet. A key used twice for
 * two targets is an error (SUP2011, SUP2033), so what is dropped here is the same node again.
 */
function mergeDeps(own: readonly ResolvedDep[], inherited: readonly ResolvedDep[]): readonly ResolvedDep[] {
  if (inherited.length === 0) return own;
  if (own.length === 0) return inherited;
  const keys = new Set(own.map((d) => d.key));
  return [...own, ...inherited.filter((d) => !keys.has(d.key))];
}

function toResolvedDep(need: NeedEdge): ResolvedDep {
  return { key: need.ref.parts[need.ref.parts.length - 1]!.text, target: need.target.id, span: need.ref.span };
}

/** Explicit phases from the `shutdown` line, or phases derived from the lifted needs. */
function shutdownPhases(tree: SpecTree, graph: DependencyGraph, supervisor: TreeNode): TreeNode[][] {
  return explicitPhases(tree, supervisor) ?? derivePhases(supervisor.children, siblingDependencies(graph, supervisor));
}

function explicitPhases(tree: SpecTree, supervisor: TreeNode): TreeNode[][] | undefined {
  const line = supervisor.block.shutdowns[0];
  if (line === undefined) return undefined;
  return line.phases.map((refs) =>
    refs.flatMap((ref) => {
      const resolution = resolveShutdownRef(tree, ref, supervisor);
      return resolution.kind === "found" ? [resolution.node] : [];
    }),
  );
}

const NO_NODES: readonly TreeNode[] = [];

/** For each node, by its index: who must have stopped before it starts stopping (with repeats). */
function collectStopAfter(tree: SpecTree, graph: DependencyGraph): TreeNode[][] {
  const result: TreeNode[][] = [];
  const add = (node: TreeNode, before: TreeNode): void => {
    (result[node.index] ??= []).push(before);
  };
  for (const node of tree.nodes) {
    for (const need of graph.validNeeds(node)) add(need.target, node);
    const phases = node.kind === "service" ? undefined : explicitPhases(tree, node);
    if (phases === undefined) continue;
    for (let k = 1; k < phases.length; k++) for (const child of phases[k]!) for (const prev of phases[k - 1]!) add(child, prev);
  }
  return result;
}

/** Ids in declaration order, each once (sorted, repeats are neighbours). */
function idsInOrder(nodes: readonly TreeNode[]): NodeId[] {
  const sorted = nodes.length < 2 ? nodes : [...nodes].sort((a, b) => a.index - b.index);
  const ids: NodeId[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) ids.push(sorted[i]!.id);
  return ids;
}
