// SUP9xxx the compiler itself. Part of the one catalogue (./catalogue.ts), which says how codes are assigned.
import { define } from "./message.ts";
import { q } from "./quote.ts";

export const COMPILER_MESSAGES = {
  internalError: define(
    "SUP9001",
    "error",
    "internal compiler error",
    (detail: string) => `internal compiler error: ${detail} (please report this with the spec that caused it)`,
  ),
  checkFailed: define(
    "SUP9002",
    "error",
    "internal error in one check",
    (check: string, detail: string) => `internal compiler error in check ${q(check)}: ${detail} (please report this with the spec that caused it)`,
  ),
} as const;
