// References in `needs` (and, through reportUnresolved, in `shutdown`): unknown names with a
// did-you-mean, ambiguous names with the paths that would disambiguate them, paths into a
// service, and needs that point at the node itself or along its own line of ancestors.
import type { Ref } from "../language/ast.ts";
import type { Accept, Check, CheckContext } from "./context.ts";
import { findClosest } from "../diagnostics/did-you-mean.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { displayId, isWithin, resolveRef, type Resolution, type TreeNode } from "../model/scope-tree.ts";

/** A path that names `node` unambiguously from `scope`: its id, or the id behind the app name. */
function pathFrom(ctx: CheckContext, node: TreeNode, scope: TreeNode): string {
  if (node.id === "") return ctx.tree.appName;
  const parts = node.id.split(".").map((text) => ({ text, span: { start: 0, end: 0 } }));
  const ref: Ref = { parts, text: node.id, span: { start: 0, end: 0 } };
  const resolution = resolveRef(ctx.tree, ref, scope);
  return resolution.kind === "found" && resolution.node === node ? node.id : `${ctx.tree.appName}.${node.id}`;
}

/**
 * Reports a failed resolution of `ref` (in `where`, e.g. 'needs'). `owner` is the node whose
 * `needs` it is, so that suggestions leave out what it could never need (itself, its ancestors,
 * its descendants); undefined for a shutdown line, which names children.
 */
export function reportUnresolved(
  ctx: CheckContext,
  accept: Accept,
  ref: Ref,
  resolution: Exclude<Resolution, { kind: "found" }>,
  where: string,
  owner: TreeNode | undefined,
  scope: TreeNode,
): void {
  switch (resolution.kind) {
    case "unknown": {
      const part = ref.parts[resolution.failedAt]!;
      const within = resolution.within !== undefined && resolution.failedAt > 0 ? displayId(resolution.within) : where;
      // Declared, but not visible from here: say where it lives (exact names beat fuzzy ones).
      const elsewhere = resolution.failedAt === 0 ? (ctx.tree.nodesByName.get(part.text) ?? []) : [];
      const own = owner === undefined ? undefined : elsewhere.find((n) => isWithin(n, owner) && n !== owner);
      if (own !== undefined && owner !== undefined) {
        accept(M.unknownReference, part.span, [part.text, within], {
          hint: H.cannotNeedOwnChild(own.id, owner.id),
        });
        return;
      }
      if (elsewhere.length > 0) {
        const paths = elsewhere.slice(0, 3).map((n) => pathFrom(ctx, n, scope));
        accept(M.unknownReference, part.span, [part.text, within], {
          hint: H.writeThePathInScope(paths),
          related: elsewhere.slice(0, 3).map((n) => ({ message: N.declaredHere(n.id), span: n.block.name.span })),
        });
        return;
      }
      // Suggest only what could be needed: not the owner, its ancestors or its descendants.
      const candidates = function* (): Iterable<TreeNode> {
        for (const c of resolution.candidates()) if (owner === undefined || (!isWithin(owner, c) && !isWithin(c, owner))) yield c;
      };
      const target = findClosestNode(ctx, part.text, candidates);
      accept(
        M.unknownReference,
        part.span,
        [part.text, within],
        target !== undefined
          ? { hint: H.didYouMean(target.name), related: [{ message: N.declaredHere(target.name), span: target.block.name.span }] }
          : {},
      );
      return;
    }
    case "ambiguous": {
      const paths = resolution.matches.map((m) => pathFrom(ctx, m, scope));
      accept(M.ambiguousReference, ref.parts[0]!.span, [ref.parts[0]!.text, resolution.matches.length], {
        hint: H.writeAPath(paths),
        related: resolution.matches.map((m) => ({
          message: m.id === "" ? N.appIsNamed(m.name) : N.declaredHere(m.id),
          span: m.block.name.span,
        })),
      });
      return;
    }
    case "into-service": {
      const part = ref.parts[resolution.failedAt - 1]!;
      accept(M.pathIntoService, part.span, [part.text], {
        related: [{ message: N.kindDeclaredHere("service", resolution.service.id), span: resolution.service.block.name.span }],
      });
      return;
    }
    default: {
      // A new way for a name not to resolve must be reported above.
      const unhandled: never = resolution;
      void unhandled;
    }
  }
}

/**
 * The closest of `candidates` to `word`, the first declared on a tie. Each candidate looked at
 * spends the context's suggestion budget; a search that runs out of it suggests nothing.
 */
function findClosestNode(ctx: CheckContext, word: string, candidates: () => Iterable<TreeNode>): TreeNode | undefined {
  let exhausted = false;
  const names = function* (): Iterable<string> {
    for (const c of candidates()) {
      if (!ctx.spendSuggestionWork(1)) {
        exhausted = true;
        return;
      }
      yield c.name;
    }
  };
  const closest = findClosest(word, names());
  if (closest === undefined || exhausted) return undefined;
  for (const c of candidates()) if (c.name === closest) return c;
  return undefined;
}

const checkNeeds: Check = {
  name: "needs references",
  tier: "structure",
  run(ctx, accept) {
    for (const node of ctx.tree.nodes) {
      for (const need of node.needs) {
        const resolution = need.resolution;
        if (resolution.kind !== "found") {
          reportUnresolved(ctx, accept, need.ref, resolution, need.via, node, node.parent!);
          continue;
        }
        const target = resolution.node;
        const related = [{ message: N.kindDeclaredHere(target.kind, displayId(target)), span: target.block.name.span }];
        const verb = need.via === "needs" ? "needs" : "starts after";
        if (target === node) {
          accept(M.needsOwnLineage, need.ref.span, [`'${node.id}' ${verb} itself`]);
        } else if (isWithin(node, target)) {
          accept(M.needsOwnLineage, need.ref.span, [`'${node.id}' ${verb} '${displayId(target)}', which contains it`], {
            related,
            hint: H.cannotWaitForSupervisor(),
          });
        } else if (isWithin(target, node)) {
          accept(M.needsOwnLineage, need.ref.span, [`'${node.id}' ${verb} '${target.id}', which is inside it`], {
            related,
            hint: H.cannotWaitForChildren(),
          });
        }
      }
    }
  },
};

export const CHECKS: readonly Check[] = [checkNeeds];
