// `deploy <platform>`: the orchestrator sends its stop signal, waits a fixed time, then SIGKILL.
// A shutdown that is still running then loses whatever it had not finished, including the report
// naming what hung; these checks compare the app's worst case with the platform's wait.
import { findSetting, type Check, type ModelCheck } from "./context.ts";
import { findClosest } from "../diagnostics/did-you-mean.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { EXIT_MARGIN_MS, findPlatform, PLATFORM_ALIASES, PLATFORMS } from "../model/platforms.ts";
import { describeSteps } from "../model/timing-paths.ts";
import { formatDuration } from "../language/literals.ts";

const checkPlatformName: Check = {
  name: "deploy platform",
  tier: "local",
  run(ctx, accept) {
    for (const s of ctx.app.settings) {
      if (s.kind !== "deploy" || findPlatform(s.platform.text) !== undefined) continue;
      const name = s.platform.text;
      const known = PLATFORMS.map((p) => p.name);
      const suggestion = PLATFORM_ALIASES.get(name.toLowerCase()) ?? known.find((p) => p === name.toLowerCase()) ?? findClosest(name, known);
      accept(M.unknownPlatform, s.platform.span, [name, known], suggestion !== undefined ? { hint: H.didYouMean(suggestion) } : {});
    }
  },
};

const checkPlatformSignal: Check = {
  name: "deploy stop signal",
  tier: "local",
  run(ctx, accept) {
    const deploy = findSetting(ctx.app, "deploy");
    const signals = findSetting(ctx.app, "signals");
    const platform = deploy !== undefined ? findPlatform(deploy.platform.text) : undefined;
    // Without a `signals` line the defaults (SIGTERM, SIGINT) include every platform's signal.
    if (platform === undefined || signals === undefined) return;
    if (signals.signals.some((s) => s.text === platform.stopSignal)) return;
    accept(M.platformSignalUnhandled, signals.keywordSpan, [platform.name, platform.stopSignal], {
      related: [{ message: N.platformChosenHere(), span: deploy!.platform.span }],
      hint: H.addPlatformSignal(platform.stopSignal),
    });
  },
};

/** The process must be gone before the platform's SIGKILL: the worst case, capped by grace, plus the exit margin. */
const checkPlatformBudget: ModelCheck = {
  name: "deploy budget",
  tier: "model",
  run(model, accept) {
    const { app } = model;
    const written = app.written.deploy;
    const platform = app.deploy !== undefined ? findPlatform(app.deploy.platform) : undefined;
    if (app.deploy === undefined || written === undefined || platform === undefined) return;
    // The drain comes first: readiness fails at the signal, the stop begins after it.
    const { steps } = model.worstCase;
    const totalMs = app.drainMs + model.worstCase.totalMs;
    const grace = app.written.grace;
    const graceText = grace?.text ?? formatDuration(app.graceMs);
    const capped = !(totalMs <= app.graceMs);
    const stopMs = capped ? app.graceMs : totalMs;
    if (stopMs + EXIT_MARGIN_MS <= app.deploy.killAfterMs) return;
    const margin = formatDuration(EXIT_MARGIN_MS);
    const drain = app.drainMs > 0 ? `drain ${formatDuration(app.drainMs)} + ` : "";
    const stopping = capped || steps.length === 0 ? `grace ${graceText}` : `${drain}${describeSteps(steps, formatDuration)} = ${formatDuration(totalMs)}`;
    const figures = `${stopping} + ${margin} to exit = ${formatDuration(stopMs + EXIT_MARGIN_MS)}`;
    const kill = formatDuration(app.deploy.killAfterMs);
    // The path gets what the wait leaves after the drain; the grace holds the drain itself.
    const room = app.deploy.killAfterMs - EXIT_MARGIN_MS - (capped ? 0 : app.drainMs);
    const neededWait = formatDuration(stopMs + EXIT_MARGIN_MS);
    // Whatever decides the figure is what to shorten: the grace when it cuts the shutdown, else the path.
    const cut = capped ? "grace" : "path";
    const shortenTo = room > 0 ? formatDuration(room) : undefined;
    accept(M.platformKillsFirst, written.killAfter?.span ?? written.platform, [platform.name, kill, figures], {
      related: grace !== undefined ? [{ message: N.graceSetHere(), span: grace.span }] : [],
      hint: H.fitThePlatformWait(cut, shortenTo, platform.setting, platform.name, neededWait),
    });
  },
};

export const CHECKS: readonly Check[] = [checkPlatformName, checkPlatformSignal];
export const MODEL_CHECKS: readonly ModelCheck[] = [checkPlatformBudget];
