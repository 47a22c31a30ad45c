// What a services.fixtures.ts beside examples/shop/shop.sup would hold (docs/runtime.md shows it):
// kept here, where `tsc -p .` type-checks it against the generated ServiceFixtures, rather than
// beside the spec, where the suite would pick it up and stop testing the indexer with the real cache.
import type { ServiceFixtures } from "../../examples/shop/gen/types.ts";

export const fixtures = {
  // workers.indexer runs against an in-memory stand-in for the cache instead of the real service.
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
    };
  },
} satisfies ServiceFixtures;
