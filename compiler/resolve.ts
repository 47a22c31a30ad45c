// Builds the ResolvedApp of compiler/model.ts from a spec that passed every check: defaults
// applied, references resolved to ids, start and stop orders computed. Every list is in
// declaration order, so the output (and the code generated from it) is deterministic.
import type { Block, Setting } from "./ast.ts";
import { DependencyGraph, validNeeds } from "./dependency-graph.ts";
import * as D from "./defaults.ts";
import { splitCommandLine } from "./command-line.ts";
import type {
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
} from "./model.ts";
import { findPlatform } from "./platforms.ts";
import { buildTree, resolveShutdownRef, type SpecTree, type TreeNode } from "./scope-tree.ts";
import { derivePhases, siblingDependencies } from "./shutdown-order.ts";

type SettingOf<K extends Setting["kind"]> = Extract<Setting, { kind: K }>;

function setting<K extends Setting["kind"]>(block: Block, kind: K): SettingOf<K> | undefined {
  return block.settings.find((s): s is SettingOf<K> => s.kind === kind);
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
  const stopAfter = collectStopAfter(tree);
  const order = new Map(tree.nodes.map((n) => [n.id, n.index]));
  const graceMs = setting(app, "grace")?.value.ms ?? D.DEFAULT_GRACE_MS;
  const signals = setting(app, "signals")?.signals.map((s) => s.text) ?? D.DEFAULT_SIGNALS;

  const resolveNode = (node: TreeNode): ResolvedNode => {
    const block = node.block;
    const needs = dedupedNeeds(node);
    const base = {
      id: node.id,
      name: node.name,
      span: block.span,
      needs,
      startAfter: sortIds(order, needs.map((n) => n.target)),
      stopAfter: sortIds(order, [...(stopAfter.get(node) ?? [])].map((n) => n.id)),
      restart: (setting(block, "restart")?.value.text as RestartPolicy | undefined) ?? D.DEFAULT_RESTART,
      backoff: resolveBackoff(block),
    };
    if (node.kind === "service") {
      return {
        ...base,
        kind: "service",
        module: setting(block, "module")?.path.value,
        exec: resolveExec(block),
        startTimeoutMs: setting(block, "start-timeout")?.value.ms ?? D.DEFAULT_START_TIMEOUT_MS,
        stopTimeoutMs: setting(block, "stop-timeout")?.value.ms ?? D.DEFAULT_SERVICE_STOP_TIMEOUT_MS,
      };
    }
    return resolveSupervisor(node, base, setting(block, "stop-timeout")?.value.ms ?? D.DEFAULT_SUPERVISOR_STOP_TIMEOUT_MS);
  };

  const resolveSupervisor = (
    node: TreeNode,
    base: Omit<ResolvedSupervisor, "kind" | "strategy" | "intensity" | "children" | "shutdownPhases" | "stopTimeoutMs">,
    stopTimeoutMs: number,
  ): ResolvedSupervisor => {
    const intensity = setting(node.block, "intensity");
    return {
      ...base,
      kind: "supervisor",
      stopTimeoutMs,
      strategy: (setting(node.block, "strategy")?.value.text as Strategy | undefined) ?? D.DEFAULT_STRATEGY,
      intensity: intensity !== undefined ? { max: intensity.max.value, periodMs: intensity.period.ms } : { ...D.DEFAULT_INTENSITY },
      children: node.children.map(resolveNode),
      shutdownPhases: shutdownPhases(tree, graph, node).map((phase) => phase.map((c) => c.name)),
    };
  };

  // The root supervisor is the app: it cannot be restarted, and its stop budget is the grace.
  const root = resolveSupervisor(
    tree.root,
    { id: "", name: tree.root.name, span: app.span, needs: [], startAfter: [], stopAfter: [], restart: D.DEFAULT_RESTART, backoff: resolveBackoff(app) },
    graceMs,
  );
  const deploy = resolveDeploy(app);
  return { name: app.name.text, graceMs, signals, root, ...(deploy !== undefined ? { deploy } : {}) };
}

function resolveBackoff(block: Block): ResolvedBackoff | undefined {
  const written = setting(block, "backoff");
  return written !== undefined ? { minMs: written.min.ms, maxMs: written.max.ms } : undefined;
}

/** The checks have split the command without problems; every `env` line adds its variables. */
function resolveExec(block: Block): ResolvedExec | undefined {
  const exec = setting(block, "exec");
  if (exec === undefined) return undefined;
  const env = block.settings.flatMap((s) => (s.kind === "env" ? s.vars.map((v) => [v.name.text, v.value.value] as const) : []));
  return {
    argv: splitCommandLine(exec.command.value).argv,
    cwd: setting(block, "cwd")?.path.value ?? D.DEFAULT_CWD,
    env,
    stopSignal: setting(block, "stop-signal")?.value.text ?? D.DEFAULT_STOP_SIGNAL,
    readyWhenStdout: setting(block, "ready-when")?.text.value,
  };
}

function resolveDeploy(app: Block): ResolvedDeploy | undefined {
  const written = setting(app, "deploy");
  const platform = written !== undefined ? findPlatform(written.platform.text) : undefined;
  if (written === undefined || platform === undefined) return undefined;
  return { platform: platform.name, killAfterMs: written.timeout?.ms ?? platform.killAfterMs };
}

/** What the node declared with `needs`, minus repeats of the same target (a warning). */
function dedupedNeeds(node: TreeNode): ResolvedDep[] {
  const seen = new Set<TreeNode>();
  const result: ResolvedDep[] = [];
  for (const need of validNeeds(node)) {
    if (seen.has(need.target)) continue;
    seen.add(need.target);
    result.push({ key: need.ref.parts[need.ref.parts.length - 1]!.text, target: need.target.id, span: need.ref.span });
  }
  return result;
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

/** For each node: who must have stopped before it starts stopping. */
function collectStopAfter(tree: SpecTree): Map<TreeNode, Set<TreeNode>> {
  const result = new Map<TreeNode, Set<TreeNode>>();
  const add = (node: TreeNode, before: TreeNode): void => {
    let set = result.get(node);
    if (set === undefined) result.set(node, (set = new Set()));
    set.add(before);
  };
  for (const node of tree.nodes) {
    for (const need of validNeeds(node)) add(need.target, node);
    const phases = node.kind === "service" ? undefined : explicitPhases(tree, node);
    if (phases === undefined) continue;
    for (let k = 1; k < phases.length; k++) for (const child of phases[k]!) for (const prev of phases[k - 1]!) add(child, prev);
  }
  return result;
}

/** Ids in declaration order, each once. */
function sortIds(order: ReadonlyMap<NodeId, number>, ids: readonly NodeId[]): NodeId[] {
  return [...new Set(ids)].sort((a, b) => order.get(a)! - order.get(b)!);
}
