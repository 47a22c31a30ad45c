// Reading deployment YAML with its positions: the `yaml` library keeps each node's range, which
// a diagnostic turns into file:line:col. These helpers walk documents by key and answer the
// value and where it was written, or where it would belong when it is missing.
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import type { Span } from "../diagnostics/span.ts";

export type YamlDoc = Document.Parsed;

export function parseYamlDocuments(text: string): YamlDoc[] {
  return parseAllDocuments(text, { keepSourceTokens: false, prettyErrors: false }) as YamlDoc[];
}

/** The first line of a node: a whole mapping would underline every line it holds. */
export function spanOfNode(node: Node | null | undefined, text: string): Span | undefined {
  const range = node?.range;
  if (range == null) return undefined;
  const [start, valueEnd] = range;
  const lineEnd = text.indexOf("\n", start);
  return { start, end: Math.max(start + 1, Math.min(valueEnd, lineEnd < 0 ? valueEnd : lineEnd)) };
}

export function findPair(map: unknown, key: string): Pair<Node, Node> | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap<Node, Node>).items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** The value node at `key` of a mapping, or undefined. */
export function getNode(map: unknown, key: string): Node | undefined {
  const value = findPair(map, key)?.value;
  return value === null ? undefined : value;
}

export function getPath(node: unknown, keys: readonly string[]): Node | undefined {
  let at: unknown = node;
  for (const key of keys) {
    at = getNode(at, key);
    if (at === undefined) return undefined;
  }
  return at as Node;
}

/** The plain value of a scalar node (a string, number or boolean), else undefined. */
export function scalarValue(node: unknown): string | number | boolean | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined;
}

export function seqItems(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

/** Where `key` is written in `map` (its key), else the map's own first line: what a report about it points at. */
export function spanOfKey(map: unknown, key: string, text: string, fallback: Span): Span {
  const pair = findPair(map, key);
  return spanOfNode(pair?.key as Node | undefined, text) ?? spanOfNode(map as Node, text) ?? fallback;
}

/** A value's span, or its key's when the value is empty, or the fallback. */
export function spanOfValue(map: unknown, key: string, text: string, fallback: Span): Span {
  const pair = findPair(map, key);
  return spanOfNode(pair?.value as Node | undefined, text) ?? spanOfNode(pair?.key as Node | undefined, text) ?? fallback;
}
