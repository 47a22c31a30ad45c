// `supervise check SPEC --against FILE...`: deployment files from public projects (fixtures/
// SOURCES.md) and small written ones, each contradiction reported at its line in that file, by
// code. What deploy writes is accepted (deploy.test.ts); here, what others wrote.
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSource } from "../../compiler/driver/api.ts";
import { LineMap } from "../../compiler/diagnostics/source-text.ts";
import { checkDeploymentFile } from "../../compiler/platform/drift.ts";
import { findPackageManager } from "../../compiler/platform/entrypoint.ts";
import { parseComposeDuration, parseSystemdTimeSpan } from "../../compiler/platform/time-spans.ts";
import type { ResolvedApp } from "../../compiler/model/model.ts";
import { readFileSync } from "node:fs";
import { REPO_ROOT } from "../golden/specs.ts";

const FIXTURES = join(REPO_ROOT, "test", "platform", "fixtures");

function resolveSpec(source: string): ResolvedApp {
  const analysis = analyzeSource(source, "app.sup", REPO_ROOT);
  assert.equal(analysis.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  return analysis.app!;
}

/** Each diagnostic as `CODE line:col`, in the file's order. */
function check(app: ResolvedApp, file: string, text: string, target?: string): string[] {
  return checkDeploymentFile(app, "app.sup", file, text, target).map((d) => {
    const { line, column } = new LineMap(text).position(d.span.start);
    return `${d.code} ${line}:${column}`;
  });
}

function lineOf(text: string, needle: string, nth = 1): number {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the fixture`);
  return text.slice(0, at).split("\n").length;
}

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

const MODULE = 'module "./test/fixtures/golden/services/store.ts"';

const test = suite("check --against: deployment files from public projects");

test("microservices-demo: currencyservice's 5 s termination grace is too short for a 30 s grace, reported at its line", () => {
  const text = fixture("microservices-demo.kubernetes-manifests.yaml");
  const app = resolveSpec(`app currencyservice {\n  service rates { ${MODULE} }\n}\n`);
  const line = lineOf(text, "terminationGracePeriodSeconds: 5", 1 + countBefore(text, "terminationGracePeriodSeconds: 5", "name: currencyservice"));
  assert.equal(check(app, "k8s.yaml", text), [`SUP6202 ${line}:38`]);
});

test("microservices-demo: with 'grace 4s' the same manifest fits, and nothing else in its 27 documents is the app's", () => {
  const text = fixture("microservices-demo.kubernetes-manifests.yaml");
  const app = resolveSpec(`app currencyservice {\n  grace 4s\n  service rates { ${MODULE}\n stop timeout 3s }\n}\n`);
  assert.equal(check(app, "k8s.yaml", text), []);
});

test("awesome-compose: the backend runs npm and keeps compose's 10 s default wait", () => {
  const text = fixture("awesome-compose.react-express-mysql.compose.yaml");
  const app = resolveSpec(`app backend {\n  service api { ${MODULE} }\n}\n`);
  assert.equal(check(app, "compose.yaml", text), [`SUP6202 ${lineOf(text, "backend:")}:3`, `SUP6204 ${lineOf(text, "command: npm")}:14`]);
});

test("node-red: a unit that stops with SIGINT, for an app that handles SIGTERM only, and KillMode left to signal every program", () => {
  const text = fixture("node-red.nodered.service");
  const app = resolveSpec(`app nodered {\n  signals SIGTERM\n  service flows { exec "node red.js" }\n}\n`);
  assert.equal(check(app, "nodered.service", text), [`SUP6208 ${lineOf(text, "[Service]")}:1`, `SUP6203 ${lineOf(text, "KillSignal=")}:12`]);
});

/** How many times `needle` occurs before `marker` (to pick the occurrence that belongs to it). */
function countBefore(text: string, needle: string, marker: string): number {
  const end = text.indexOf(marker);
  return text.slice(0, end).split(needle).length - 1;
}

const written = suite("check --against: each contradiction, in small files");

const HEALTHY = `app shop {\n  grace 20s\n  drain 5s\n  health port 9464\n  service api { ${MODULE}\n start timeout 30s }\n}\n`;

written("a preStop sleep counts before SIGTERM (spring-boot #26469): 30 s grace with a 10 s preStop is too short for a 20 s grace", () => {
  const app = resolveSpec(HEALTHY);
  const text = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: { name: shop }",
    "spec:",
    "  template:",
    "    spec:",
    "      terminationGracePeriodSeconds: 30",
    "      containers:",
    "        - name: shop",
    "          image: shop",
    "          lifecycle: { preStop: { exec: { command: [sh, -c, sleep 10] } } }",
    "",
  ].join("\n");
  assert.equal(check(app, "d.yaml", text), ["SUP6202 7:38"]);
});

written("probes: a liveness probe that kills a slow start, readiness on /livez, and one too slow for the drain", () => {
  const app = resolveSpec(HEALTHY);
  const text = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata: { name: shop }",
    "spec:",
    "  terminationGracePeriodSeconds: 40",
    "  containers:",
    "    - name: shop",
    "      image: shop",
    "      ports: [{ name: health, containerPort: 9464 }]",
    "      livenessProbe:",
    "        httpGet: { path: /livez, port: health }",
    "        failureThreshold: 3",
    "      readinessProbe:",
    "        httpGet: { path: /livez, port: 9464 }",
    "        periodSeconds: 10",
    "",
  ].join("\n");
  assert.equal(check(app, "pod.yaml", text), ["SUP6205 12:9", "SUP6207 14:26", "SUP6206 15:9"]);
});

written("helm template output: several documents with '# Source:' comments, one workload named like the app, another left alone", () => {
  const app = resolveSpec(`app shop {\n  service api { ${MODULE} }\n}\n`);
  const text = [
    "---",
    "# Source: shop/templates/deployment.yaml",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: release-shop",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: shop",
    "          image: shop",
    '          command: ["/usr/bin/tini", "--", "npm", "start"]',
    "---",
    "# Source: shop/charts/redis/templates/statefulset.yaml",
    "apiVersion: apps/v1",
    "kind: StatefulSet",
    "metadata:",
    "  name: release-redis",
    "spec:",
    "  template:",
    "    spec:",
    "      terminationGracePeriodSeconds: 5",
    "      containers:",
    "        - name: redis",
    "          image: redis",
    "",
  ].join("\n");
  assert.equal(check(app, "helm.yaml", text), ["SUP6202 9:5", "SUP6204 13:44"]);
});

written("a YAML file that does not parse, and one that runs nothing, are said so at their place", () => {
  const app = resolveSpec(HEALTHY);
  assert.equal(check(app, "bad.yaml", "services:\n  api: [unclosed\n").map((d) => d.split(" ")[0]), ["SUP6201"]);
  assert.equal(check(app, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n"), ["SUP6209 1:1"]);
});

written("systemd: a TimeoutStopSec shorter than the grace, npm in ExecStart", () => {
  const app = resolveSpec(HEALTHY);
  const text = "[Unit]\nDescription=shop\n\n[Service]\nExecStart=/usr/bin/npm start\nTimeoutStopSec=15\nKillMode=mixed\n";
  assert.equal(check(app, "shop.service", text), ["SUP6204 5:11", "SUP6202 6:16"]);
});

written("--target names the compose service that runs the app", () => {
  const app = resolveSpec(HEALTHY);
  const text = "services:\n  web:\n    image: a\n    stop_grace_period: 1m\n  worker:\n    image: b\n    stop_signal: SIGUSR2\n";
  assert.equal(check(app, "compose.yaml", text, "worker"), ["SUP6202 5:3", "SUP6203 7:18"]);
  assert.equal(check(app, "compose.yaml", text, "web"), []);
  assert.equal(check(app, "compose.yaml", text, "db"), ["SUP6209 1:1"], "a --target that is not there is said so, not guessed");
});

written("compose: a healthcheck on /livez keeps passing through the drain, and checks too rarely to notice it", () => {
  const app = resolveSpec(HEALTHY);
  const text = [
    "services:",
    "  shop:",
    "    image: shop",
    "    stop_grace_period: 30s",
    "    healthcheck:",
    '      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:9464/livez"]',
    "      interval: 10s",
    "",
  ].join("\n");
  assert.equal(check(app, "compose.yaml", text), ["SUP6207 6:37", "SUP6206 7:7"]);
});

const parts = suite("check --against: the readers underneath");

parts("entrypoints: npm found past tini and inside sh -c, node left alone", () => {
  assert.is(findPackageManager(["npm", "start"]), 0);
  assert.is(findPackageManager(["/usr/bin/tini", "-g", "--", "npm", "start"]), 3);
  assert.is(findPackageManager(["sh", "-c", "exec yarn serve"]), 2);
  assert.is(findPackageManager(["node", "dist/gen/main.js"]), -1);
  assert.is(findPackageManager(["dumb-init", "node", "npm.js"]), -1);
});

parts("durations: compose's Go syntax and systemd's time spans", () => {
  assert.is(parseComposeDuration("1m30s"), 90_000);
  assert.is(parseComposeDuration("500ms"), 500);
  assert.is(parseComposeDuration("10"), undefined);
  assert.is(parseSystemdTimeSpan("90"), 90_000);
  assert.is(parseSystemdTimeSpan("1min 30s"), 90_000);
  assert.is(parseSystemdTimeSpan("infinity"), Infinity);
  assert.is(parseSystemdTimeSpan("soon"), undefined);
});

test.run();
written.run();
parts.run();
