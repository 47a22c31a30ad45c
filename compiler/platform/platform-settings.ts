// What a platform must be told so that it fits the spec, derived once from the resolved app and
// shared by the emitters (`supervise deploy`) and the drift check (`check --against`), so that
// what one writes is exactly what the other accepts.
//
//   wait      the platform's time from its stop signal to SIGKILL: the whole grace (which holds
//             the drain and the worst-case stop) plus the margin to write the report and exit
//   start     the worst-case start (the longest chain of start timeouts) plus the time node needs
//             to load the program before the health endpoints answer
//   probes    startup: gives up only after `start`; readiness: notices the drain in time (period
//             x failures + timeout <= drain); liveness: after the start, tolerant of a busy loop
import type { ResolvedApp } from "../model/model.ts";
import { EXIT_MARGIN_MS, findPlatform } from "../model/platforms.ts";
import { computeStartTiming } from "../model/start-timing.ts";

/** Time for node to load the program and listen on the health port before the first service starts. */
export const BOOT_MARGIN_MS = 5_000;

export interface ProbeSettings {
  readonly path: "/livez" | "/readyz" | "/startupz";
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface PlatformSettings {
  readonly app: string;
  /** The first signal of `signals`: what the platform must send to stop the app. */
  readonly stopSignal: string;
  readonly signals: readonly string[];
  readonly graceMs: number;
  readonly drainMs: number;
  /** Whole seconds from the stop signal to SIGKILL: at least the grace plus the exit margin. */
  readonly waitSeconds: number;
  /** The least wait that fits, in milliseconds (grace + exit margin). */
  readonly neededWaitMs: number;
  /** The worst-case start of every service, plus the boot margin. */
  readonly startMs: number;
  /** Undefined without `health port`. */
  readonly health: { readonly port: number; readonly host: string | undefined } | undefined;
  readonly startup: ProbeSettings;
  readonly readiness: ProbeSettings;
  readonly liveness: ProbeSettings;
  /** Whether the readiness probe can notice the drain before the stop begins (false for a drain under 2 s). */
  readonly readinessFitsDrain: boolean;
}

const STARTUP_PERIOD_S = 2;

function secondsUp(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The readiness probe: with a drain, the slowest period that still notices it; else every 5 s. */
function deriveReadiness(drainMs: number): { probe: ProbeSettings; fits: boolean } {
  const timeoutSeconds = 1;
  if (drainMs <= 0) return { probe: { path: "/readyz", periodSeconds: 5, timeoutSeconds, failureThreshold: 1 }, fits: true };
  const periodSeconds = Math.min(10, Math.max(1, Math.floor(drainMs / 1000) - timeoutSeconds));
  return { probe: { path: "/readyz", periodSeconds, timeoutSeconds, failureThreshold: 1 }, fits: (periodSeconds + timeoutSeconds) * 1000 <= drainMs };
}

export function derivePlatformSettings(app: ResolvedApp, platform: string): PlatformSettings {
  const neededWaitMs = app.graceMs + EXIT_MARGIN_MS;
  // A `deploy <platform> timeout` in the spec says what the deployment uses; never less than needed.
  const declared = app.deploy?.platform === platform && findPlatform(platform) !== undefined ? app.deploy.killAfterMs : 0;
  const startMs = computeStartTiming(app).totalMs + BOOT_MARGIN_MS;
  const readiness = deriveReadiness(app.drainMs);
  return {
    app: app.name,
    stopSignal: app.signals[0] ?? "SIGTERM",
    signals: app.signals,
    graceMs: app.graceMs,
    drainMs: app.drainMs,
    waitSeconds: secondsUp(Math.max(neededWaitMs, declared)),
    neededWaitMs,
    startMs,
    health: app.health,
    startup: { path: "/startupz", periodSeconds: STARTUP_PERIOD_S, timeoutSeconds: 1, failureThreshold: Math.ceil(startMs / (STARTUP_PERIOD_S * 1000)) },
    readiness: readiness.probe,
    liveness: { path: "/livez", periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessFitsDrain: readiness.fits,
  };
}

/** "the grace (30s) + 1s to exit", with the drain when there is one: what the wait is made of. */
export function describeWait(settings: PlatformSettings): string {
  const drain = settings.drainMs > 0 ? `, the drain of ${settings.drainMs / 1000}s included` : "";
  return `the grace (${settings.graceMs / 1000}s${drain}) + 1s to exit`;
}

/** How long a probe keeps failing before the platform acts: period x failures (its first try comes after the delay). */
export function probeAllowsMs(probe: { periodSeconds: number; failureThreshold: number; initialDelaySeconds?: number }): number {
  return ((probe.initialDelaySeconds ?? 0) + probe.periodSeconds * probe.failureThreshold) * 1000;
}

/** The address a probe inside the container or host reaches the endpoints on. */
export function probeHost(health: { readonly host: string | undefined }): string {
  const host = health.host;
  if (host === undefined || host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}
