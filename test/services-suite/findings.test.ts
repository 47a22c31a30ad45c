// How one run of a service becomes the failures a user reads: each names the task or resource,
// where it began (paths from the working directory), and the audit rule; a clean run has none.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { AUDIT_RULES as AUDIT_RULES_OF_COMPILER } from "../../compiler/audit/rules.ts";
import { AUDIT_CODES, AUDIT_RULES, formatFindings, judgeRun, judgeStarved, shortenFrame } from "../../runtime/testing/service-findings.ts";
import type { RunnerResult } from "../../runtime/testing/service-suite.ts";

const AT = (line: number): string => `start (file://${process.cwd()}/services/api.ts:${line}:5)`;
const SIGTERM = { kind: "signal", signal: "SIGTERM" } as const;

function cleanRun(overrides: Partial<RunnerResult> = {}): RunnerResult {
  return {
    service: "api", setupError: undefined, deps: "real", exitCode: 0, state: "stopped", stopTimeoutMs: 1000, stopSignal: undefined, stopMs: 3,
    startError: undefined, crashes: [], stopErrors: [], tasks: [{ name: "loop", scope: "api", stack: [AT(10)], settled: true }],
    finalizers: [{ stack: [AT(12)], ran: true, finished: true, error: undefined }], signal: { aborted: true, reason: SIGTERM, expected: SIGTERM },
    leftOpen: [], leftOpenByCancelledStart: [], controllers: [], unhandled: [], dependencyProblems: [], ...overrides,
  };
}

const test = suite("services suite findings");

test("a clean run has no finding", () => {
  assert.equal(judgeRun(cleanRun()), []);
});

test("frames are shown from the working directory", () => {
  assert.is(shortenFrame(AT(7)), "start (services/api.ts:7:5)");
});

test("an abandoned service: the hung task, where it began, and the rule by what it waits on", () => {
  const hung = { state: "abandoned", tasks: [{ name: "loop", scope: "api", stack: [AT(10)], settled: false }] } as const;
  const ignores = judgeRun(cleanRun(hung));
  assert.is(ignores.length, 1);
  assert.is(ignores[0]!.rule, AUDIT_RULES.loopIgnoresSignal);
  assert.match(ignores[0]!.problem, 'task "loop", started at start (services/api.ts:10:5)');
  const timer = { kind: "timer (setTimeout)", stack: [AT(11)], afterStop: false };
  assert.is(judgeRun(cleanRun({ ...hung, leftOpen: [timer] }))[0]!.rule, AUDIT_RULES.uncancellableAwait);
  assert.is(judgeRun(cleanRun({ ...hung, controllers: [{ stack: [AT(9)] }] }))[0]!.rule, AUDIT_RULES.unlinkedAbortController);
});

test("resources left open: not released, or created after the stop (floating work), or by a cancelled start", () => {
  const findings = judgeRun(
    cleanRun({
      leftOpen: [
        { kind: "server", stack: [AT(20)], afterStop: false },
        { kind: "timer (setTimeout)", stack: ["new Promise (<anonymous>)", AT(21)], afterStop: true },
      ],
      leftOpenByCancelledStart: [{ kind: "socket", stack: [AT(22)], afterStop: false }],
    }),
  );
  assert.equal(findings.map((f) => f.rule), [AUDIT_RULES.resourceNotReleased, AUDIT_RULES.floatingPromise, AUDIT_RULES.finalizerAfterAwait]);
  assert.match(findings[0]!.problem, "a server, created at start (services/api.ts:20:5)");
  assert.match(findings[1]!.problem, "services/api.ts:21:5");
});

test("a resource with no frame of the service's code is shown only when nothing else explains the leak", () => {
  const internal = { kind: "interval (setInterval)", stack: ["node:_http_server"], afterStop: false };
  assert.is(judgeRun(cleanRun({ leftOpen: [{ kind: "server", stack: [AT(20)], afterStop: false }, internal] })).length, 1);
  assert.is(judgeRun(cleanRun({ leftOpen: [internal] })).length, 1);
});

test("a failing finalizer, a signal without the stop reason and a repeated unhandled rejection are each reported once", () => {
  const error = { name: "Error", message: "boom", stack: [AT(30)] };
  const findings = judgeRun(
    cleanRun({
      finalizers: [{ stack: [AT(12)], ran: true, finished: true, error }],
      signal: { aborted: false, reason: undefined, expected: SIGTERM },
      unhandled: [
        { origin: "unhandledRejection", service: "api", error },
        { origin: "unhandledRejection", service: "api", error },
      ],
    }),
  );
  assert.equal(findings.map((f) => f.rule), [undefined, undefined, AUDIT_RULES.floatingPromise]);
  assert.match(findings[0]!.problem, "threw: Error: boom (at start (services/api.ts:30:5))");
});

test("a starved loop: a spinning task after the stop, a finalizer, a start", () => {
  const task = { name: "retry", scope: "api", stack: [AT(8)], settled: false };
  assert.is(judgeStarved("stop", [task], 2000, 1000)[0]!.rule, AUDIT_RULES.catchSwallowsAbort);
  const finalizer = judgeStarved("stop", [], 2000, 1000, [AT(14)])[0]!;
  assert.is(finalizer.rule, AUDIT_RULES.syncLoopWaitsForCallback);
  assert.match(finalizer.problem, "the finalizer registered at start (services/api.ts:14:5) loops");
  assert.is(judgeStarved("start", [], 2000, 1000)[0]!.rule, AUDIT_RULES.syncLoopWaitsForCallback);
});

test("the message names the service, then one line per problem with its rule", () => {
  const text = formatFindings("api", [{ problem: "left open: a server", rule: AUDIT_RULES.resourceNotReleased }]);
  assert.is(text, 'service "api": 1 problem\n    - left open: a server\n        audit rule: leaked-resource (SUP5004)');
});

test("the rules named are the audit's own, with their codes", () => {
  const audit = new Map(AUDIT_RULES_OF_COMPILER.map((rule) => [rule.name, rule.def.code]));
  assert.equal(new Map(Object.values(AUDIT_RULES).map((name) => [name, AUDIT_CODES[name]])), audit);
});

test.run();
