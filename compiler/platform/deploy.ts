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
  return { fileName: emitter.fileName(name), text: emitter.render(settings, options), notes };
}

interface Emitter {
  fileName(app: string): string;
  render(settings: PlatformSettings, options: DeployOptions): string;
}

/** By platform (keys, not strings: each platform's name is spelled in the vocabulary only). */
const EMITTERS: Record<Platform, Emitter> = {
  kubernetes: { fileName: (app) => `${app}.deployment.yaml`, render: renderKubernetes },
  compose: { fileName: () => "compose.yaml", render: renderCompose },
  systemd: { fileName: (app) => `${app}.service`, render: renderSystemd },
};
