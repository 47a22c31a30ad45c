// Builds a word index of the products the api has cached, every INTERVAL_MS, and writes it back
// into the cache as one key per word. The index lives in the cache rather than in this service so
// that it survives a restart of the `workers` supervisor (the cache is not under it).
//
// Patterns to copy: a periodic loop that sleeps on the runtime's clock and exits when aborted, and
// long work split into batches with a cancellation check between them, so that a stop never waits
// for a whole pass. A pass that was cancelled publishes nothing: half an index would be wrong.
import type { WorkersIndexerScope } from "../gen/types.ts";

const INTERVAL_MS = 5_000;
const BATCH_SIZE = 50;
const BATCH_COST_MS = 10; // simulated work per batch
const PRODUCT_PREFIX = "product:";
const TERM_PREFIX = "index:term:";
// Words not seen in the last three passes expire from the cache on their own.
const TERM_TTL_MS = 3 * INTERVAL_MS;

export async function start(scope: WorkersIndexerScope) {
  const { cache } = scope.deps;
  let passes = 0;
  let lastTerms = 0;

  // Returns the index, or undefined when the pass was cancelled.
  async function buildIndex(signal: AbortSignal): Promise<Map<string, number[]> | undefined> {
    const index = new Map<string, number[]>();
    const keys = cache.keys(PRODUCT_PREFIX);
    for (const [i, key] of keys.entries()) {
      if (i % BATCH_SIZE === 0 && i > 0) {
        await scope.sleep(BATCH_COST_MS);
        if (signal.aborted) return undefined;
      }
      const raw = cache.get(key);
      if (raw === undefined) continue; // expired since we listed the keys
      const product: unknown = JSON.parse(raw);
      if (typeof product !== "object" || product === null || !("id" in product) || !("name" in product)) continue;
      if (typeof product.id !== "number" || typeof product.name !== "string") continue;
      for (const word of product.name.toLowerCase().match(/[a-z0-9-]+/g) ?? []) {
        const ids = index.get(word) ?? [];
        if (!ids.includes(product.id)) ids.push(product.id);
        index.set(word, ids);
      }
    }
    return index;
  }

  scope.go("indexer", async (signal) => {
    while (!signal.aborted) {
      const index = await buildIndex(signal);
      if (index !== undefined && !signal.aborted) {
        for (const [word, ids] of index) cache.set(TERM_PREFIX + word, JSON.stringify(ids.sort((a, b) => a - b)), TERM_TTL_MS);
        passes++;
        // Log only changes, so an idle shop does not fill the log every five seconds.
        if (index.size !== lastTerms) scope.log(`indexed ${index.size} word(s)`);
        lastTerms = index.size;
      }
      await scope.sleep(INTERVAL_MS);
    }
  });

  return {
    // Product ids whose name contains `word`, as of the last completed pass.
    search(word: string): number[] {
      const raw = cache.get(TERM_PREFIX + word.toLowerCase());
      return raw === undefined ? [] : (JSON.parse(raw) as number[]); // written by this module, above
    },
    stats: () => ({ passes, terms: lastTerms }),
  };
}
