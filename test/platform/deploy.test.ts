// `supervise deploy`: each platform's file validated by that platform's own schema or tool, and
// fitted to the spec's grace. Kubernetes objects against the official OpenAPI schemas (as the
// kubernetes-models package compiles them), compose files against the compose-spec JSON schema
// (vendored from the Compose Specification, schemas/SOURCE.md), systemd units with `systemd-analyze verify`.
// What deploy writes, `check --against` accepts without a word.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { Ajv } from "ajv";
import draft07 from "ajv/dist/refs/json-schema-draft-07.json" with { type: "json" };
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { deploySpecFile, checkAgainstFiles } from "../../compiler/driver/platform-api.ts";
import { PLATFORMS, type Platform } from "../../compiler/language/vocabulary.ts";
import { parseComposeDuration, parseSystemdTimeSpan } from "../../compiler/platform/time-spans.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const SPECS = ["examples/shop/shop.sup", "test/fixtures/golden/health.sup", "test/fixtures/golden/polyglot.sup", "test/fixtures/golden/pipeline.sup"].map((p) => join(REPO_ROOT, p));
const HEALTH = SPECS[1]!;
const OUT = mkdtempSync(join(tmpdir(), "supervise-deploy-"));

function deploy(spec: string, platform: Platform, extra: { node?: string; out?: string } = {}) {
  const result = deploySpecFile(spec, platform, { main: "dist/gen/main.js", node: extra.node ?? "/usr/bin/node", out: extra.out, image: undefined, workdir: undefined });
  assert.ok(result.deployment !== undefined, `${spec}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  assert.equal(result.deployment.notes.filter((n) => n.severity === "error"), []);
  return { app: result.app!, deployment: result.deployment };
}

/** The Compose Specification's schema (draft-07), vendored with its source and licence in schemas/SOURCE.md. */
function loadComposeSchema(): object {
  return JSON.parse(readFileSync(join(REPO_ROOT, "test", "platform", "schemas", "compose-spec.json"), "utf8")) as object;
}

// Not strict: the schema uses annotations Ajv does not know (`deprecated`). It names draft-07 by
// its https address, which Ajv registers under http: the same meta-schema, added under that name.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema({ ...draft07, $id: "https://json-schema.org/draft-07/schema" });
const validateCompose = ajv.compile(loadComposeSchema());

const test = suite("supervise deploy: every platform's file is valid and fits the grace");

test.after(() => rmSync(OUT, { recursive: true, force: true }));

for (const spec of SPECS) {
  const name = spec.slice(REPO_ROOT.length + 1);

  test(`kubernetes, ${name}: a valid apps/v1 Deployment, its termination grace holds grace + 1s, node runs the app`, () => {
    const { app, deployment } = deploy(spec, "kubernetes");
    const object = parse(deployment.text) as Record<string, any>;
    new Deployment(object as never).validate();
    const pod = object.spec.template.spec;
    assert.ok(pod.terminationGracePeriodSeconds * 1000 >= app.graceMs + 1000, `${pod.terminationGracePeriodSeconds}s for grace ${app.graceMs}ms`);
    const container = pod.containers[0];
    assert.equal(container.args, ["node", "dist/gen/main.js"]);
    assert.is(container.command, undefined, "the image's entrypoint (an init) stays PID 1");
    if (app.health === undefined) assert.is(container.readinessProbe, undefined);
    else {
      assert.equal([container.startupProbe.httpGet.path, container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path], ["/startupz", "/readyz", "/livez"]);
      assert.equal(container.ports, [{ name: "health", containerPort: app.health.port }]);
      const readiness = container.readinessProbe;
      assert.ok((readiness.periodSeconds * readiness.failureThreshold + readiness.timeoutSeconds) * 1000 <= app.drainMs, "readiness notices the drain before the stop");
    }
  });

  test(`compose, ${name}: valid by the compose-spec schema, stops with the first signal after grace + 1s, under an init`, () => {
    const { app, deployment } = deploy(spec, "compose");
    const file = parse(deployment.text) as Record<string, any>;
    assert.ok(validateCompose(file), JSON.stringify(validateCompose.errors));
    const service = Object.values(file.services)[0] as Record<string, any>;
    assert.ok(parseComposeDuration(service.stop_grace_period)! >= app.graceMs + 1000);
    assert.is(service.stop_signal, app.signals[0]);
    assert.is(service.init, true);
    assert.equal(service.command, ["node", "dist/gen/main.js"]);
    assert.is(service.healthcheck !== undefined, app.health !== undefined);
  });

  test(`systemd, ${name}: systemd-analyze verify accepts the unit; TimeoutStopSec holds grace + 1s, KillMode=mixed`, () => {
    const { app, deployment } = deploy(spec, "systemd", { node: process.execPath });
    const text = deployment.text;
    const value = (key: string): string | undefined => new RegExp(`^${key}=(.*)$`, "m").exec(text)?.[1];
    assert.ok(parseSystemdTimeSpan(value("TimeoutStopSec")!)! >= app.graceMs + 1000);
    assert.is(value("KillMode"), "mixed");
    assert.is(value("KillSignal"), app.signals[0]);
    assert.is(value("Restart"), "on-failure");
    assert.match(value("ExecStart")!, /node dist\/gen\/main\.js$/);
    const probe = spawnSync("systemd-analyze", ["--version"], { encoding: "utf8" });
    if (probe.error !== undefined) {
      console.log(`  skipped systemd-analyze verify for ${name}: systemd-analyze is not installed (${probe.error.message}); apt-get install systemd`);
      return;
    }
    const unit = join(OUT, `${app.name}.service`);
    writeFileSync(unit, text);
    const verify = spawnSync("systemd-analyze", ["verify", "--man=no", unit], { encoding: "utf8" });
    assert.is(verify.status, 0, verify.stderr);
    assert.is(verify.stderr.split("\n").filter((l) => l.includes(unit)).join("\n"), "", "no complaint about the unit");
  });
}

test("what deploy writes, check --against accepts: no diagnostic for any platform", () => {
  for (const platform of PLATFORMS) {
    const dir = join(OUT, platform);
    const { deployment } = deploy(HEALTH, platform, { out: dir, node: process.execPath });
    const analysis = checkAgainstFiles(HEALTH, [join(dir, deployment.fileName)]);
    assert.equal(analysis.diagnostics.map((d) => `${d.code} ${d.message}`), [], platform);
  }
});

test("kubernetes: a health host on loopback is refused, since the kubelet probes the pod's address", () => {
  const dir = join(OUT, "loopback");
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, "app.sup");
  writeFileSync(spec, 'app shop {\n  health port 9464\n  health host 127.0.0.1\n  service db { exec "true" }\n}\n');
  const result = deploySpecFile(spec, "kubernetes", { main: "m.js", node: "/usr/bin/node" });
  assert.equal(result.deployment?.notes.map((n) => n.severity), ["error"]);
  assert.ok(deploySpecFile(spec, "compose", { main: "m.js", node: "/usr/bin/node" }).deployment?.notes.length === 0, "compose probes from inside the container");
});

test("--out never replaces a file deploy did not write, and rewrites its own", () => {
  const dir = join(OUT, "mine");
  const first = deploy(HEALTH, "kubernetes", { out: dir });
  const path = join(dir, first.deployment.fileName);
  deploy(HEALTH, "kubernetes", { out: dir });
  writeFileSync(path, "apiVersion: v1\nkind: ConfigMap\n");
  assert.throws(() => deploySpecFile(HEALTH, "kubernetes", { main: "m.js", node: "/usr/bin/node", out: dir }), /refusing to overwrite/);
  assert.is(readFileSync(path, "utf8"), "apiVersion: v1\nkind: ConfigMap\n");
});

test.run();
