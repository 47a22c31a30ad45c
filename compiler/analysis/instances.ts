// Values of `replicas` and of the reload signals. `reload <signal>` in the app must be a signal
// a handler can catch that does not also start a shutdown; `reload signal <name>` in a process
// service is what its program receives instead of the app's, and has no effect without it.
import { findSetting, forEachBlock, type Check } from "./context.ts";
import { checkSignal } from "./values.ts";
import { checkStopSignal } from "./process.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { DEFAULT_SIGNALS } from "../language/defaults.ts";
import { SHUTDOWN_SIGNALS } from "../language/vocabulary.ts";

/** More instances than this is a spec mistake (a stray digit), not a pool. */
export const MAX_REPLICAS = 1000;

const checkReplicas: Check = {
  name: "replica counts",
  tier: "local",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind !== "replicas" || Number.isNaN(s.count.value)) continue;
        if (s.count.value < 1 || s.count.value > MAX_REPLICAS) {
          accept(M.replicasOutOfRange, s.count.span, [String(s.count.value), MAX_REPLICAS], { hint: H.removeReplicasOrCount(MAX_REPLICAS) });
        }
      }
    });
  },
};

const checkReloadSignals: Check = {
  name: "reload signals",
  tier: "local",
  run(ctx, accept) {
    const appReload = findSetting(ctx.app, "reload");
    const shutdownSetting = findSetting(ctx.app, "signals");
    const shutdown = shutdownSetting?.signals.map((s) => s.text) ?? DEFAULT_SIGNALS;
    if (appReload !== undefined) {
      const signal = appReload.value;
      if (shutdown.includes(signal.text)) {
        const free = SHUTDOWN_SIGNALS.filter((s) => !shutdown.includes(s) && s !== "SIGUSR1");
        const listed = shutdownSetting?.signals.find((s) => s.text === signal.text);
        accept(M.reloadIsShutdownSignal, signal.span, [signal.text], {
          hint: H.reloadWithOtherSignal(free.slice(0, 2)),
          ...(listed !== undefined ? { related: [{ message: N.listedInSignals(), span: listed.span }] } : {}),
        });
      } else checkSignal(signal, accept);
    }
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind !== "reload-signal") continue;
        checkStopSignal(s.value, accept);
        if (appReload === undefined && block.settings.some((x) => x.kind === "exec")) {
          accept(M.settingWithoutEffect, s.keywordSpan, ["reload signal", "the app has no 'reload' signal, so it never reloads"], { hint: H.addAppReload() });
        }
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkReplicas, checkReloadSignals];
