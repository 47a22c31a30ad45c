// `health` and `drain`: the endpoints an orchestrator probes, and the time between the first
// signal (readiness fails at once) and the ordered stop. The drain is part of the grace, which
// counts from the first signal: drain + the worst-case stop must fit in it, as a preStop delay
// must fit in Kubernetes' terminationGracePeriodSeconds (spring-boot #26469 is that bug).
import { isIP } from "node:net";
import { findSetting, type Check, type ModelCheck } from "./context.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { formatDuration } from "../language/literals.ts";
import { DEFAULT_GRACE_MS } from "../language/defaults.ts";
import { describeSteps } from "../model/timing-paths.ts";

/** A DNS name as RFC 1123 allows it: labels of letters, digits and inner hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Why `host` cannot be listened on, or undefined when it can be. */
export function explainBadHost(host: string): string | undefined {
  if (isIP(host) !== 0) return undefined;
  if (/^[0-9.]+$/.test(host)) return "an IPv4 address is four numbers from 0 to 255";
  if (host.includes(":")) return "not a valid IPv6 address";
  return HOST_NAME.test(host) ? undefined : "a host name is made of letters, digits, '-' and '.'";
}

const checkHealth: Check = {
  name: "health endpoints",
  tier: "local",
  run(ctx, accept) {
    const port = findSetting(ctx.app, "health-port");
    const host = findSetting(ctx.app, "health-host");
    if (host !== undefined) {
      const why = explainBadHost(host.host.value);
      if (why !== undefined) accept(M.invalidHealthHost, host.host.span, [host.host.value, why]);
      if (port === undefined) accept(M.healthHostWithoutPort, host.keywordSpan, [], { hint: H.addHealthPort() });
    }
  },
};

const checkDrainInGrace: Check = {
  name: "drain within grace",
  tier: "local",
  run(ctx, accept) {
    const drain = findSetting(ctx.app, "drain");
    const grace = findSetting(ctx.app, "grace");
    const graceMs = grace?.value.ms ?? DEFAULT_GRACE_MS;
    if (drain === undefined || !Number.isFinite(drain.value.ms) || !(drain.value.ms >= graceMs)) return;
    const graceText = grace?.value.text ?? `${formatDuration(graceMs)}, the default`;
    accept(M.drainNotShorterThanGrace, drain.value.span, [drain.value.text, graceText], {
      ...(grace !== undefined ? { related: [{ message: N.graceSetHere(), span: grace.value.span }] } : {}),
      hint: H.shortenDrain(),
    });
  },
};

/** Only where the stop alone fits in the grace: a stop beyond it is reported as SUP3013. */
const checkDrainBudget: ModelCheck = {
  name: "drain budget",
  tier: "model",
  run(model, accept) {
    const { app } = model;
    const drain = app.written.drain;
    const { totalMs, steps } = model.worstCase;
    if (drain === undefined || app.drainMs >= app.graceMs || !Number.isFinite(totalMs) || totalMs > app.graceMs) return;
    if (app.drainMs + totalMs <= app.graceMs) return;
    const grace = app.written.grace;
    const path = steps.length > 0 ? describeSteps(steps, formatDuration) : formatDuration(totalMs);
    accept(M.drainExceedsGrace, drain.span, [drain.text, path, formatDuration(app.drainMs + totalMs), grace?.text ?? `${formatDuration(app.graceMs)}, the default`], {
      ...(grace !== undefined ? { related: [{ message: N.graceSetHere(), span: grace.span }] } : {}),
      hint: H.fitDrainInGrace(formatDuration(app.drainMs + totalMs), formatDuration(app.graceMs - totalMs)),
    });
  },
};

export const CHECKS: readonly Check[] = [checkHealth, checkDrainInGrace];
export const MODEL_CHECKS: readonly ModelCheck[] = [checkDrainBudget];
