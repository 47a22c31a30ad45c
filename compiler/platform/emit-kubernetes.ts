// `supervise deploy kubernetes`: a Deployment whose termination grace holds the spec's grace, and
// whose probes ask the app's health endpoints with periods derived from the start timeouts and the
// drain. YAML through the `yaml` library, never by concatenation.
import { Document } from "yaml";
import { describeWait, type PlatformSettings, type ProbeSettings } from "./platform-settings.ts";
import type { DeployOptions } from "./deploy-options.ts";

/** A Kubernetes name from the app's: lowercase letters, digits and '-' (RFC 1123 label). */
export function toKubernetesName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return cleaned === "" ? "app" : cleaned;
}

function toProbe(probe: ProbeSettings): Record<string, unknown> {
  return {
    httpGet: { path: probe.path, port: "health" },
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
  };
}

/** The Deployment as a plain object (validated in tests against the official schemas). */
export function buildDeployment(settings: PlatformSettings, options: DeployOptions): Record<string, unknown> {
  const name = toKubernetesName(settings.app);
  const labels = { "app.kubernetes.io/name": name };
  const health = settings.health;
  const container: Record<string, unknown> = {
    name,
    image: options.image ?? `${name}:latest`,
    // `args`, not `command`: the image's entrypoint (tini, or `--init`) stays PID 1 and passes the
    // signal to node, which runs the app directly: no npm, which would not pass it on.
    args: ["node", options.main],
    ...(health !== undefined
      ? {
          ports: [{ name: "health", containerPort: health.port }],
          startupProbe: toProbe(settings.startup),
          readinessProbe: toProbe(settings.readiness),
          livenessProbe: toProbe(settings.liveness),
        }
      : {}),
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: settings.waitSeconds,
          containers: [container],
        },
      },
    },
  };
}

export function renderKubernetes(settings: PlatformSettings, options: DeployOptions): string {
  const doc = new Document(buildDeployment(settings, options), { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` ${options.header}`,
    ` terminationGracePeriodSeconds ${settings.waitSeconds}: ${describeWait(settings)}.`,
    settings.health !== undefined
      ? ` Probes on port ${settings.health.port}: the start may take ${Math.ceil(settings.startMs / 1000)}s; readiness fails at the first signal.`
      : " No probes: the spec has no 'health port'.",
  ].join("\n");
  return doc.toString({ lineWidth: 0 });
}
