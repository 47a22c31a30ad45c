// A dependency: an in-memory store.
import type { Scope } from "../../corpus-types.ts";

export async function start(scope: Scope) {
  const data = new Map<string, string>([["config", "{}"]]);
  scope.defer(() => data.clear());
  return { get: (key: string): string | undefined => data.get(key) };
}
