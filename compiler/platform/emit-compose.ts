// `supervise deploy compose`: a compose service that stops with the spec's first signal, waits the
// whole grace before SIGKILL, runs node under an init (`init: true`) and reports health from
// /readyz. YAML through the `yaml` library.
import { Document } from "yaml";
import { describeWait, probeHost, type PlatformSettings } from "./platform-settings.ts";
import type { DeployOptions } from "./deploy-options.ts";
import { toKubernetesName } from "./emit-kubernetes.ts";

/** A health check that needs nothing but node, which the image has (curl and wget may be missing). */
function buildHealthTest(host: string, port: number): string[] {
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/readyz`;
  const script = `fetch(${JSON.stringify(url)}).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return ["CMD", "node", "-e", script];
}

export function buildComposeFile(settings: PlatformSettings, options: DeployOptions): Record<string, unknown> {
  const name = toKubernetesName(settings.app);
  const health = settings.health;
  const service: Record<string, unknown> = {
    image: options.image ?? `${name}:latest`,
    // `command` replaces the image's CMD and keeps its entrypoint: node runs the app, never npm.
    command: ["node", options.main],
    init: true,
    stop_signal: settings.stopSignal,
    stop_grace_period: `${settings.waitSeconds}s`,
    ...(health !== undefined
      ? {
          healthcheck: {
            test: buildHealthTest(probeHost(health), health.port),
            interval: `${settings.readiness.periodSeconds}s`,
            timeout: `${settings.readiness.timeoutSeconds}s`,
            retries: settings.readiness.failureThreshold,
            start_period: `${Math.ceil(settings.startMs / 1000)}s`,
          },
        }
      : {}),
  };
  return { services: { [name]: service } };
}

export function renderCompose(settings: PlatformSettings, options: DeployOptions): string {
  const doc = new Document(buildComposeFile(settings, options), { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` ${options.header}`,
    ` stop_grace_period ${settings.waitSeconds}s: ${describeWait(settings)}.`,
  ].join("\n");
  return doc.toString({ lineWidth: 0 });
}
