// Names: unique within a supervisor, distinct as TypeScript identifiers, and distinct as keys of
// a node's `scope.deps` (the key of a need is the last segment of its path).
import type { Check } from "./context.ts";
import { toPascalCase, isValidName } from "../language/identifiers.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { describeNode, type BoundNeed, type TreeNode } from "../model/scope-tree.ts";

const checkDuplicateNames: Check = {
  name: "duplicate names",
  tier: "structure",
  run(ctx, accept) {
    for (const node of ctx.tree.nodes) {
      for (const child of node.children) {
        const first = node.childByName.get(child.name)!;
        if (first === child) continue;
        accept(M.duplicateName, child.block.name.span, [child.name, describeNode(node)], {
          related: [{ message: N.firstDeclaredHere(child.name), span: first.block.name.span }],
        });
      }
    }
  },
};

const checkIdentifierCollisions: Check = {
  name: "identifier collisions",
  tier: "structure",
  run(ctx, accept) {
    const byIdentifier = new Map<string, TreeNode>();
    for (const node of ctx.tree.nodes) {
      // The root has no id; duplicates (same id) are reported as duplicate names.
      if (node.id === "" || !isValidId(node.id)) continue;
      const identifier = toPascalCase(node.id);
      const first = byIdentifier.get(identifier);
      if (first === undefined) {
        byIdentifier.set(identifier, node);
      } else if (first.id !== node.id) {
        accept(M.identifierCollision, node.block.name.span, [node.id, first.id, identifier], {
          related: [{ message: N.declaredHere(first.id), span: first.block.name.span }],
          hint: H.renameOneOfThem(),
        });
      }
    }
  },
};

/** Whether every segment of a dotted id is a valid name; a top-level id (most) is not split. */
function isValidId(id: string): boolean {
  return id.includes(".") ? id.split(".").every(isValidName) : isValidName(id);
}

const checkNeedKeys: Check = {
  name: "need keys",
  tier: "structure",
  run(ctx, accept) {
    for (const node of ctx.tree.nodes) {
      // One need cannot repeat a key: no map for it (most nodes of a large spec need one or none).
      if (node.needs.length < 2) continue;
      const byKey = new Map<string, BoundNeed>();
      for (const need of node.needs) {
        if (need.resolution.kind !== "found" || need.via !== "needs") continue;
        const key = need.ref.parts[need.ref.parts.length - 1]!.text;
        const first = byKey.get(key);
        if (first === undefined) {
          byKey.set(key, need);
          continue;
        }
        const related = [{ message: N.firstIsHere(), span: first.ref.span }];
        if (first.resolution.kind === "found" && first.resolution.node === need.resolution.node) {
          accept(M.duplicateNeed, need.ref.span, [node.id, need.resolution.node.id], { related });
        } else {
          accept(M.duplicateDepKey, need.ref.span, [key, first.ref.text, need.ref.text], {
            related,
            hint: H.renameOneNeed(),
          });
        }
      }
    }
  },
};

/**
 * A supervisor's needs are in the deps of everything inside it (docs/language.md), so a key must
 * name one node from a service up to the app: a need whose key an enclosing supervisor's need
 * already uses for another node is an error (the same node again is simply shared).
 */
const checkInheritedNeedKeys: Check = {
  name: "inherited need keys",
  tier: "structure",
  run(ctx, accept) {
    /** By node index: the keys its supervisors pass down to it, nearest first. */
    const passed: (ReadonlyMap<string, { need: BoundNeed; owner: TreeNode }> | undefined)[] = [];
    for (const node of ctx.tree.nodes) {
      const inherited = node.parent !== undefined ? passed[node.parent.index] : undefined;
      // A service passes nothing down: with nothing passed to it either, it has nothing to check
      // (most services of a large spec), and it never needs a map of its own keys.
      if (node.kind === "service" && inherited === undefined) continue;
      const own = node.kind === "service" ? undefined : new Map<string, { need: BoundNeed; owner: TreeNode }>();
      for (const need of node.needs) {
        if (need.resolution.kind !== "found" || need.via !== "needs") continue;
        const key = need.ref.parts[need.ref.parts.length - 1]!.text;
        if (own !== undefined && !own.has(key)) own.set(key, { need, owner: node });
        const outer = inherited?.get(key);
        if (outer === undefined || outer.need.resolution.kind !== "found" || outer.need.resolution.node === need.resolution.node) continue;
        const supervisor = outer.owner.id;
        accept(M.inheritedDepKey, need.ref.span, [key, need.ref.text, outer.need.ref.text, supervisor], {
          related: [{ message: N.supervisorNeedsIt(supervisor), span: outer.need.ref.span }],
          hint: H.renameInheritedNeed(),
        });
      }
      if (own === undefined) continue;
      if (own.size === 0) passed[node.index] = inherited;
      else {
        for (const [key, entry] of inherited ?? []) if (!own.has(key)) own.set(key, entry);
        passed[node.index] = own;
      }
    }
  },
};

export const CHECKS: readonly Check[] = [checkDuplicateNames, checkIdentifierCollisions, checkNeedKeys, checkInheritedNeedKeys];
