// Every rule of the audit, in code order. The ESLint plugin (plugin.ts) and `supervise audit`
// (run-audit.ts) both read this list, so the plugin a user adds to eslint.config.js runs exactly
// what the CLI runs.
import type { AuditRule } from "./rule.ts";
import { frozenLoop, swallowedAbort, uncancellableWait, unstoppableLoop } from "./rules-loops.ts";
import { lateFinalizer, leakedResource } from "./rules-resources.ts";
import { floatingWork, orphanController } from "./rules-work.ts";

export const AUDIT_RULES: readonly AuditRule[] = [
  unstoppableLoop,
  uncancellableWait,
  swallowedAbort,
  leakedResource,
  floatingWork,
  orphanController,
  lateFinalizer,
  frozenLoop,
];

export const PLUGIN_NAME = "supervise";
