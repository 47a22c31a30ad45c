// The dependency graphs the start/stop and shutdown benchmarks run: N services, flat (no edges),
// a chain (each needs the previous one) or a layered DAG (each service in layer k > 0 needs two
// services of layer k - 1). Services are numbered in a topological order: needs point backwards.

export type ShapeName = "flat" | "chain" | "dag";

export const SHAPES: readonly ShapeName[] = ["flat", "chain", "dag"];

export const DAG_LAYERS = 10;

export interface Graph {
  readonly shape: ShapeName;
  readonly size: number;
  /** needs[i]: the services i needs, all < i. */
  readonly needs: readonly (readonly number[])[];
  /** dependents[i]: the services that need i, all > i. */
  readonly dependents: readonly (readonly number[])[];
  /** layer[i]: 0 for a service with no needs, else 1 + the deepest of its needs. */
  readonly layer: readonly number[];
}

export function buildGraph(shape: ShapeName, size: number): Graph {
  const needs: number[][] = [];
  for (let i = 0; i < size; i++) needs.push(needsOf(shape, size, i));
  const dependents: number[][] = needs.map(() => []);
  const layer: number[] = [];
  for (let i = 0; i < size; i++) {
    let depth = 0;
    for (const n of needs[i]!) {
      dependents[n]!.push(i);
      depth = Math.max(depth, layer[n]! + 1);
    }
    layer.push(depth);
  }
  return { shape, size, needs, dependents, layer };
}

function needsOf(shape: ShapeName, size: number, i: number): number[] {
  switch (shape) {
    case "flat":
      return [];
    case "chain":
      return i === 0 ? [] : [i - 1];
    case "dag": {
      const width = Math.max(1, Math.ceil(size / DAG_LAYERS));
      const k = Math.floor(i / width);
      if (k === 0) return [];
      const start = (k - 1) * width;
      const j = i - k * width;
      const a = start + j;
      const b = start + ((j + 1) % width);
      return a === b ? [a] : [a, b];
    }
  }
}

export function serviceName(i: number): string {
  return `s${i}`;
}

export function edgeCount(graph: Graph): number {
  return graph.needs.reduce((sum, n) => sum + n.length, 0);
}

/**
 * The shortest possible shutdown of a graph whose service i takes stopMs[i] to stop, when a
 * service may begin to stop only after all its dependents have stopped: the longest path,
 * weighted by stop time, from a service nobody needs down to one that needs nothing. Computed
 * here independently of the runtime (in reverse topological order).
 */
export function criticalPathMs(graph: Graph, stopMs: readonly number[]): number {
  const finish: number[] = new Array<number>(graph.size).fill(0);
  let longest = 0;
  for (let i = graph.size - 1; i >= 0; i--) {
    let begin = 0;
    for (const d of graph.dependents[i]!) begin = Math.max(begin, finish[d]!);
    finish[i] = begin + stopMs[i]!;
    longest = Math.max(longest, finish[i]!);
  }
  return longest;
}
