// The platforms `deploy` knows: how each one stops a process, and how long it waits before it
// sends SIGKILL. The figures are each platform's documented default; a spec overrides the wait
// with `deploy <platform> timeout <duration>` when the deployment sets its own.
import type { Platform } from "./model.ts";

export interface PlatformInfo {
  readonly name: Platform;
  /** What the platform waits for between its stop signal and SIGKILL, by default. */
  readonly killAfterMs: number;
  /** The signal it sends first. */
  readonly stopSignal: string;
  /** Where a deployment changes the wait, for hints. */
  readonly setting: string;
  /** Where a deployment chooses the stop signal; undefined when it is always `stopSignal` (Kubernetes: the image's STOPSIGNAL). */
  readonly signalSetting: string | undefined;
}

export const PLATFORMS: readonly PlatformInfo[] = [
  { name: "kubernetes", killAfterMs: 30_000, stopSignal: "SIGTERM", setting: "terminationGracePeriodSeconds", signalSetting: undefined },
  { name: "compose", killAfterMs: 10_000, stopSignal: "SIGTERM", setting: "stop_grace_period", signalSetting: "stop_signal" },
  { name: "systemd", killAfterMs: 90_000, stopSignal: "SIGTERM", setting: "TimeoutStopSec", signalSetting: "KillSignal" },
];

/** Names people use for a platform that `deploy` spells differently. */
export const PLATFORM_ALIASES: ReadonlyMap<string, Platform> = new Map([
  ["k8s", "kubernetes"],
  ["kube", "kubernetes"],
  ["docker", "compose"],
  ["docker-compose", "compose"],
  ["docker_compose", "compose"],
  ["podman", "compose"],
  ["systemctl", "systemd"],
]);

/**
 * Time the process needs after the tree has stopped (or the grace has run out) and before the
 * platform's SIGKILL: writing the shutdown report, flushing stdout and stderr, and exiting, plus
 * the lag between the platform starting its timer and the signal reaching Node.js (the container
 * runtime relays it; a busy event loop runs the handler late). Exiting itself takes tens of
 * milliseconds; one second covers the rest on a loaded machine without making users shave
 * seconds off realistic budgets.
 */
export const EXIT_MARGIN_MS = 1_000;

export function findPlatform(name: string): PlatformInfo | undefined {
  return PLATFORMS.find((p) => p.name === name);
}
