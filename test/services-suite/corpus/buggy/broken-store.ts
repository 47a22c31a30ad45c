// A dependency that cannot start (its database is missing): its dependents need doubles to be tested.
import type { Scope } from "../../corpus-types.ts";

export async function start(_scope: Scope): Promise<{ get(key: string): string | undefined }> {
  throw new Error("no database at /var/lib/store"); // BUG: the environment is missing a database
}
