// Ordering: start-order cycles (on the expanded graph, see compiler/model/dependency-graph.ts) and
// explicit `shutdown` lines, which must list each child of their supervisor exactly once and
// must not stop anything before a sibling that (transitively) needs it.
import type { Ref } from "../language/ast.ts";
import { describeBlock, type Check } from "./context.ts";
import { reportUnresolved } from "./references.ts";
import type { NeedEdge } from "../model/dependency-graph.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { displayId, resolveShutdownRef, type TreeNode } from "../model/scope-tree.ts";
import { siblingDependencies } from "../model/shutdown-order.ts";

function needNote(need: NeedEdge): { message: string; span: Ref["span"] } {
  const message = need.via === "needs" ? N.needsHere(displayId(need.owner), displayId(need.target)) : N.startsAfterHere(displayId(need.owner), displayId(need.target));
  return { message, span: need.ref.span };
}

const checkCycles: Check = {
  name: "dependency cycles",
  tier: "structure",
  run(ctx, accept) {
    for (const component of ctx.cycles) {
      const cycle = ctx.graph.describeCycle(component);
      if (cycle.needs.length === 0) continue;
      const text = cycle.nodes.map(displayId).join(" -> ");
      accept(M.dependencyCycle, cycle.needs[0]!.ref.span, [text], {
        related: cycle.needs.map(needNote),
        hint: H.breakTheCycle(),
      });
    }
  },
};

interface Entry {
  readonly ref: Ref;
  readonly phase: number;
  readonly node: TreeNode;
}

/** Resolves the first shutdown line of `supervisor`; reports names that are not its children. */
function readShutdownLine(ctx: Parameters<Check["run"]>[0], accept: Parameters<Check["run"]>[1], supervisor: TreeNode): Entry[] {
  const line = supervisor.block.shutdowns[0]!;
  const entries: Entry[] = [];
  const seen = new Map<TreeNode, Ref>();
  line.phases.forEach((refs, phase) => {
    for (const ref of refs) {
      const resolution = resolveShutdownRef(ctx.tree, ref, supervisor);
      if (resolution.kind !== "found") {
        reportUnresolved(ctx, accept, ref, resolution, "shutdown", undefined, supervisor);
        continue;
      }
      const node = resolution.node;
      if (node.parent !== supervisor) {
        accept(M.shutdownNotChild, ref.span, [ref.text, describeBlock(supervisor.block)], {
          related: [{ message: N.declaredHere(displayId(node)), span: node.block.name.span }],
        });
        continue;
      }
      const first = seen.get(node);
      if (first !== undefined) {
        accept(M.shutdownDuplicate, ref.span, [ref.text], { related: [{ message: N.firstListedHere(), span: first.span }] });
        continue;
      }
      seen.set(node, ref);
      entries.push({ ref, phase, node });
    }
  });
  return entries;
}

const checkShutdownLines: Check = {
  name: "shutdown lines",
  tier: "structure",
  run(ctx, accept) {
    for (const supervisor of ctx.tree.nodes) {
      if (supervisor.kind === "service" || supervisor.block.shutdowns.length === 0) continue;
      const line = supervisor.block.shutdowns[0]!;
      const entries = readShutdownLine(ctx, accept, supervisor);
      const listed = new Set(entries.map((e) => e.node));
      const missing = supervisor.children.filter((c) => !listed.has(c) && supervisor.childByName.get(c.name) === c);
      if (missing.length > 0) {
        accept(M.shutdownMissingChild, line.keywordSpan, [missing.map((m) => m.name).join("', '"), describeBlock(supervisor.block)], {
          related: missing.map((m) => ({ message: N.declaredHere(m.name), span: m.block.name.span })),
          hint: H.listEveryChildOnce(),
        });
      }
      // Order against needs: meaningless while the graph has cycles (reported above).
      if (ctx.cycles.length > 0) continue;
      const deps = siblingDependencies(ctx.graph, supervisor);
      const entryOf = new Map(entries.map((e) => [e.node, e]));
      supervisor.children.forEach((dependent, i) => {
        const later = entryOf.get(dependent);
        if (later === undefined) return;
        for (const j of deps[i]!) {
          const needed = supervisor.children[j]!;
          const earlier = entryOf.get(needed);
          if (earlier === undefined || earlier.phase >= later.phase) continue;
          accept(M.shutdownBeforeDependent, earlier.ref.span, [needed.name, dependent.name], {
            related: [
              { message: N.stopsInLaterPhase(dependent.name), span: later.ref.span },
              ...ctx.graph.explainDependency(dependent, needed).map(needNote),
            ],
            hint: H.stopEarlier(dependent.name, needed.name),
          });
        }
      });
    }
  },
};

export const CHECKS: readonly Check[] = [checkCycles, checkShutdownLines];
