import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codesWithText, inApp } from "./helpers.ts";

const settings = suite("checks: settings, values, durations");

const svc = (name: string, body = ""): string => `service ${name} { module "./${name}.ts" ${body} }`;

settings("SUP2004: a setting given twice, with the first as related", () => {
  const source = inApp(svc("db", "restart permanent\n restart temporary"));
  assert.equal(codesWithText(source), ["SUP2004:restart"]);
  assert.equal(codesWithText(inApp("grace 1s grace 2s")), ["SUP2004:grace"]);
});

settings("repeated needs lines are fine (they add up)", () => {
  assert.equal(codesWithText(inApp(`${svc("a")} ${svc("b")} ${svc("c", "needs a needs b")}`)), []);
});

settings("SUP2005: settings outside the blocks that allow them", () => {
  assert.equal(codesWithText(inApp(svc("db", "grace 5s"))), ["SUP2005:grace"]);
  assert.equal(codesWithText(inApp(svc("db", "signals SIGTERM strategy one_for_one"))), ["SUP2005:signals", "SUP2005:strategy"]);
  assert.equal(codesWithText(inApp('module "./x.ts" needs x stop timeout 1s start timeout 1s restart permanent')), [
    "SUP2005:module",
    "SUP2005:needs",
    "SUP2005:stop timeout",
    "SUP2005:start timeout",
    "SUP2005:restart",
  ]);
  assert.equal(codesWithText(inApp(`supervisor w { ${svc("a")} module "./w.ts" start timeout 1s }`)), [
    "SUP2005:module",
    "SUP2005:start timeout",
  ]);
  assert.equal(codesWithText(inApp(svc("db", "shutdown db"))), ["SUP2005:shutdown"]);
});

settings("SUP2014: blocks where they cannot be", () => {
  assert.equal(codesWithText(inApp(svc("db", svc("inner")))), ["SUP2014:service"]);
  assert.equal(codesWithText(inApp("app nested { }")), ["SUP2014:app"]);
});

settings("SUP2006/2007/2015/2018/2019: signals", () => {
  assert.equal(codesWithText(inApp("signals SIGTREM")), ["SUP2006:SIGTREM"]);
  assert.equal(codesWithText(inApp("signals SIGKILL, SIGSTOP")), ["SUP2007:SIGKILL", "SUP2007:SIGSTOP"]);
  assert.equal(codesWithText(inApp("signals SIGTERM, SIGTERM")), ["SUP2015:SIGTERM"]);
  assert.equal(codesWithText(inApp("signals SIGWINCH, SIGSEGV, SIGBREAK")), ["SUP2018:SIGWINCH", "SUP2018:SIGSEGV", "SUP2018:SIGBREAK"]);
  assert.equal(codesWithText(inApp("signals SIGUSR1")), ["SUP2019:SIGUSR1"]);
  assert.equal(codesWithText(inApp("signals SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR2")), []);
});

settings("unknown signals get a did-you-mean, also for lowercase or a missing SIG prefix", async () => {
  const { analyze } = await import("./helpers.ts");
  const hints = ["SIGTREM", "sigterm", "TERM", "SIGNIT", "SIGFOO"].map((s) => analyze(inApp(`signals ${s}`)).diagnostics[0]!.hint);
  assert.equal(hints.slice(0, 4), ["did you mean 'SIGTERM'?", "did you mean 'SIGTERM'?", "did you mean 'SIGTERM'?", "did you mean 'SIGINT'?"]);
  assert.match(hints[4]!, /SIGTERM, SIGINT/);
});

settings("SUP2008/SUP2009: unknown strategy and restart values, with did-you-mean", async () => {
  const { analyze } = await import("./helpers.ts");
  assert.equal(codesWithText(inApp("strategy one_for_al")), ["SUP2008:one_for_al"]);
  assert.equal(codesWithText(inApp(svc("db", "restart permanant"))), ["SUP2009:permanant"]);
  assert.is(analyze(inApp("strategy rest_for_on")).diagnostics[0]!.hint, "did you mean 'rest_for_one'?");
  assert.is(analyze(inApp("strategy banana")).diagnostics[0]!.hint, undefined);
});

settings("SUP3008: infinity only for stop timeouts", () => {
  assert.equal(codesWithText(inApp("grace infinity intensity 1 per infinity")), ["SUP3008:infinity", "SUP3008:infinity"]);
  assert.equal(codesWithText(inApp(svc("db", "start timeout infinity"))), ["SUP3008:infinity"]);
  // Allowed, but a service that may take forever needs a finite budget around it.
  assert.equal(codesWithText(inApp(svc("db", "stop timeout infinity"))), ["SUP3014:infinity"]);
  assert.equal(codesWithText(inApp(`supervisor w { stop timeout 5s ${svc("db", "stop timeout infinity")} }`)), []);
});

settings("SUP3009/SUP3010: zero durations", () => {
  assert.equal(codesWithText(inApp("grace 0s intensity 3 per 0ms")), ["SUP3009:0s", "SUP3009:0ms"]);
  assert.equal(codesWithText(inApp(svc("db", "start timeout 0s"))), ["SUP3009:0s"]);
  assert.equal(codesWithText(inApp(svc("db", "stop timeout 0s"))), ["SUP3010:0s"]);
  assert.equal(codesWithText(inApp("intensity 0 per 5s")), [], "intensity 0: no restarts allowed, as in OTP");
});

settings("SUP3011: durations beyond what a timer can wait", () => {
  // One mistake, one report: the budget checks wait for values that are valid.
  assert.equal(codesWithText(inApp(svc("db", "stop timeout 597h"))), ["SUP3011:597h"]);
  assert.equal(codesWithText(inApp("grace 596h31m23s647ms " + svc("db"))), []);
  assert.equal(codesWithText(inApp("grace 596h31m23s648ms")), ["SUP3011:596h31m23s648ms"]);
});

settings("SUP3012: a stop timeout longer than the grace that no budget error names already", () => {
  // On the critical path, the budget error (SUP3013) names the node with its figure instead.
  assert.equal(codesWithText(inApp("intensity 1 per 1m " + svc("db", "stop timeout 31s"))), ["SUP3013:t"]);
  assert.equal(codesWithText(inApp("grace 1m intensity 1 per 1m " + svc("db", "stop timeout 31s"))), []);
  // A supervisor's budget beyond the grace that its children never need: nothing else reports it.
  assert.equal(codesWithText(inApp("grace 10s supervisor w { stop timeout 11s " + svc("x") + " }")), ["SUP3012:11s"]);
});

settings("value checks still run when the file has syntax errors elsewhere", () => {
  const source = inApp(`${svc("db", "restart permanant")}\n service x { foo }`);
  assert.equal(codesWithText(source), ["SUP2009:permanant", "SUP1007:foo"]);
});

settings("structural checks do not run on a tree recovered from syntax errors", () => {
  // The missing '}' nests 'api' inside 'db'; reporting that would be noise.
  const source = 'app a {\n  service db { module "./db.ts"\n  service api { module "./api.ts" needs db }\n}\n';
  assert.equal(codesWithText(source).map((c) => c.split(":")[0]), ["SUP1006"]);
});

settings("a stray character does not hide the structural checks", () => {
  assert.equal(codesWithText(inApp(`${svc("db", "needs nope")} @`)), ["SUP2002:nope", "SUP1001:@"]);
});

settings("an unterminated string does when it swallowed a brace; the braces ending its line are not in it", () => {
  const swallowing = inApp('service db { module "./db.ts } x\n}\nservice api { module "./api.ts" needs nope }');
  assert.equal(codesWithText(swallowing).map((c) => c.split(":")[0]), ["SUP1002"]);
  const closing = inApp('service db { module "./db.ts }\nservice api { module "./api.ts" needs nope }');
  assert.equal(codesWithText(closing).map((c) => c.split(":")[0]), ["SUP1002", "SUP2002"]);
});

settings.run();
