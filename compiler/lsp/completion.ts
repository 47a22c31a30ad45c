// Completion by position: what the words before the cursor on its line call for. Setting words
// come from the vocabulary (those allowed in the enclosing block), so a setting added there is
// offered without a change here.
import { isAllowed, PLACED_KINDS, SETTING_FIRST_WORDS, PLATFORMS, RESTART_POLICIES, SETTINGS, SHUTDOWN_SIGNALS, STOP_SIGNALS, STRATEGIES } from "../language/vocabulary.ts";
import type { BlockKind } from "../language/ast.ts";
import { displayId, scopeChain } from "../model/scope-tree.ts";
import { enclosingBlock, type SpecIndex } from "./spec-index.ts";

export type CompletionKind = "keyword" | "name" | "value";

export interface CompletionChoice {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
}

function values(list: readonly string[], detail: string): CompletionChoice[] {
  return list.map((label) => ({ label, kind: "value" as const, detail }));
}

/** The words of the current line before the cursor, the word being typed left out. */
function wordsBefore(text: string, offset: number): string[] {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const line = text.slice(lineStart, offset).replace(/[A-Za-z0-9_.-]*$/, "");
  // Only what follows the last `{` or `}` on the line belongs to the current item.
  const item = line.slice(Math.max(line.lastIndexOf("{"), line.lastIndexOf("}")) + 1);
  const words = item.split(/\s+/).filter((w) => w !== "");
  // Several settings may share a line: the current one starts at the last setting word that is
  // not itself a name in a list (`needs start` names a service called `start`).
  for (let i = words.length - 1; i > 0; i--) {
    const previous = words[i - 1]!;
    const inList = previous.endsWith(",") || previous === "->" || previous === "needs" || previous === "shutdown";
    if (SETTING_FIRST_WORDS.includes(words[i]!) && !inList) return words.slice(i);
  }
  return words;
}

function keywordsIn(block: BlockKind | undefined): CompletionChoice[] {
  if (block === undefined) return [{ label: "app", kind: "keyword", detail: "the app block" }];
  const settings = PLACED_KINDS.filter((k) => isAllowed(k, block)).map((k) => ({ label: SETTINGS[k].words, kind: "keyword" as const, detail: SETTINGS[k].meaning }));
  const blocks = block === "service" ? [] : [
    { label: "service", kind: "keyword" as const, detail: "a service block" },
    { label: "supervisor", kind: "keyword" as const, detail: "a supervisor block" },
  ];
  return [...settings, ...blocks];
}

export function complete(index: SpecIndex, text: string, offset: number): CompletionChoice[] {
  const words = wordsBefore(text, offset);
  const block = enclosingBlock(index, offset);
  const first = words[0];
  const last = words[words.length - 1];
  const listing = last === undefined || last.endsWith(",") || last === "->" || words.length === 1;
  if (first === "needs" && listing) {
    // What a `needs` here can name: the children of each enclosing scope, plus full ids.
    const names = new Set<string>();
    const scope = block?.parent ?? block;
    for (const s of scope !== undefined ? scopeChain(scope) : []) for (const c of s.children) if (c !== block) names.add(c.name);
    for (const node of index.tree?.nodes ?? []) if (node.id !== "" && node !== block) names.add(displayId(node));
    // Not what this line already lists.
    for (const word of words.slice(1)) names.delete(word.replace(/,$/, ""));
    return [...names].map((label) => ({ label, kind: "name" as const }));
  }
  if (first === "shutdown" && listing) return (block?.children ?? []).map((c) => ({ label: c.name, kind: "name" as const }));
  if (first === "signals" && listing) return values(SHUTDOWN_SIGNALS, "shutdown signal");
  if (words.length === 2 && first === "stop" && last === "signal") return values(STOP_SIGNALS, "stop signal");
  if (words.length === 1 && first === "strategy") return values(STRATEGIES, "strategy");
  if (words.length === 1 && first === "restart") return values(RESTART_POLICIES, "restart policy");
  if (words.length === 1 && first === "deploy") return values(PLATFORMS, "platform");
  if (words.length === 1 && first === "stop") return [{ label: "timeout", kind: "keyword" }, { label: "signal", kind: "keyword" }];
  if (words.length === 1 && first === "start") return [{ label: "timeout", kind: "keyword" }];
  if (words.length === 0) return keywordsIn(block?.kind);
  return [];
}
