// What an editor asks of a spec: what is under the cursor, where a name is declared and where it
// is referred to. Built on the binder (compiler/model/scope-tree.ts), so a name resolves here
// exactly as the checks resolve it.
import { dirname, resolve } from "node:path";
import type { Block, Ref, SpecFile } from "../language/ast.ts";
import type { PlacedKind } from "../language/vocabulary.ts";
import type { Span } from "../diagnostics/span.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ResolvedApp } from "../model/model.ts";
import { buildTree, resolveShutdownRef, type Resolution, type SpecTree, type TreeNode } from "../model/scope-tree.ts";
import { analyzeSpecText } from "../driver/api.ts";

/** A name in a `needs` or `shutdown` line, with the block whose line it is. */
export interface RefSite {
  readonly ref: Ref;
  readonly owner: TreeNode;
  readonly resolution: Resolution;
}

export type Target =
  | { readonly kind: "declaration"; readonly node: TreeNode }
  | { readonly kind: "reference"; readonly site: RefSite; readonly part: number }
  | { readonly kind: "module"; readonly path: string; readonly span: Span; readonly absPath: string }
  | { readonly kind: "setting"; readonly setting: PlacedKind; readonly block: TreeNode; readonly span: Span };

export interface SpecIndex {
  readonly path: string;
  readonly spec: SpecFile;
  readonly diagnostics: readonly Diagnostic[];
  /** Only when the spec has no errors. */
  readonly app: ResolvedApp | undefined;
  readonly tree: SpecTree | undefined;
  readonly refs: readonly RefSite[];
}

/** Analyses a document's text as the CLI would the file at `path`. */
export function indexSpec(text: string, path: string, displayName: string): SpecIndex {
  const analysis = analyzeSpecText(text, displayName, dirname(path));
  const app = analysis.spec.app;
  const tree = app !== undefined ? buildTree(app) : undefined;
  const refs: RefSite[] = [];
  if (tree !== undefined) {
    for (const node of tree.nodes) {
      for (const need of node.needs) refs.push({ ref: need.ref, owner: node, resolution: need.resolution });
      for (const shutdown of node.block.shutdowns) {
        for (const phase of shutdown.phases) for (const ref of phase) refs.push({ ref, owner: node, resolution: resolveShutdownRef(tree, ref, node) });
      }
    }
  }
  return { path, spec: analysis.spec, diagnostics: analysis.diagnostics, app: analysis.app, tree, refs };
}

function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/** What the cursor is on, if it is on something an editor can explain or follow. */
export function findTarget(index: SpecIndex, offset: number): Target | undefined {
  if (index.tree === undefined) return undefined;
  for (const site of index.refs) {
    const part = site.ref.parts.findIndex((p) => contains(p.span, offset));
    if (part >= 0) return { kind: "reference", site, part };
  }
  for (const node of index.tree.nodes) {
    const block = node.block;
    if (contains(block.name.span, offset)) return { kind: "declaration", node };
    for (const setting of block.settings) {
      if (setting.kind === "module" && contains(setting.path.span, offset)) {
        return { kind: "module", path: setting.path.value, span: setting.path.span, absPath: resolve(dirname(index.path), setting.path.value) };
      }
      if (contains(setting.keywordSpan, offset)) return { kind: "setting", setting: setting.kind, block: node, span: setting.keywordSpan };
    }
    for (const shutdown of block.shutdowns) {
      if (contains(shutdown.keywordSpan, offset)) return { kind: "setting", setting: "shutdown", block: node, span: shutdown.keywordSpan };
    }
  }
  return undefined;
}

/** The node a reference's part names: the last part is what the reference resolved to, each earlier part its parent. */
export function nodeOfPart(site: RefSite, part: number): TreeNode | undefined {
  if (site.resolution.kind !== "found") return undefined;
  let node: TreeNode | undefined = site.resolution.node;
  for (let i = site.ref.parts.length - 1; i > part && node !== undefined; i--) node = node.parent;
  return node;
}

/** The node a target names (a declaration, or what a reference's part resolves to). */
export function nodeOf(target: Target | undefined): TreeNode | undefined {
  if (target?.kind === "declaration") return target.node;
  if (target?.kind === "reference") return nodeOfPart(target.site, target.part);
  return undefined;
}

/** Every span that names `node`: its declaration first, then each reference's part that names it. */
export function occurrences(index: SpecIndex, node: TreeNode): { readonly declaration: Span; readonly references: readonly Span[] } {
  const references: Span[] = [];
  for (const site of index.refs) {
    site.ref.parts.forEach((p, i) => {
      if (nodeOfPart(site, i) === node) references.push(p.span);
    });
  }
  return { declaration: node.block.name.span, references };
}

/** Every module path of the spec that names the file `absPath` (services sharing one module). */
export function moduleOccurrences(index: SpecIndex, absPath: string): Span[] {
  const spans: Span[] = [];
  for (const node of index.tree?.nodes ?? []) {
    for (const s of node.block.settings) if (s.kind === "module" && resolve(dirname(index.path), s.path.value) === absPath) spans.push(s.path.span);
  }
  return spans;
}

/** The innermost block whose braces hold `offset`. */
export function enclosingBlock(index: SpecIndex, offset: number): TreeNode | undefined {
  let found: TreeNode | undefined;
  for (const node of index.tree?.nodes ?? []) {
    const block: Block = node.block;
    if (offset > block.name.span.end && offset < block.span.end + (block.span.end === block.name.span.end ? Infinity : 0)) found = node;
  }
  return found;
}
