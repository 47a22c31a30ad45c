// Things written that change nothing. In a supervision tree every service is used (it is
// started), so "unused" means a supervisor with nothing to supervise; and a setting has no effect
// when the tree makes every choice it offers equivalent: a strategy with one child (each strategy
// then restarts exactly that child), restart settings when no child is ever restarted, a
// shutdown order of one. These are warnings: the spec works, but says something it does not mean.
import type { Block } from "../language/ast.ts";
import { describeBlock, findSetting, type Accept, type Check } from "./context.ts";
import { ONE_FOR_ONE, STRATEGIES, TEMPORARY } from "../language/vocabulary.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import type { TreeNode } from "../model/scope-tree.ts";

function isTemporary(block: Block): boolean {
  return findSetting(block, "restart")?.value.text === TEMPORARY;
}

function reportNeverRestarting(supervisor: TreeNode, accept: Accept): void {
  const why = `every child of ${describeBlock(supervisor.block)} is temporary, so it never restarts anything`;
  for (const kind of ["strategy", "intensity", "backoff"] as const) {
    const written = findSetting(supervisor.block, kind);
    if (written !== undefined) accept(M.settingWithoutEffect, written.keywordSpan, [kind, why], { hint: H.removeSetting(kind) });
  }
}

/** `strategyReported`: the strategy already got a report for restarting nothing at all. */
function reportSingleChild(supervisor: TreeNode, strategyReported: boolean, accept: Accept): void {
  const only = supervisor.children[0]!.name;
  const strategy = findSetting(supervisor.block, "strategy");
  // An unknown strategy is reported as such (SUP2008), not as useless.
  const known = strategy !== undefined && (STRATEGIES as readonly string[]).includes(strategy.value.text);
  if (strategy !== undefined && known && strategy.value.text !== ONE_FOR_ONE && !strategyReported) {
    accept(M.settingWithoutEffect, strategy.span, [`strategy ${strategy.value.text}`, `'${only}' is the only child, and every strategy restarts just it`], {
      hint: H.removeStrategyOrAddSiblings(),
    });
  }
  // A line that names more than the one child, or a second line, is wrong rather than useless,
  // and reported as such.
  const [shutdown, ...more] = supervisor.block.shutdowns;
  if (shutdown !== undefined && more.length === 0 && shutdown.phases.flat().length === 1) {
    accept(M.settingWithoutEffect, shutdown.keywordSpan, ["shutdown", `'${only}' is the only child, so there is nothing to order`], {
      hint: H.removeShutdownLine(),
    });
  }
}

/** A temporary service is never restarted, so a delay before restarting it cannot matter. */
function reportUselessBackoff(service: TreeNode, accept: Accept): void {
  const backoff = findSetting(service.block, "backoff");
  if (backoff === undefined || !isTemporary(service.block)) return;
  accept(M.settingWithoutEffect, backoff.keywordSpan, ["backoff", `${describeBlock(service.block)} is temporary, so it is never restarted`], {
    hint: H.removeBackoffOrRestart(),
  });
}

const checkEffects: Check = {
  name: "settings without effect",
  tier: "structure",
  run(ctx, accept) {
    for (const node of ctx.tree.nodes) {
      if (node.kind === "service") {
        reportUselessBackoff(node, accept);
        continue;
      }
      // An empty app is a spec being started, not a leftover; only nested supervisors are unused.
      if (node.children.length === 0) {
        if (node.kind === "supervisor") accept(M.emptySupervisor, node.block.name.span, [describeBlock(node.block)], { hint: H.fillOrRemoveSupervisor() });
        continue;
      }
      const neverRestarts = node.children.every((c) => isTemporary(c.block));
      if (neverRestarts) reportNeverRestarting(node, accept);
      if (node.children.length === 1) reportSingleChild(node, neverRestarts, accept);
    }
  },
};

export const CHECKS: readonly Check[] = [checkEffects];
