// An in-memory cache with per-entry TTLs, holding strings as memcached or Redis would (callers
// serialise; no casts on the way out). Expired entries are dropped lazily by `get` and eagerly by a
// sweeper task, so memory does not grow with keys nobody reads again.
//
// Time: the scope offers `sleep` but no `now()`, and `Date.now()` would ignore the runtime's clock
// (virtual in tests). So the cache keeps its own time, advanced by the sweeper by exactly what it
// slept. Timers fire late, never early, so this clock runs at most one sweep behind real time: an
// entry may outlive its TTL by up to SWEEP_MS, never expire before it.
import type { CacheScope } from "../gen/types.ts";

const SWEEP_MS = 1_000;
const DEFAULT_TTL_MS = 60_000;
// Bound memory even if every entry is long-lived: past this, the oldest insertion is evicted.
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

export async function start(scope: CacheScope) {
  const entries = new Map<string, Entry>();
  let now = 0;
  let stopped = false;

  scope.go("sweeper", async (signal) => {
    while (!signal.aborted) {
      await scope.sleep(SWEEP_MS);
      // The sleep resolves early on cancel; don't count time that did not pass.
      if (signal.aborted) break;
      now += SWEEP_MS;
      let evicted = 0;
      for (const [key, entry] of entries) {
        if (entry.expiresAt <= now) {
          entries.delete(key);
          evicted++;
        }
      }
      if (evicted > 0) scope.log(`swept ${evicted} expired entr${evicted === 1 ? "y" : "ies"}, ${entries.size} left`);
    }
  });

  // Runs after the sweeper has returned (stop waits for tasks), so nothing races the clear.
  scope.defer(() => {
    stopped = true;
    scope.log(`dropping ${entries.size} entr${entries.size === 1 ? "y" : "ies"}`);
    entries.clear();
  });

  // Dependents stop before the cache, so a call after stop is a stale handle: fail loudly rather
  // than answer from an empty cache that looks like a run of misses.
  function checkOpen(): void {
    if (stopped) throw new Error("cache is stopped");
  }

  function get(key: string): string | undefined {
    checkOpen();
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  function set(key: string, value: string, ttlMs = DEFAULT_TTL_MS): void {
    checkOpen();
    if (!(ttlMs > 0)) throw new RangeError(`cache TTL must be positive, got ${ttlMs}`);
    entries.delete(key); // re-inserting moves the key to the end of the eviction order
    if (entries.size >= MAX_ENTRIES) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(key, { value, expiresAt: now + ttlMs });
  }

  function keys(prefix = ""): string[] {
    checkOpen();
    return [...entries].filter(([key, entry]) => key.startsWith(prefix) && entry.expiresAt > now).map(([key]) => key);
  }

  function remove(key: string): boolean {
    checkOpen();
    return entries.delete(key);
  }

  // Counts entries held, including expired ones the sweeper has not reached yet.
  function size(): number {
    checkOpen();
    return entries.size;
  }

  return { get, set, delete: remove, keys, size };
}
