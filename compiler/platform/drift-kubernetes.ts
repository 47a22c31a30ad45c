// Kubernetes objects against the spec: the pod's termination grace (with any preStop delay, which
// the kubelet runs before it sends SIGTERM: spring-boot #26469), the container's entrypoint and
// stop signal, and its probes on the health port: a startup (or liveness) probe that gives up
// before the services may have started, a readiness probe that cannot notice the drain in time,
// or one that asks for an endpoint the app does not answer that way.
import type { Node } from "yaml";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { formatDuration } from "../language/literals.ts";
import type { DriftContext } from "./drift.ts";
import { findPackageManager, namePackageManager } from "./entrypoint.ts";
import { probeAllowsMs } from "./platform-settings.ts";
import { DEFAULT_MAIN } from "./deploy-options.ts";
import type { Span } from "../diagnostics/span.ts";
import { findPair, getNode, getPath, scalarValue, seqItems, spanOfKey, spanOfNode, spanOfValue, type YamlDoc } from "./yaml-nodes.ts";

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Kubernetes' defaults: the pod's grace, and a probe's period and failure threshold. */
const DEFAULT_TERMINATION_GRACE_S = 30;
const DEFAULT_PERIOD_S = 10;
const DEFAULT_FAILURE_THRESHOLD = 3;
const DEFAULT_TIMEOUT_S = 1;

interface Workload {
  readonly name: string;
  readonly node: Node;
  readonly podSpec: Node;
  /** The `spec:` key that holds the pod spec: where a setting the pod spec lacks is reported. */
  readonly podSpecKey: Span | undefined;
}

/** Workloads in every document, and in the items of a `List` (what `kubectl get -o yaml` prints). */
function collectWorkloads(nodes: readonly unknown[]): Workload[] {
  const found: Workload[] = [];
  for (const node of nodes) {
    const kind = scalarValue(getNode(node, "kind"));
    if (typeof kind !== "string") continue;
    if (kind.endsWith("List")) found.push(...collectWorkloads(seqItems(getNode(node, "items"))));
    const path = POD_SPEC_PATHS[kind];
    const podSpec = path !== undefined ? getPath(node, path) : undefined;
    if (podSpec === undefined) continue;
    const holder = getPath(node, path!.slice(0, -1)) ?? node;
    const key = spanOfNode(findPair(holder, path![path!.length - 1]!)?.key as Node | undefined, "");
    found.push({ name: String(scalarValue(getPath(node, ["metadata", "name"])) ?? ""), node: node as Node, podSpec, podSpecKey: key });
  }
  return found;
}

function containersOf(podSpec: Node): Node[] {
  return seqItems(getNode(podSpec, "containers"));
}

function containerName(container: Node): string {
  return String(scalarValue(getNode(container, "name")) ?? "");
}

function numberAt(map: unknown, key: string, fallback: number): number {
  const value = scalarValue(getNode(map, key));
  return typeof value === "number" ? value : fallback;
}

/** A preStop hook's delay: `sleep: {seconds}` or an exec of `sleep N` (a shell's too). */
function preStopMs(container: Node): number {
  const hook = getPath(container, ["lifecycle", "preStop"]);
  const sleep = scalarValue(getPath(hook, ["sleep", "seconds"]));
  if (typeof sleep === "number") return sleep * 1000;
  const argv = seqItems(getPath(hook, ["exec", "command"])).map((n) => String(scalarValue(n) ?? ""));
  const match = /(?:^|[\s;&|])sleep\s+([0-9]+(?:\.[0-9]+)?)(s?)(?:$|[\s;&|])/.exec(argv.join(" "));
  return match !== null ? Number(match[1]) * 1000 : 0;
}

function checkGrace(ctx: DriftContext, workload: Workload, containers: readonly Node[]): void {
  const preStop = Math.max(0, ...containers.map(preStopMs));
  const seconds = numberAt(workload.podSpec, "terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_S);
  const needed = ctx.settings.neededWaitMs + preStop;
  if (seconds * 1000 >= needed) return;
  const written = getNode(workload.podSpec, "terminationGracePeriodSeconds") !== undefined;
  const span = spanOfValue(workload.podSpec, "terminationGracePeriodSeconds", ctx.text, workload.podSpecKey ?? spanOfNode(workload.podSpec, ctx.text)!);
  const figures = `${preStop > 0 ? `a preStop delay of ${formatDuration(preStop)} before SIGTERM, then ` : ""}${ctx.describeNeededWait()}`;
  ctx.report(M.waitShorterThanShutdown, span, ["terminationGracePeriodSeconds", `${seconds}s${written ? "" : " (the default)"}`, formatDuration(needed), figures], {
    related: ctx.graceNote(),
    hint: H.raisePlatformWait("terminationGracePeriodSeconds", `${Math.ceil(needed / 1000)}`),
  });
}

function checkEntrypoint(ctx: DriftContext, container: Node): void {
  const words = [...seqItems(getNode(container, "command")), ...seqItems(getNode(container, "args"))];
  const argv = words.map((n) => String(scalarValue(n) ?? ""));
  const at = findPackageManager(argv);
  if (at < 0) return;
  ctx.report(M.packageManagerEntrypoint, spanOfNode(words[at], ctx.text)!, [namePackageManager(argv, at)], { hint: H.runNodeDirectly(DEFAULT_MAIN) });
}

function checkStopSignal(ctx: DriftContext, container: Node): void {
  const node = getPath(container, ["lifecycle", "stopSignal"]);
  const signal = scalarValue(node);
  if (typeof signal !== "string" || ctx.app.signals.includes(signal)) return;
  ctx.report(M.stopSignalUnhandled, spanOfNode(node, ctx.text)!, ["lifecycle.stopSignal", signal, [...ctx.app.signals]], {
    hint: H.sendHandledSignal("lifecycle.stopSignal", ctx.settings.stopSignal),
  });
}

/** The port a probe's httpGet asks for, a named port resolved through the container's ports. */
function probePort(container: Node, probe: Node): number | undefined {
  const port = scalarValue(getPath(probe, ["httpGet", "port"]));
  if (typeof port === "number") return port;
  const named = seqItems(getNode(container, "ports")).find((p) => scalarValue(getNode(p, "name")) === port);
  const value = scalarValue(getNode(named, "containerPort"));
  return typeof value === "number" ? value : undefined;
}

const EXPECTED_PATH: Readonly<Record<string, string>> = { startupProbe: "/startupz", readinessProbe: "/readyz", livenessProbe: "/livez" };

function describeProbe(kind: string): string {
  return kind.replace("Probe", " probe");
}

function checkProbes(ctx: DriftContext, container: Node): void {
  const health = ctx.app.health;
  if (health === undefined) return;
  const probes = new Map<string, Node>();
  for (const kind of Object.keys(EXPECTED_PATH)) {
    const probe = getNode(container, kind);
    if (probe !== undefined && probePort(container, probe) === health.port) probes.set(kind, probe);
  }
  for (const [kind, probe] of probes) {
    const pathNode = getPath(probe, ["httpGet", "path"]);
    const path = String(scalarValue(pathNode) ?? "/");
    if (path !== EXPECTED_PATH[kind]) {
      const span = spanOfNode(pathNode, ctx.text) ?? spanOfKey(probe, "httpGet", ctx.text, spanOfNode(probe, ctx.text)!);
      ctx.report(M.probeNotOnHealth, span, [describeProbe(kind), path, EXPECTED_PATH[kind]!], { hint: H.probeTheEndpoint(EXPECTED_PATH[kind]!) });
    }
  }
  // The start: the startup probe holds the others back; without one, liveness restarts a slow start.
  const startKind = probes.has("startupProbe") ? "startupProbe" : probes.has("livenessProbe") ? "livenessProbe" : undefined;
  if (startKind !== undefined) {
    const probe = probes.get(startKind)!;
    const allows = probeAllowsMs({
      initialDelaySeconds: numberAt(probe, "initialDelaySeconds", 0),
      periodSeconds: numberAt(probe, "periodSeconds", DEFAULT_PERIOD_S),
      failureThreshold: numberAt(probe, "failureThreshold", DEFAULT_FAILURE_THRESHOLD),
    });
    if (allows < ctx.settings.startMs) {
      const span = spanOfKey(probe, "failureThreshold", ctx.text, spanOfKey(container, startKind, ctx.text, spanOfNode(probe, ctx.text)!));
      ctx.report(M.probeFailsDuringStart, span, [describeProbe(startKind), formatDuration(allows), formatDuration(ctx.settings.startMs)], {
        hint: H.lengthenStartProbe(formatDuration(ctx.settings.startMs)),
      });
    }
  }
  const readiness = probes.get("readinessProbe");
  if (readiness !== undefined && ctx.app.drainMs > 0) {
    const period = numberAt(readiness, "periodSeconds", DEFAULT_PERIOD_S);
    const notices = (period * numberAt(readiness, "failureThreshold", DEFAULT_FAILURE_THRESHOLD) + numberAt(readiness, "timeoutSeconds", DEFAULT_TIMEOUT_S)) * 1000;
    if (notices > ctx.app.drainMs) {
      const span = spanOfKey(readiness, "periodSeconds", ctx.text, spanOfKey(container, "readinessProbe", ctx.text, spanOfNode(readiness, ctx.text)!));
      ctx.report(M.readinessPassesDuringDrain, span, [formatDuration(notices), formatDuration(ctx.app.drainMs)], { hint: H.probeMoreOften(formatDuration(ctx.app.drainMs)) });
    }
  }
}

/** Checks the app's workloads; false when the documents hold none (or none named as --target says). */
export function checkKubernetesDocuments(ctx: DriftContext, docs: readonly YamlDoc[]): boolean {
  const workloads = collectWorkloads(docs.map((d) => d.contents));
  if (workloads.length === 0) return false;
  const named = workloads.filter((w) => ctx.isAppName(w.name) || containersOf(w.podSpec).some((c) => ctx.isAppName(containerName(c))));
  // None named like the app: every workload, unless --target named one that is not here.
  const chosen = named.length > 0 ? named : ctx.target !== undefined ? [] : workloads;
  if (chosen.length === 0) return false;
  for (const workload of chosen) {
    const all = containersOf(workload.podSpec);
    const byName = all.filter((c) => ctx.isAppName(containerName(c)));
    const containers = byName.length > 0 ? byName : all;
    checkGrace(ctx, workload, containers);
    for (const container of containers) {
      checkEntrypoint(ctx, container);
      checkStopSignal(ctx, container);
      checkProbes(ctx, container);
    }
  }
  return true;
}
