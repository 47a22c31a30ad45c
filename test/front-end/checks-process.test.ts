// Process services and backoff in the front end: how the settings parse, what the checks report
// (with spans inside the command line), and what they resolve to.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import type { ResolvedService, ResolvedSupervisor } from "../../compiler/model/model.ts";
import { parseSpec } from "../../compiler/syntax/parse-spec.ts";
import { analyze, codesWithText, inApp } from "./helpers.ts";

const test = suite("checks: process services and backoff");

const exec = (name: string, command: string, body = ""): string => `service ${name} { exec ${JSON.stringify(command)} ${body} }`;

test("every process setting parses, on one line or many, with its parts", () => {
  const source = inApp(`service legacy {
    exec "python3 worker.py --queue default"
    stop signal SIGQUIT  stop timeout 20s
    ready when stdout "listening"
    env QUEUE "default", LOG_LEVEL "debug"
    cwd "./workers"
    backoff 100ms..10s
  }`);
  const parsed = parseSpec(source, "t.sup");
  assert.equal(parsed.diagnostics, []);
  const settings = parsed.spec.app!.children[0]!.settings;
  assert.equal(settings.map((s) => s.kind), ["exec", "stop-signal", "stop-timeout", "ready-when", "env", "cwd", "backoff"]);
  const env = settings.find((s) => s.kind === "env");
  assert.ok(env?.kind === "env");
  assert.equal(env.vars.map((v) => [v.name.text, v.value.value]), [["QUEUE", "default"], ["LOG_LEVEL", "debug"]]);
  const backoff = settings.find((s) => s.kind === "backoff");
  assert.ok(backoff?.kind === "backoff");
  assert.equal([backoff.min.ms, backoff.max.ms], [100, 10_000]);
  assert.is(source.slice(backoff.span.start, backoff.span.end), "backoff 100ms..10s");
});

test("'..' ends a duration: spaces around it are optional; a missing '..' is a syntax error", () => {
  assert.equal(codesWithText(inApp(exec("a", "node a.mjs", "backoff 1s .. 2m"))), []);
  assert.equal(codesWithText(inApp(exec("a", "node a.mjs", "backoff 1s 2m"))), ["SUP1005:2m"]);
  assert.equal(codesWithText(inApp(exec("a", "node a.mjs", "backoff 5..10s"))), ["SUP1010:5"]);
});

test("keywords name services by position, 'signals' still lexes whole, and 'stdout' stays a name", () => {
  assert.equal(codesWithText(inApp(`service env { exec "x" }`)), []);
  assert.equal(codesWithText(inApp(`signals SIGTERM ${exec("stdout", "x")}`)), []);
});

test("SUP2024/SUP2025/SUP2010: a module or a program, and program settings only with a program", () => {
  assert.equal(codesWithText(inApp(`service a { module "./a.ts" exec "node a.mjs" }`)), ["SUP2024:exec"]);
  assert.equal(codesWithText(inApp(`service a { module "./a.ts" stop signal SIGINT ready when stdout "x" env A "1" cwd "." }`)), [
    "SUP2025:stop signal",
    "SUP2025:ready when",
    "SUP2025:env",
    "SUP2025:cwd",
  ]);
  const missing = analyze(inApp(`service a { env A "1" }`)).diagnostics;
  assert.equal(missing.map((d) => d.code), ["SUP2010"]);
  assert.match(missing[0]!.hint!, /add 'exec/);
});

test("process settings belong to services; backoff to any block", () => {
  assert.equal(codesWithText(inApp(`exec "x" cwd "." env A "1" stop signal SIGINT ready when stdout "x" backoff 1s..2s ${exec("a", "x")}`)), [
    "SUP2005:exec",
    "SUP2005:cwd",
    "SUP2005:env",
    "SUP2005:stop signal",
    "SUP2005:ready when",
  ]);
  assert.equal(codesWithText(inApp(`supervisor s { backoff 1s..2s ${exec("a", "x")} }`)), []);
  assert.equal(codesWithText(inApp(exec("a", "x", 'exec "y" cwd "." cwd "."'))), ["SUP2004:exec", "SUP2004:cwd"]);
});

test("SUP2026-SUP2028: the command line, with spans on the exact characters despite escapes", () => {
  assert.equal(codesWithText(inApp(exec("a", "  "))), ['SUP2026:"  "']);
  assert.equal(codesWithText(inApp(exec("a", "node -e 'x"))), ["SUP2027:'"]);
  assert.equal(codesWithText(inApp(exec("a", "a\\"))), ["SUP2027:\\\\"]);
  assert.equal(codesWithText(inApp(exec("a", 'node "$HOME" | tee "x y" > log'))), ["SUP2028:$HOME", "SUP2028:|", "SUP2028:>"]);
  assert.equal(codesWithText(inApp(exec("a", "FOO=1 node x"))), ["SUP2028:FOO=1"]);
  assert.equal(codesWithText(inApp(exec("a", "sh -c 'a | b > c'"))), []);
});

test("SUP2029/SUP2006: stop signals", () => {
  assert.equal(codesWithText(inApp(exec("a", "x", "stop signal SIGWINCH"))), []);
  assert.equal(codesWithText(inApp(exec("a", "x", "stop signal SIGKILL"))), []);
  assert.equal(codesWithText(inApp(exec("a", "x", "stop signal SIGSTOP"))), ["SUP2029:SIGSTOP"]);
  const unknown = analyze(inApp(exec("a", "x", "stop signal quit"))).diagnostics;
  assert.equal(unknown.map((d) => [d.code, d.hint]), [["SUP2006", "did you mean 'SIGQUIT'?"]]);
});

test("SUP2030/SUP2031/SUP2032: env names, repeats across lines, readiness source", () => {
  assert.equal(codesWithText(inApp(exec("a", "x", 'env A-B "1", _OK_2 "2"'))), ["SUP2030:A-B"]);
  assert.equal(codesWithText(inApp(exec("a", "x", 'env A "1", B "2" env A "3"'))), ["SUP2031:A"]);
  assert.equal(codesWithText(inApp(exec("a", "x", 'ready when stdot "x"'))), ["SUP2032:stdot"]);
});

test("SUP3020 and the duration checks of backoff", () => {
  assert.equal(codesWithText(inApp(exec("a", "x", "backoff 10s..1s"))), ["SUP3020:10s..1s"]);
  assert.equal(codesWithText(inApp(exec("a", "x", "backoff 0s..1s"))), ["SUP3009:0s"]);
  assert.equal(codesWithText(inApp(exec("a", "x", "backoff 1s..infinity"))), ["SUP3008:infinity"]);
});

test("SUP2023: backoff where nothing is restarted", () => {
  assert.equal(codesWithText(inApp(exec("a", "x", "restart temporary backoff 1s..2s"))), ["SUP2023:backoff"]);
  assert.equal(codesWithText(inApp(`supervisor s { backoff 1s..2s ${exec("a", "x", "restart temporary")} ${exec("b", "x", "restart temporary")} }`)), [
    "SUP2023:backoff",
  ]);
});

test("SUP4003-SUP4005: the working directory and a relative program are checked on the file system", () => {
  const check = (body: string, existing: readonly string[]) =>
    analyzeSpec(inApp(body), "t.sup", { specDir: "/spec", fileExists: (p) => existing.includes(p), directoryExists: (p) => p === "/spec/workers" })
      .diagnostics.map((d) => d.code);
  assert.equal(check(exec("a", "./bin/w", 'cwd "/abs"'), []), ["SUP4003"]);
  assert.equal(check(exec("a", "node w.mjs", 'cwd "./nope"'), []), ["SUP4004"]);
  assert.equal(check(exec("a", "./bin/w", 'cwd "./workers"'), []), ["SUP4005"]);
  assert.equal(check(exec("a", "./bin/w", 'cwd "./workers"'), ["/spec/workers/bin/w"]), []);
  assert.equal(check(exec("a", "python3 w.py"), []), []);
});

test("an exec service resolves to argv, defaults and env in order; backoff on every kind of block", () => {
  const result = analyze(`app t {
    backoff 10ms..1s
    supervisor s {
      backoff 1s..1m
      service w { exec "node 'my worker.mjs'"  env B "2", A "1"  cwd "./x"  stop signal SIGINT  ready when stdout "up"  backoff 5ms..5ms }
      service m { module "./m.ts" }
    }
  }`);
  assert.equal(result.diagnostics, []);
  const s = result.app!.root.children[0] as ResolvedSupervisor;
  const [w, m] = s.children as ResolvedService[];
  assert.equal(result.app!.root.backoff, { minMs: 10, maxMs: 1000 });
  assert.equal(s.backoff, { minMs: 1000, maxMs: 60_000 });
  assert.equal(w!.exec, { argv: ["node", "my worker.mjs"], cwd: "./x", env: [["B", "2"], ["A", "1"]], stopSignal: "SIGINT", readyWhenStdout: "up", reloadSignal: undefined });
  assert.equal([w!.module, w!.backoff], [undefined, { minMs: 5, maxMs: 5 }]);
  assert.equal([m!.exec, m!.backoff], [undefined, undefined]);
  const defaults = analyze(inApp(exec("d", "x"))).app!.root.children[0] as ResolvedService;
  assert.equal(defaults.exec, { argv: ["x"], cwd: ".", env: [], stopSignal: "SIGTERM", readyWhenStdout: undefined, reloadSignal: undefined });
});

test.run();
