// What every check receives: the spec, the options, and lazily built views of it (the scope
// tree, the dependency graph). Kept apart from compiler/analysis/registry.ts, the registry, so that the
// check modules can import it without an import cycle.
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Block, Setting, SpecFile } from "../language/ast.ts";
import type { Span } from "../diagnostics/span.ts";
import { DependencyGraph } from "../model/dependency-graph.ts";
import type { Args, DiagnosticExtras, MessageDef } from "../diagnostics/catalogue.ts";
import type { ResolvedApp } from "../model/model.ts";
import { nodeTable, type NodeTable } from "../model/node-table.ts";
import { buildTree, type SpecTree } from "../model/scope-tree.ts";
import { findBudgetOverruns, findWorstCaseShutdown, type BudgetOverrun, type WorstCase } from "../model/timing-paths.ts";

/** What a path names, symbolic links followed: "other" is anything else that exists (a FIFO, a device). */
export type PathKind = "file" | "directory" | "other" | "missing";

export interface CheckOptions {
  /** Whether a module file exists; injected so that tests run on strings. */
  fileExists(absPath: string): boolean;
  /** Whether a directory exists (`cwd`); `fileExists` answers when this is not given. */
  directoryExists?(absPath: string): boolean;
  /**
   * What a path names. When not given, `fileExists` and `directoryExists` answer (what exists and
   * is not a directory is a file), so tests that only care about existence stay one-liners.
   */
  statPath?(absPath: string): PathKind;
  /**
   * The names in a directory (none when it cannot be read); when given, a module path that does
   * not exist gets a did-you-mean from the files near it.
   */
  listDirectory?(absPath: string): readonly string[];
  /** The directory of the spec file: module paths are relative to it. */
  specDir: string;
  /**
   * The text of a module file, to read its exports (undefined: not read, as in tests on strings,
   * or unreadable). Only files the other module checks accepted are read.
   */
  readFile?(absPath: string): string | undefined;
  /**
   * The PATH an exec's bare program name is looked up in (the compiling machine's), with the
   * platform's delimiter; the lookup is skipped when not given.
   */
  searchPath?: string;
  /**
   * The project's folder, which module paths must stay inside. When not given: the nearest folder
   * at or above specDir holding a package.json, else specDir (see docs/language.md).
   */
  projectRoot?: string;
}

export class CheckContext {
  private treeCache: SpecTree | undefined;
  private graphCache: DependencyGraph | undefined;
  private cyclesCache: number[][] | undefined;
  private readonly kinds = new Map<string, PathKind>();
  private readonly insideProject = new Map<string, boolean>();
  private readonly texts = new Map<string, string | undefined>();
  private projectRootCache: string | undefined;
  /** Candidates that did-you-mean searches may still look at (see spendSuggestionWork). */
  private suggestionWork = 1_000_000;

  constructor(
    readonly spec: SpecFile,
    readonly app: Block,
    readonly options: CheckOptions,
  ) {}

  /**
   * Whether a did-you-mean search over `candidates` names may still run. Each unknown name is
   * compared with every visible name, so a spec of thousands of unknown names among thousands of
   * declared ones would cost their product; past a fixed amount of work in total, later unknown
   * names are still reported, without a suggestion.
   */
  spendSuggestionWork(candidates: number): boolean {
    if (this.suggestionWork < candidates) return false;
    this.suggestionWork -= candidates;
    return true;
  }

  get fileName(): string {
    return this.spec.fileName;
  }

  get tree(): SpecTree {
    return (this.treeCache ??= buildTree(this.app));
  }

  get graph(): DependencyGraph {
    return (this.graphCache ??= new DependencyGraph(this.tree));
  }

  /**
   * What `relativePath` from the spec's directory names, asked once per path: services often
   * share a module, and each question is a path resolution and a system call.
   */
  specPathKind(relativePath: string): PathKind {
    let kind = this.kinds.get(relativePath);
    if (kind === undefined) this.kinds.set(relativePath, (kind = this.pathKind(resolve(this.options.specDir, relativePath))));
    return kind;
  }

  /**
   * Whether `relativePath`, as written and resolved against the spec's directory, stays inside the
   * project, asked once per path. Symbolic links are not resolved: a link inside the project is
   * the project's own choice.
   */
  specPathInsideProject(relativePath: string): boolean {
    let inside = this.insideProject.get(relativePath);
    if (inside === undefined) {
      const fromRoot = relative(this.projectRoot, resolve(this.options.specDir, relativePath));
      inside = fromRoot !== ".." && !fromRoot.startsWith(`..${sep}`) && !isAbsolute(fromRoot);
      this.insideProject.set(relativePath, inside);
    }
    return inside;
  }

  /** The names in a directory given relative to the spec's (none when there is no lister). */
  specDirectoryEntries(relativePath: string): readonly string[] {
    const { listDirectory } = this.options;
    if (listDirectory === undefined) return [];
    try {
      return listDirectory(resolve(this.options.specDir, relativePath));
    } catch {
      return [];
    }
  }

  /** Whether a regular file exists at `relativePath` from the spec's directory. */
  specFileExists(relativePath: string): boolean {
    return this.specPathKind(relativePath) === "file";
  }

  /** The text of the module at `relativePath` from the spec's directory, read once per path. */
  specFileText(relativePath: string): string | undefined {
    if (this.texts.has(relativePath)) return this.texts.get(relativePath);
    let text: string | undefined;
    try {
      text = this.options.readFile?.(resolve(this.options.specDir, relativePath));
    } catch {
      text = undefined; // unreadable: the import will say why, and nothing here can tell more
    }
    this.texts.set(relativePath, text);
    return text;
  }

  /** The folder module paths must stay inside (CheckOptions.projectRoot), found once. */
  get projectRoot(): string {
    return (this.projectRootCache ??= this.options.projectRoot ?? this.findProjectRoot());
  }

  private findProjectRoot(): string {
    const start = resolve(this.options.specDir);
    for (let dir = start; ; dir = dirname(dir)) {
      if (this.pathKind(join(dir, "package.json")) === "file") return dir;
      if (dirname(dir) === dir) return start;
    }
  }

  private pathKind(absPath: string): PathKind {
    const { statPath, fileExists, directoryExists } = this.options;
    try {
      if (statPath !== undefined) return statPath(absPath);
      if (!fileExists(absPath)) return "missing";
      return directoryExists?.(absPath) === true ? "directory" : "file";
    } catch {
      return "missing"; // a path the file system rejects (e.g. with a NUL byte) does not exist
    }
  }

  /** The start-order cycles (strongly connected components); order checks need none. */
  get cycles(): readonly number[][] {
    return (this.cyclesCache ??= this.graph.findCycles());
  }
}

export type Accept = <D extends MessageDef<readonly any[]>>(def: D, span: Span, args: Args<D>, extras?: DiagnosticExtras) => void;

/**
 * When a check runs, in this order:
 * - `local`: always, even on a tree recovered from syntax errors (it looks at one setting at a time);
 * - `structure`: on a clean parse only (a missing '}' would move every later block);
 * - `model`: on the resolved tree (a ModelCheck), once every error so far is one that `keepsModel`;
 * - `fallback`: on a clean parse whose errors keep the model tier from running, standing in
 *   for the part of it that can be checked without the resolved tree.
 */
export type Tier = "local" | "structure" | "fallback" | "model";

export interface Check {
  /** Names the check in the report of its own failure (SUP9002). */
  readonly name: string;
  readonly tier: Exclude<Tier, "model">;
  /**
   * True when the errors it reports leave the resolved tree intact, so the model tier still runs
   * after them: a missing module file changes nothing in the tree, and is common while a spec is
   * being written.
   */
  readonly keepsModel?: boolean;
  run(ctx: CheckContext, accept: Accept): void;
}

/** Every block of an app in preorder, with its parent (undefined for the app). */
interface BlockList {
  readonly blocks: readonly Block[];
  readonly parents: readonly (Block | undefined)[];
}

/** Listed once per app: a dozen checks visit every block, and a list is cheaper to walk than the tree. */
const blockLists = new WeakMap<Block, BlockList>();

function listBlocks(app: Block): BlockList {
  const blocks: Block[] = [];
  const parents: (Block | undefined)[] = [];
  // Iterative, children pushed in reverse: preorder in declaration order without recursion.
  const stack: [Block, Block | undefined][] = [[app, undefined]];
  while (stack.length > 0) {
    const [block, parent] = stack.pop()!;
    blocks.push(block);
    parents.push(parent);
    for (let i = block.children.length - 1; i >= 0; i--) stack.push([block.children[i]!, block]);
  }
  return { blocks, parents };
}

/** Visits every block, parents before children, with its parent (undefined for the app). */
export function forEachBlock(app: Block, visit: (block: Block, parent: Block | undefined) => void): void {
  let list = blockLists.get(app);
  if (list === undefined) blockLists.set(app, (list = listBlocks(app)));
  for (let i = 0; i < list.blocks.length; i++) visit(list.blocks[i]!, list.parents[i]);
}

/** `service 'db'`, `app 'shop'`: how messages name a block. */
export function describeBlock(block: Block): string {
  return `${block.kind} '${block.name.text}'`;
}

/**
 * What the checks that need the resolved tree receive (timing, restarts, deploy): the
 * ResolvedApp, whose nodes know where their values were written, and the worst-case figures,
 * computed once.
 */
export class ModelView {
  private worstCaseCache: WorstCase | undefined;
  private overrunsCache: BudgetOverrun[] | undefined;

  constructor(readonly app: ResolvedApp) {}

  get table(): NodeTable {
    return nodeTable(this.app);
  }

  get worstCase(): WorstCase {
    return (this.worstCaseCache ??= findWorstCaseShutdown(this.app));
  }

  get overruns(): readonly BudgetOverrun[] {
    return (this.overrunsCache ??= findBudgetOverruns(this.app, this.worstCase));
  }
}

export interface ModelCheck {
  readonly name: string;
  readonly tier: "model";
  run(model: ModelView, accept: Accept): void;
}

export type AnyCheck = Check | ModelCheck;

type SettingOf<K extends Setting["kind"]> = Extract<Setting, { kind: K }>;

/** The first setting of a kind in a block (a repeat is reported as a duplicate). */
export function findSetting<K extends Setting["kind"]>(block: Block, kind: K): SettingOf<K> | undefined {
  return block.settings.find((s): s is SettingOf<K> => s.kind === kind);
}
