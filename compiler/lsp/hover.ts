// Hover text, in Markdown: a setting's meaning and default (from the vocabulary), and for a
// service or supervisor its resolved timeouts, its worst-case stop and who needs it.
import { SETTINGS, type PlacedKind } from "../language/vocabulary.ts";
import { showDefault } from "../language/settings-table.ts";
import { formatDuration } from "../language/literals.ts";
import type { BlockKind } from "../language/ast.ts";
import type { ResolvedApp, ResolvedNode } from "../model/model.ts";
import { computeShutdownTiming } from "../model/timing.ts";
import { displayId, type TreeNode } from "../model/scope-tree.ts";
import { nodeOf, nodeOfPart, type SpecIndex, type Target } from "./spec-index.ts";

export function describeSetting(kind: PlacedKind, block: BlockKind): string {
  const spec = SETTINGS[kind];
  const lines = [`**${spec.words}** — \`${spec.syntax}\``, "", spec.meaning, ""];
  const entry = spec.defaults.find((d) => d.in.includes(block));
  if (entry !== undefined) lines.push(`Default in ${block === "app" ? "the app" : `a ${block}`}: ${showDefault(spec, entry)} (${entry.source}).`);
  lines.push(`Allowed in: ${spec.blocks.join(", ")}.`);
  return lines.join("\n");
}

function findResolved(app: ResolvedApp, id: string): ResolvedNode | undefined {
  const visit = (node: ResolvedNode): ResolvedNode | undefined => {
    if (node.id === id) return node;
    if (node.kind === "supervisor") for (const child of node.children) {
      const found = visit(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(app.root);
}

/** Who names this node in a `needs` line, as ids. */
function neededBy(index: SpecIndex, node: TreeNode): string[] {
  const ids = new Set<string>();
  for (const site of index.refs) {
    const last = site.ref.parts.length - 1;
    const isNeeds = site.owner.needs.some((n) => n.ref === site.ref);
    if (isNeeds && nodeOfPart(site, last) === node) ids.add(displayId(site.owner));
  }
  return [...ids];
}

function describeNode(index: SpecIndex, node: TreeNode): string {
  const lines = [`**${node.kind} ${displayId(node)}**`, ""];
  const app = index.app;
  const resolved = app !== undefined ? findResolved(app, node.id) : undefined;
  if (app === undefined || resolved === undefined) {
    lines.push("_Timings appear when the spec has no errors._");
  } else if (node.id === "") {
    const timing = computeShutdownTiming(app);
    lines.push(`- grace: ${formatDuration(app.graceMs)}`, `- signals: ${app.signals.join(", ")}`, `- worst-case shutdown: ${formatDuration(timing.totalMs)}`);
  } else {
    const timing = computeShutdownTiming(app).capped;
    if (resolved.kind === "service") {
      lines.push(`- start timeout: ${formatDuration(resolved.startTimeoutMs)}`);
      lines.push(resolved.module !== undefined ? `- module: \`${resolved.module}\`` : `- exec: \`${resolved.exec?.argv.join(" ") ?? ""}\``);
    } else {
      lines.push(`- strategy: ${resolved.strategy}, intensity ${resolved.intensity.max} per ${formatDuration(resolved.intensity.periodMs)}`);
    }
    lines.push(`- stop timeout: ${formatDuration(resolved.stopTimeoutMs)}`, `- restart: ${resolved.restart}`);
    lines.push(`- worst-case stop: begins at ${formatDuration(timing.beginMs(node.id))}, done by ${formatDuration(timing.finishMs(node.id))} after the signal`);
  }
  const needs = node.needs.map((n) => n.ref.text);
  if (needs.length > 0) lines.push(`- needs: ${needs.join(", ")}`);
  const by = neededBy(index, node);
  lines.push(by.length > 0 ? `- needed by: ${by.join(", ")}` : "- needed by: nothing");
  return lines.join("\n");
}

/** The hover for a target, or undefined when there is nothing to say. */
export function hoverText(index: SpecIndex, target: Target): string | undefined {
  switch (target.kind) {
    case "setting":
      return describeSetting(target.setting, target.block.kind);
    case "module":
      return `module file \`${target.path}\``;
    default: {
      const node = nodeOf(target);
      return node !== undefined ? describeNode(index, node) : undefined;
    }
  }
}
