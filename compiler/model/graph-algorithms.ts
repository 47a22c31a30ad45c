// Small graph algorithms over vertices 0..count-1, iterative so that long chains cannot
// overflow the call stack.

/** Strongly connected components (Tarjan), each sorted, in reverse topological order. */
export function stronglyConnected(count: number, successors: (v: number) => readonly number[]): number[][] {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  // The depth-first work list as two typed arrays (vertex, next successor to visit) rather than
  // an object per vertex: a spec's graph has two vertices per node, and this runs cold.
  const workVertex = new Int32Array(count);
  const workNext = new Int32Array(count);
  let next = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    workVertex[0] = root;
    workNext[0] = 0;
    let depth = 1;
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (depth > 0) {
      const v = workVertex[depth - 1]!;
      const out = successors(v);
      const i = workNext[depth - 1]!;
      if (i < out.length) {
        workNext[depth - 1] = i + 1;
        const w = out[i]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          workVertex[depth] = w;
          workNext[depth] = 0;
          depth++;
        } else if (onStack[w] === 1) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      depth--;
      if (depth > 0) {
        const parent = workVertex[depth - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        components.push(component.length > 1 ? component.sort((a, b) => a - b) : component);
      }
    }
  }
  return components;
}
