// What the services left open. Before the tree starts and once it has stopped, the real host lists
// the process's active resources (`process.getActiveResourcesInfo()`: timers, sockets, servers,
// child processes, ...); what is open afterwards and was not before belongs to the services (the
// runtime has released its own timers and keep-alive by then). A warning, not a failure: a
// library may keep a pooled socket on purpose, but an abandoned service's timer usually is a leak.

/**
 * Requests (a write, a connect, a DNS lookup, a file close) and immediates are in flight for a
 * moment and end by themselves; only handles that stay open are worth a warning.
 */
const TRANSIENT = /Req|ShutdownWrap|WriteWrap|ConnectWrap|SendWrap|^Immediate$/;

/** Resource types by count, transient ones left out. */
export function countResources(types: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of types) if (!TRANSIENT.test(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Types with more open now than before, and how many more, sorted by type for a stable report. */
export function findLeftOpen(before: ReadonlyMap<string, number>, after: readonly string[]): Record<string, number> {
  const leftOpen: Record<string, number> = {};
  const now = countResources(after);
  for (const type of [...now.keys()].sort()) {
    const extra = now.get(type)! - (before.get(type) ?? 0);
    if (extra > 0) leftOpen[type] = extra;
  }
  return leftOpen;
}

/** `types` without one entry of each of `own` (the runtime's own resources still closing). */
export function withoutOwn(types: readonly string[], own: readonly string[]): string[] {
  if (own.length === 0) return [...types];
  const left = [...types];
  for (const type of own) {
    const at = left.indexOf(type);
    if (at >= 0) left.splice(at, 1);
  }
  return left;
}
