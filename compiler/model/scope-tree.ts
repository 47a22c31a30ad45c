// The binder: the app's blocks as a tree of nodes with ids (dotted paths from the app, root ""),
// and the resolution of every name a spec mentions. Resolution is lexical: a plain name is
// looked up in the children of each enclosing supervisor from the inside out, and the app's
// name stands for the root; a match in more than one scope is ambiguous rather than shadowed,
// so moving a block never silently changes what a name means. Nothing here reports
// diagnostics; the checks read the results.
import type { Block, BlockKind, Ref } from "../language/ast.ts";

export interface TreeNode {
  /** Dotted path from the app; "" for the root (the app itself). */
  readonly id: string;
  readonly name: string;
  readonly kind: BlockKind;
  readonly block: Block;
  readonly parent: TreeNode | undefined;
  readonly children: readonly TreeNode[];
  /** The first child declared with each name (a duplicate is an error reported by a check). */
  readonly childByName: ReadonlyMap<string, TreeNode>;
  /** Preorder position: declaration order, and a node's subtree is [index, subtreeEnd). */
  readonly index: number;
  readonly subtreeEnd: number;
  /** What its `needs` and `after` name, in the order written. */
  readonly needs: readonly BoundNeed[];
}

export interface BoundNeed {
  readonly ref: Ref;
  readonly resolution: Resolution;
  /**
   * The setting that wrote it: `needs` (a dependency: in deps, restarted with its target) or
   * `after` (an order only). Both order the start and the stop.
   */
  readonly via: "needs" | "after";
}

export type Resolution =
  | { readonly kind: "found"; readonly node: TreeNode }
  /**
   * `parts[failedAt]` names nothing; `candidates` lists the names that were visible there, on
   * demand: only a did-you-mean reads them, and a list built for every unknown name of a large
   * spec costs time and memory in the square of its size.
   */
  | { readonly kind: "unknown"; readonly failedAt: number; readonly candidates: () => Iterable<TreeNode>; readonly within: TreeNode | undefined }
  | { readonly kind: "ambiguous"; readonly matches: readonly TreeNode[] }
  /** `parts[failedAt]` tries to reach into `service`, which has no children. */
  | { readonly kind: "into-service"; readonly failedAt: number; readonly service: TreeNode };

export interface SpecTree {
  readonly appName: string;
  readonly root: TreeNode;
  /** Every node in preorder (declaration order), root first. */
  readonly nodes: readonly TreeNode[];
  /** The nodes (root excluded) declared with each name, in declaration order. */
  readonly nodesByName: ReadonlyMap<string, readonly TreeNode[]>;
}

interface MutableNode {
  id: string;
  name: string;
  kind: BlockKind;
  block: Block;
  parent: MutableNode | undefined;
  children: readonly MutableNode[];
  childByName: ReadonlyMap<string, MutableNode>;
  index: number;
  subtreeEnd: number;
  needs: BoundNeed[];
}

export function buildTree(app: Block): SpecTree {
  const nodes: MutableNode[] = [];
  const visit = (block: Block, parent: MutableNode | undefined): MutableNode => {
    const id = parent === undefined ? "" : parent.id === "" ? block.name.text : `${parent.id}.${block.name.text}`;
    const node: MutableNode = {
      id,
      name: block.name.text,
      kind: block.kind,
      block,
      parent,
      // Shared by the leaves (every service): a large spec has thousands, each with no children.
      children: NO_CHILDREN,
      childByName: NO_NAMES,
      index: nodes.length,
      subtreeEnd: 0,
      needs: [],
    };
    nodes.push(node);
    if (block.children.length > 0) {
      const children: MutableNode[] = [];
      const childByName = new Map<string, MutableNode>();
      for (const child of block.children) {
        const childNode = visit(child, node);
        children.push(childNode);
        if (!childByName.has(childNode.name)) childByName.set(childNode.name, childNode);
      }
      node.children = children;
      node.childByName = childByName;
    }
    node.subtreeEnd = nodes.length;
    return node;
  };
  const root = visit(app, undefined);
  // Grouped on first use: only a reference to an unknown name asks, and a spec without one would
  // build a list per node for nothing.
  let nodesByName: Map<string, MutableNode[]> | undefined;
  const tree: SpecTree = {
    appName: app.name.text,
    root,
    nodes,
    get nodesByName() {
      return (nodesByName ??= groupByName(nodes));
    },
  };
  for (const node of nodes) {
    // A node's `needs` resolves from its parent's scope (for a supervisor: not its own children).
    if (node.parent === undefined) continue;
    for (const setting of node.block.settings) {
      if (setting.kind !== "needs" && setting.kind !== "after") continue;
      for (const ref of setting.refs) node.needs.push({ ref, resolution: resolveRef(tree, ref, node.parent), via: setting.kind });
    }
  }
  return tree;
}

const NO_CHILDREN: readonly MutableNode[] = [];
const NO_NAMES: ReadonlyMap<string, MutableNode> = new Map();

/** The nodes (root excluded) declared with each name, in declaration order. */
function groupByName(nodes: readonly MutableNode[]): Map<string, MutableNode[]> {
  const byName = new Map<string, MutableNode[]>();
  for (const node of nodes) {
    if (node.parent === undefined) continue;
    const same = byName.get(node.name);
    if (same === undefined) byName.set(node.name, [node]);
    else same.push(node);
  }
  return byName;
}

/** The scopes searched for a plain name from `scope`: itself, then each enclosing supervisor. */
export function scopeChain(scope: TreeNode): TreeNode[] {
  const chain: TreeNode[] = [];
  for (let s: TreeNode | undefined = scope; s !== undefined; s = s.parent) chain.push(s);
  return chain;
}

/** Resolves `ref` starting in the children of `scope`, then outward; the app's name is the root. */
export function resolveRef(tree: SpecTree, ref: Ref, scope: TreeNode): Resolution {
  const first = ref.parts[0]!.text;
  const matches: TreeNode[] = [];
  for (let s: TreeNode | undefined = scope; s !== undefined; s = s.parent) {
    const match = s.childByName.get(first);
    if (match !== undefined) matches.push(match);
  }
  if (first === tree.appName) matches.push(tree.root);
  if (matches.length === 0) {
    const candidates = function* (): Iterable<TreeNode> {
      for (let s: TreeNode | undefined = scope; s !== undefined; s = s.parent) yield* s.children;
      yield tree.root;
    };
    return { kind: "unknown", failedAt: 0, candidates, within: undefined };
  }
  if (matches.length > 1) return { kind: "ambiguous", matches };
  return walkPath(ref, matches[0]!, 1);
}

/** Follows `ref.parts[from..]` down from `start` through supervisors' children. */
export function walkPath(ref: Ref, start: TreeNode, from: number): Resolution {
  let current = start;
  for (let i = from; i < ref.parts.length; i++) {
    if (current.kind === "service") return { kind: "into-service", failedAt: i, service: current };
    const next = current.childByName.get(ref.parts[i]!.text);
    if (next === undefined) return { kind: "unknown", failedAt: i, candidates: () => current.children, within: current };
    current = next;
  }
  return { kind: "found", node: current };
}

/** True when `node` is `ancestor` or lies inside it. */
export function isWithin(node: TreeNode, ancestor: TreeNode): boolean {
  return node.index >= ancestor.index && node.index < ancestor.subtreeEnd;
}

/** `service 'db'`, `supervisor 'workers'`, `app 'shop'` — how messages name a block. */
export function describeNode(node: TreeNode): string {
  return `${node.kind} '${node.id === "" ? node.name : node.id}'`;
}

/** The id as users read it in messages; the root is shown by the app's name. */
export function displayId(node: TreeNode): string {
  return node.id === "" ? node.name : node.id;
}

/**
 * A name in `supervisor`'s shutdown line: a plain name is one of its children; a dotted path is
 * resolved lexically (so `shop.api` works in the app). A result that is not a child of
 * `supervisor` is reported by the shutdown checks.
 */
export function resolveShutdownRef(tree: SpecTree, ref: Ref, supervisor: TreeNode): Resolution {
  if (ref.parts.length > 1) return resolveRef(tree, ref, supervisor);
  const child = supervisor.childByName.get(ref.text);
  if (child !== undefined) return { kind: "found", node: child };
  const lexical = resolveRef(tree, ref, supervisor);
  if (lexical.kind === "found") return lexical;
  return { kind: "unknown", failedAt: 0, candidates: () => supervisor.children, within: supervisor };
}
