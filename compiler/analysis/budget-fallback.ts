// SUP3012 without the resolved tree. Errors elsewhere (an unknown name, a cycle) keep the
// model checks of compiler/analysis/budget.ts from running, yet a stop timeout longer than the
// grace is plain from the two settings, and worth reporting while the rest is being fixed.
import { findSetting, type Check } from "./context.ts";
import { describeGrace, reportStopTimeoutBeyondGrace } from "./budget.ts";
import { DEFAULT_GRACE_MS } from "../language/defaults.ts";

const checkStopTimeoutsBeyondGrace: Check = {
  name: "stop timeouts within grace",
  tier: "fallback",
  run(ctx, accept) {
    const written = findSetting(ctx.app, "grace")?.value;
    const grace = describeGrace(written?.ms ?? DEFAULT_GRACE_MS, written);
    for (const node of ctx.tree.nodes) {
      const stopTimeout = findSetting(node.block, "stop-timeout")?.value;
      if (node.parent === undefined || stopTimeout === undefined) continue;
      reportStopTimeoutBeyondGrace(grace, node.name, stopTimeout.ms, stopTimeout, accept);
    }
  },
};

export const CHECKS: readonly Check[] = [checkStopTimeoutsBeyondGrace];
