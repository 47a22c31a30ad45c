// `supervise deploy <platform>`: the platform's settings from a checked spec, as one file, with
// the notes a user should read (what the file cannot do for them).
import type { ResolvedApp } from "../model/model.ts";
import { findPlatform } from "../model/platforms.ts";
import type { Platform } from "../language/vocabulary.ts";
import { derivePlatformSettings, type PlatformSettings } from "./platform-settings.ts";
import type { DeployOptions } from "./deploy-options.ts";
import { renderKubernetes, toKubernetesName } from "./emit-kubernetes.ts";
import { renderCompose } from "./emit-compose.ts";
import { renderSystemd } from "./emit-systemd.ts";

export interface Deployment {
  /** The file's name in `--out`. */
  readonly fileName: string;
  readonly text: string;
  /** What the user must know; `error` ones mean the deployment cannot work as written. */
  readonly notes: readonly { readonly severity: "error" | "warning"; readonly text: string }[];
}

export function renderDeployment(app: ResolvedApp, platform: Platform, options: DeployOptions): Deployment {
  const settings = derivePlatformSettings(app, platform);
  const notes: { severity: "error" | "warning"; text: string }[] = [];
  const name = toKubernetesName(app.name);
  // Kubernetes stops a container with the image's STOPSIGNAL, SIGTERM unless it says otherwise;
  // compose and systemd are told the spec's first signal.
  const facts = findPlatform(platform)!;
  if (facts.signalSetting === undefined && !app.signals.includes(facts.stopSignal)) {
    notes.push({ severity: "error", text: `${platform} stops a container with ${facts.stopSignal}, which 'signals' does not list: add it, or the app only stops at SIGKILL` });
  }
  if (app.health === undefined) {
    notes.push({ severity: "warning", text: "the spec has no 'health port': the platform gets no health checks (add 'health port <number>' to the app block)" });
  } else if (!settings.readinessFitsDrain) {
    notes.push({ severity: "warning", text: `a readiness probe checks at most once a second: a drain of ${app.drainMs}ms ends before it can notice (use 'drain 2s' or more)` });
  }
  const emitter = EMITTERS[platform];
  if (emitter.probesFromOutside && app.health?.host !== undefined && isLoopback(app.health.host)) {
    notes.push({ severity: "error", text: `${platform} probes the pod's own address, but 'health host ${app.health.host}' listens on loopback only: every probe would fail (leave 'health host' out)` });
  }
  return { fileName: emitter.fileName(name), text: emitter.render(settings, options), notes };
}

interface Emitter {
  /** Whether the platform's probes come from outside the container (the kubelet), not from inside it. */
  readonly probesFromOutside: boolean;
  fileName(app: string): string;
  render(settings: PlatformSettings, options: DeployOptions): string;
}

/** By platform (keys, not strings: each platform's name is spelled in the vocabulary only). */
const EMITTERS: Record<Platform, Emitter> = {
  kubernetes: { probesFromOutside: true, fileName: (app) => `${app}.deployment.yaml`, render: renderKubernetes },
  compose: { probesFromOutside: false, fileName: () => "compose.yaml", render: renderCompose },
  systemd: { probesFromOutside: false, fileName: (app) => `${app}.service`, render: renderSystemd },
};

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
