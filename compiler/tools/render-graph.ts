// `supervise graph`: the supervision tree as a diagram. Supervisors (and the app) are subgraphs
// or clusters whose label gives their strategy, intensity and shutdown phases; services are
// boxes with their module; arrows go from a node to what it needs. A graph model is built first
// and rendered to Mermaid or Graphviz DOT; every label goes through compiler/tools/escape-labels.ts.
import { formatCommandLine } from "../language/command-line.ts";
import type { NodeId, ResolvedApp, ResolvedNode, ResolvedSupervisor } from "../model/model.ts";
import { nodeTable } from "../model/node-table.ts";
import { formatDuration } from "../language/literals.ts";
import { dotLabel, escapeDotString, mermaidLabel } from "./escape-labels.ts";

export type GraphFormat = "mermaid" | "dot";

interface GraphNode {
  readonly key: string;
  readonly lines: readonly string[];
}

interface GraphCluster extends GraphNode {
  readonly members: readonly (GraphNode | GraphCluster)[];
}

interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly fromCluster: boolean;
  readonly toCluster: boolean;
  /** An `after`: the start and stop order only (drawn dashed), not a dependency. */
  readonly orderOnly: boolean;
}

interface GraphModel {
  readonly root: GraphCluster;
  readonly edges: readonly GraphEdge[];
}

function isCluster(node: GraphNode | GraphCluster): node is GraphCluster {
  return "members" in node;
}

/** `shutdown: api -> workers -> cache, db`, the phases as a spec would write them. */
function describePhases(supervisor: ResolvedSupervisor): string {
  return `shutdown: ${supervisor.shutdownPhases.map((phase) => phase.join(", ")).join(" -> ")}`;
}

function describeSupervisor(app: ResolvedApp, node: ResolvedSupervisor): string[] {
  const isRoot = node.id === app.root.id;
  const policy = `${node.strategy}, ${node.intensity.max} per ${formatDuration(node.intensity.periodMs)}`;
  const budget = isRoot ? `grace ${formatDuration(app.graceMs)}` : `stop timeout ${formatDuration(node.stopTimeoutMs)}`;
  const lines = [isRoot ? `app ${app.name}` : `supervisor ${node.name}`, `${policy}, ${budget}`];
  if (node.children.length > 0) lines.push(describePhases(node));
  return lines;
}

export function buildGraphModel(app: ResolvedApp): GraphModel {
  const ordered = nodeTable(app).nodes;
  const keys = new Map<NodeId, string>(ordered.map((node, i) => [node.id, `n${i}`]));
  const build = (node: ResolvedNode): GraphNode | GraphCluster => {
    const key = keys.get(node.id)!;
    if (node.kind === "service") {
      const name = node.replicas > 1 ? `${node.name} (${node.replicas} replicas)` : node.name;
      return { key, lines: [name, node.module ?? `exec ${formatCommandLine(node.exec!.argv)}`] };
    }
    return { key, lines: describeSupervisor(app, node), members: node.children.map(build) };
  };
  const kinds = new Map(ordered.map((n) => [n.id, n.kind]));
  // `needs` are solid arrows; `after` (in startAfter, not needed) dashed: an order, no dependency.
  const edge = (node: ResolvedNode, target: NodeId, orderOnly: boolean): GraphEdge => ({
    from: keys.get(node.id)!,
    to: keys.get(target)!,
    fromCluster: node.kind === "supervisor",
    toCluster: kinds.get(target) === "supervisor",
    orderOnly,
  });
  const edges = ordered.flatMap((node) => [
    ...node.needs.map((need) => edge(node, need.target, false)),
    ...node.startAfter.filter((id) => !node.needs.some((need) => need.target === id)).map((id) => edge(node, id, true)),
  ]);
  return { root: build(app.root) as GraphCluster, edges };
}

export function renderGraph(app: ResolvedApp, format: GraphFormat): string {
  const model = buildGraphModel(app);
  return format === "mermaid" ? renderMermaid(model) : renderDot(model);
}

function renderMermaid(model: GraphModel): string {
  const out = ["flowchart TB", "  %% supervise graph: boxes are services, subgraphs supervisors; an arrow points to what a node needs"];
  const write = (node: GraphNode | GraphCluster, depth: number): void => {
    const pad = "  ".repeat(depth);
    if (!isCluster(node)) {
      out.push(`${pad}${node.key}[${mermaidLabel(node.lines)}]`);
      return;
    }
    out.push(`${pad}subgraph ${node.key}[${mermaidLabel(node.lines)}]`);
    for (const member of node.members) write(member, depth + 1);
    out.push(`${pad}end`);
  };
  write(model.root, 1);
  for (const edge of model.edges) out.push(`  ${edge.from} ${edge.orderOnly ? "-.->" : "-->"} ${edge.to}`);
  return out.join("\n") + "\n";
}

function renderDot(model: GraphModel): string {
  const out = [
    `digraph ${dotLabel([model.root.lines[0]!])} {`,
    "  // supervise graph: boxes are services, clusters supervisors; an arrow points to what a node needs",
    "  compound=true;",
    '  node [shape=box, fontname="Helvetica"];',
    '  graph [fontname="Helvetica"];',
  ];
  const write = (node: GraphNode | GraphCluster, depth: number): void => {
    const pad = "  ".repeat(depth);
    if (!isCluster(node)) {
      out.push(`${pad}${node.key} [label=${dotLabel(node.lines)}];`);
      return;
    }
    out.push(`${pad}subgraph cluster_${node.key} {`);
    out.push(`${pad}  label=${dotLabel(node.lines)};`);
    // Edges to or from a cluster need a node inside it: an invisible anchor stands for it.
    out.push(`${pad}  ${node.key} [shape=point, style=invis, label=""];`);
    for (const member of node.members) write(member, depth + 1);
    out.push(`${pad}}`);
  };
  write(model.root, 1);
  for (const edge of model.edges) {
    const attributes = [
      ...(edge.fromCluster ? [`ltail="cluster_${escapeDotString(edge.from)}"`] : []),
      ...(edge.toCluster ? [`lhead="cluster_${escapeDotString(edge.to)}"`] : []),
      ...(edge.orderOnly ? ["style=dashed"] : []),
    ];
    out.push(`  ${edge.from} -> ${edge.to}${attributes.length > 0 ? ` [${attributes.join(", ")}]` : ""};`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}
