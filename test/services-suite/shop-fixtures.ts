// What a services.fixtures.ts beside examples/shop/shop.sup would hold (docs/runtime.md shows it):
// kept here, where `tsc -p .` type-checks it against the generated ServiceFixtures, rather than
// beside the spec, where the suite would pick it up and stop testing the indexer with the real cache.
import type { ServiceFixtures } from "../../examples/shop/gen/types.ts";

export const fixtures = {
  // workers.indexer runs against stand-ins for the cache and the db instead of the real services.
  "workers.indexer": () => {
    const entries = new Map<string, string>();
    return {
      cache: {
        get: (key) => entries.get(key),
        set: (key, value) => void entries.set(key, value),
        delete: (key) => entries.delete(key),
        keys: (prefix = "") => [...entries.keys()].filter((key) => key.startsWith(prefix)),
        size: () => entries.size,
      },
      // Its database is out of reach in this test: a pool that refuses every loan.
      db: {
        acquire: () => Promise.reject(new Error("no database in this test")),
        release: () => {},
        withConnection: () => Promise.reject(new Error("no database in this test")),
        query: () => Promise.reject(new Error("no database in this test")),
        stats: () => ({ size: 0, idle: 0, borrowed: 0, waiting: 0, queries: 0 }),
      },
    };
  },
} satisfies ServiceFixtures;
