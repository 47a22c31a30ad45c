// Restart sanity (SUP3017-SUP3019) and settings without effect (SUP2022, SUP2023).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyze, codesWithText, inApp } from "./helpers.ts";

const restarts = suite("checks: restarts and settings without effect");

const svc = (name: string, body = ""): string => `service ${name} { module "./${name}.ts" ${body} }`;
const workers = (intensity: string): string => `supervisor w { intensity ${intensity} ${svc("m")} ${svc("i")} }`;

restarts("SUP3017 needs a dependent outside the nested supervisor: without one, more restarts inside are fine", () => {
  assert.equal(codesWithText(inApp(`intensity 1 per 1m ${workers("10 per 10s")}`)), []);
  assert.equal(codesWithText(inApp(`intensity 1 per 1m ${workers("10 per 10s")} ${svc("api", "needs w")}`)), ["SUP3017:intensity 10 per 10s"]);
  // Needing something inside spills too, and so does needing a supervisor around the nested one.
  assert.equal(codesWithText(inApp(`intensity 1 per 1m ${workers("10 per 10s")} ${svc("api", "needs w.m")}`)), ["SUP3017:intensity 10 per 10s"]);
  assert.equal(
    codesWithText(inApp(`intensity 1 per 1m supervisor outer { intensity 1 per 1m ${workers("10 per 10s")} } ${svc("api", "needs outer")}`)),
    ["SUP3017:intensity 10 per 10s"],
  );
  assert.equal(codesWithText(inApp(`intensity 3 per 1m ${workers("3 per 10s")} ${svc("api", "needs w")}`)), [], "equal allowances");
});

restarts("SUP3017 compares with the supervisor that owns the dependent, in the shorter period", () => {
  const source = inApp(`intensity 2 per 1m supervisor outer { intensity 50 per 1m ${workers("10 per 10s")} ${svc("api", "needs w")} }`);
  assert.equal(codesWithText(source), [], "'outer' owns 'api' and allows more");
  const [d] = analyze(inApp(`intensity 2 per 1m ${workers("10 per 10s")} ${svc("api", "needs w")}`)).diagnostics;
  assert.is(d!.message, "'w' may restart 10 times within 10s, and each restart also restarts 'api'; app 't' allows only 2 in 10s (2 per 1m)");
});

restarts("SUP3018: written stop timeouts longer than the period; temporary children and intensity 0 are exempt", () => {
  assert.equal(codesWithText(inApp(svc("db", "stop timeout 6s"))), ["SUP3018:6s"]);
  assert.equal(codesWithText(inApp(svc("db", "stop timeout 5s"))), []);
  assert.equal(codesWithText(inApp(svc("db", "stop timeout 6s restart temporary"))), []);
  assert.equal(codesWithText(inApp(`intensity 0 per 5s ${svc("db", "stop timeout 6s")}`)), ["SUP3019:0"]);
  // A supervisor's generous stop timeout counts only as long as its children may take.
  assert.equal(codesWithText(inApp(`supervisor w { stop timeout 20s ${svc("a")} }`)), []);
});

restarts("SUP3019: intensity 0 is a note, and only when some child would be restarted", () => {
  assert.equal(codesWithText(inApp(`intensity 0 per 5s ${svc("db")}`)), ["SUP3019:0"]);
  assert.is(analyze(inApp(`intensity 0 per 5s ${svc("db")}`)).diagnostics[0]!.severity, "info");
  assert.equal(codesWithText(inApp(`supervisor w { intensity 0 per 5s ${svc("a", "restart temporary")} ${svc("b", "restart temporary")} }`)), [
    "SUP2023:intensity",
  ]);
});

restarts("SUP2022: a nested supervisor without children; an empty app is not reported", () => {
  assert.equal(codesWithText(inApp(`${svc("db")} supervisor spare { }`)), ["SUP2022:spare"]);
  assert.equal(codesWithText("app t { }"), []);
});

restarts("SUP2023: a strategy with one child, restart settings nothing uses, a shutdown order of one", () => {
  assert.equal(codesWithText(inApp(`supervisor w { strategy one_for_all ${svc("a")} }`)), ["SUP2023:strategy one_for_all"]);
  assert.equal(codesWithText(inApp(`supervisor w { strategy one_for_one ${svc("a")} }`)), [], "the default strategy says nothing more");
  assert.equal(codesWithText(inApp(`supervisor w { strategy one_for_al ${svc("a")} }`)), ["SUP2008:one_for_al"], "an unknown value is that error only");
  assert.equal(codesWithText(inApp(`supervisor w { strategy rest_for_one ${svc("a", "restart temporary")} }`)), ["SUP2023:strategy"]);
  assert.equal(codesWithText(inApp(`supervisor w { ${svc("a")} shutdown a }`)), ["SUP2023:shutdown"]);
  assert.equal(codesWithText(inApp(`${svc("a")} shutdown a, b`)), ["SUP2002:b"], "a wrong line is reported as wrong");
});

restarts.run();
