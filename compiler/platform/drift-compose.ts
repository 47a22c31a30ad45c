// A compose file against the spec: the app's service must wait the whole grace before SIGKILL
// (`stop_grace_period`, 10 s by default: compose #6508), stop it with a signal it handles
// (`stop_signal`, SIGTERM by default), and start node itself rather than npm.
import { isMap, type Node } from "yaml";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { formatDuration } from "../language/literals.ts";
import type { DriftContext } from "./drift.ts";
import { findPackageManager, namePackageManager } from "./entrypoint.ts";
import { parseComposeDuration } from "./time-spans.ts";
import { DEFAULT_MAIN } from "./deploy-options.ts";
import { getNode, scalarValue, seqItems, spanOfKey, spanOfNode, spanOfValue, type YamlDoc } from "./yaml-nodes.ts";

/** A command as compose reads it: a list, or a string split on spaces (compose uses shell-like splitting). */
function readArgv(node: Node | undefined): { argv: string[]; nodes: (Node | undefined)[] } {
  const items = seqItems(node);
  if (items.length > 0) return { argv: items.map((n) => String(scalarValue(n) ?? "")), nodes: items };
  const text = scalarValue(node);
  if (typeof text !== "string") return { argv: [], nodes: [] };
  const argv = text.trim().split(/\s+/);
  return { argv, nodes: argv.map(() => node) };
}

function checkService(ctx: DriftContext, service: Node, key: Node): void {
  const defaultWaitMs = ctx.platform.killAfterMs;
  const waitNode = getNode(service, "stop_grace_period");
  const waitValue = scalarValue(waitNode);
  const waitMs = waitValue === undefined ? defaultWaitMs : typeof waitValue === "boolean" ? undefined : parseComposeDuration(waitValue);
  // A setting the service lacks is reported at the service's name.
  const fallback = spanOfNode(key, ctx.text) ?? spanOfNode(service, ctx.text)!;
  if (waitMs !== undefined && waitMs < ctx.settings.neededWaitMs) {
    ctx.report(
      M.waitShorterThanShutdown,
      spanOfValue(service, "stop_grace_period", ctx.text, fallback),
      ["stop_grace_period", `${formatDuration(waitMs)}${waitNode === undefined ? " (the default)" : ""}`, formatDuration(ctx.settings.neededWaitMs), ctx.describeNeededWait()],
      { related: ctx.graceNote(), hint: H.raisePlatformWait("stop_grace_period", `${Math.ceil(ctx.settings.neededWaitMs / 1000)}s`) },
    );
  }
  const signal = scalarValue(getNode(service, "stop_signal"));
  if (typeof signal === "string" && !ctx.app.signals.includes(signal)) {
    ctx.report(M.stopSignalUnhandled, spanOfValue(service, "stop_signal", ctx.text, fallback), ["stop_signal", signal, [...ctx.app.signals]], {
      hint: H.sendHandledSignal("stop_signal", ctx.settings.stopSignal),
    });
  }
  checkHealthcheck(ctx, service);
  const entry = readArgv(getNode(service, "entrypoint"));
  const command = readArgv(getNode(service, "command"));
  const argv = [...entry.argv, ...command.argv];
  const at = findPackageManager(argv);
  if (at >= 0) {
    const node = [...entry.nodes, ...command.nodes][at];
    ctx.report(M.packageManagerEntrypoint, spanOfNode(node, ctx.text) ?? spanOfKey(service, "command", ctx.text, fallback), [namePackageManager(argv, at)], {
      hint: H.runNodeDirectly(DEFAULT_MAIN),
    });
  }
}

/** Compose's healthcheck defaults: interval 30 s, timeout 30 s, 3 retries. */
const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;

/**
 * A healthcheck that asks the health port: on /readyz (a check on /livez keeps passing through
 * the drain), and often enough to notice the drain before the stop begins.
 */
function checkHealthcheck(ctx: DriftContext, service: Node): void {
  const health = ctx.app.health;
  const check = getNode(service, "healthcheck");
  if (health === undefined || check === undefined) return;
  const test = readArgv(getNode(check, "test"));
  const at = test.argv.findIndex((word) => new RegExp(`:${health.port}(/|\\b)`).test(word));
  if (at < 0) return;
  const path = new RegExp(`:${health.port}(/[^\\s"'\`)]*)?`).exec(test.argv[at]!)?.[1] ?? "/";
  const span = spanOfNode(test.nodes[at], ctx.text) ?? spanOfKey(check, "test", ctx.text, spanOfNode(check, ctx.text)!);
  if (path !== "/readyz") ctx.report(M.probeNotOnHealth, span, ["healthcheck", path, "/readyz"], { hint: H.probeTheEndpoint("/readyz") });
  if (ctx.app.drainMs <= 0) return;
  const duration = (key: string, fallback: number): number => {
    const value = scalarValue(getNode(check, key));
    return typeof value === "string" || typeof value === "number" ? (parseComposeDuration(value) ?? fallback) : fallback;
  };
  const retries = scalarValue(getNode(check, "retries"));
  const notices = duration("interval", DEFAULT_INTERVAL_MS) * (typeof retries === "number" ? retries : DEFAULT_RETRIES) + duration("timeout", DEFAULT_TIMEOUT_MS);
  if (notices > ctx.app.drainMs) {
    ctx.report(M.readinessPassesDuringDrain, spanOfKey(check, "interval", ctx.text, spanOfKey(service, "healthcheck", ctx.text, span)), [formatDuration(notices), formatDuration(ctx.app.drainMs)], {
      hint: H.probeMoreOften(formatDuration(ctx.app.drainMs)),
    });
  }
}

/** Checks the app's service (by name; every service when none is named like the app); false without services. */
export function checkComposeFile(ctx: DriftContext, doc: YamlDoc): boolean {
  const services = getNode(doc.contents, "services");
  if (!isMap(services) || services.items.length === 0) return false;
  const entries = services.items.map((pair) => ({ name: String(scalarValue(pair.key) ?? ""), node: pair.value as Node, key: pair.key as Node }));
  const named = entries.filter((e) => ctx.isAppName(e.name));
  const chosen = named.length > 0 ? named : ctx.target !== undefined ? [] : entries;
  for (const entry of chosen) if (isMap(entry.node)) checkService(ctx, entry.node, entry.key);
  return chosen.length > 0;
}
