// What a careful reviewer would say about one run of a service (service-runner.ts): each problem in
// the user's terms, naming the task (and where it began) or the resource (and where it was
// created), and the audit rule (`supervise audit`) that would have caught it before the run.
import type { ErrorInfo, ResourceInfo, RunnerResult, TaskInfo } from "./service-suite.ts";
import { isDeepStrictEqual } from "node:util";

/**
 * The audit's rule names, as `supervise audit` and its ESLint plugin (`supervise/<name>`) report
 * them (compiler/audit/rules.ts; a test keeps the two lists the same). The runtime cannot import
 * the compiler, hence the copy.
 */
export const AUDIT_RULES = {
  loopIgnoresSignal: "unstoppable-loop",
  uncancellableAwait: "uncancellable-wait",
  catchSwallowsAbort: "swallowed-abort",
  resourceNotReleased: "leaked-resource",
  floatingPromise: "floating-work",
  unlinkedAbortController: "orphan-controller",
  finalizerAfterAwait: "late-finalizer",
  syncLoopWaitsForCallback: "frozen-loop",
} as const;

export type AuditRule = (typeof AUDIT_RULES)[keyof typeof AUDIT_RULES];

/** Each rule's diagnostic code (SUP5xxx), as `supervise audit` reports it. */
export const AUDIT_CODES: Readonly<Record<AuditRule, string>> = {
  "unstoppable-loop": "SUP5001",
  "uncancellable-wait": "SUP5002",
  "swallowed-abort": "SUP5003",
  "leaked-resource": "SUP5004",
  "floating-work": "SUP5005",
  "orphan-controller": "SUP5006",
  "late-finalizer": "SUP5007",
  "frozen-loop": "SUP5008",
};

export interface Finding {
  readonly problem: string;
  /** The audit rule that would have caught it; undefined when no static rule can. */
  readonly rule: AuditRule | undefined;
}

/** "start (file:///app/services/api.ts:42:9)" -> "start (services/api.ts:42:9)": paths from the working directory. */
export function shortenFrame(frame: string, cwd: string = process.cwd()): string {
  const base = `file://${cwd.replace(/\\/g, "/").replace(/\/?$/, "/")}`;
  return frame.split(base).join("").split(`${cwd}/`).join("");
}

const NO_PLACE = "a place inside Node or a library (no frame of the service's code on the stack)";

/** The first frame of a stack, shortened, or a word saying it is unknown. */
export function where(stack: readonly string[]): string {
  // Builtins ("new Promise (<anonymous>)") have no place in a file.
  const frame = stack.find((f) => /:\d+:\d+\)?$/.test(f));
  return frame !== undefined ? shortenFrame(frame) : NO_PLACE;
}

function describeError(error: ErrorInfo): string {
  const at = where(error.stack);
  return `${error.name}: ${error.message}${at !== NO_PLACE ? ` (at ${at})` : ""}`;
}

function describeTask(task: TaskInfo): string {
  const owner = task.scope.includes("/") ? ` in scope ${task.scope}` : "";
  return `task "${task.name}"${owner}, started at ${where(task.stack)}`;
}

function describeBudget(ms: number): string {
  return ms === Infinity ? "no limit of its own" : `${ms}ms`;
}

/** Every problem the run shows, in the order a reader fixes them: set-up, start, stop, leftovers. */
export function judgeRun(run: RunnerResult): Finding[] {
  if (run.setupError !== undefined) return [{ problem: `could not be set up: ${describeError(run.setupError)}`, rule: undefined }];
  const findings: Finding[] = [];
  const add = (problem: string, rule?: AuditRule): void => void findings.push({ problem, rule });
  for (const dep of run.dependencyProblems) {
    add(`its dependency "${dep.id}" ${dep.state === "abandoned" ? "hung on stop" : "failed"}${dep.error !== undefined ? `: ${describeError(dep.error)}` : ""} (its own test names the cause; or give this service doubles in services.fixtures.ts)`);
  }
  if (run.startError !== undefined) add(`failed to start: ${describeError(run.startError)}`);
  else if (run.state === "never-started" && run.dependencyProblems.length === 0) add("never started");
  for (const crash of run.crashes) add(`crashed while running${crash.task !== "" ? ` (task "${crash.task}")` : ""}: ${describeError(crash.error)}`);
  const openTimers = run.leftOpen.filter((r) => !r.afterStop && /^(timer|interval)/.test(r.kind));
  if (run.state === "abandoned") {
    const budget = describeBudget(run.stopTimeoutMs);
    if (run.stopSignal !== undefined) {
      // A program: the runtime's own tasks wait for it; what hangs is the program.
      add(`the program did not exit on ${run.stopSignal} within its stop timeout (${budget})`);
      return [...findings, ...judgeLeftovers(run)];
    }
    const hung = run.tasks.filter((t) => !t.settled);
    for (const task of hung) {
      if (run.controllers.length > 0) {
        add(`did not stop within its stop timeout (${budget}): ${describeTask(task)} still runs; an AbortController created at ${where(run.controllers[0]!.stack)} was never aborted (not linked to scope.signal)`, AUDIT_RULES.unlinkedAbortController);
      } else if (openTimers.length > 0) {
        add(`did not stop within its stop timeout (${budget}): ${describeTask(task)} still waits on ${withArticle(openTimers[0]!.kind)} created at ${where(openTimers[0]!.stack)} that its signal does not cancel`, AUDIT_RULES.uncancellableAwait);
      } else {
        add(`did not stop within its stop timeout (${budget}): ${describeTask(task)} still runs: it neither reads its signal nor passes it on`, AUDIT_RULES.loopIgnoresSignal);
      }
    }
    const unfinished = run.finalizers.filter((f) => f.ran && !f.finished);
    for (const f of unfinished) add(`did not stop within its stop timeout (${budget}): the finalizer registered at ${where(f.stack)} never finished`);
    if (hung.length === 0 && unfinished.length === 0) add(`did not stop within its stop timeout (${budget})`);
  } else if (run.state === "stopped" && run.stopMs !== undefined && run.stopMs > run.stopTimeoutMs) {
    add(`stopped after ${run.stopMs}ms, more than its stop timeout (${describeBudget(run.stopTimeoutMs)})`);
  }
  return [...findings, ...judgeLeftovers(run)];
}

/** What the stop left: finalizers unrun or failing, a signal without its reason, resources, uncaught errors. */
function judgeLeftovers(run: RunnerResult): Finding[] {
  const findings: Finding[] = [];
  const add = (problem: string, rule?: AuditRule): void => void findings.push({ problem, rule });
  if (run.state === "stopped") {
    for (const f of run.finalizers) if (!f.ran) add(`the finalizer registered at ${where(f.stack)} never ran`);
  }
  for (const f of run.finalizers) if (f.error !== undefined) add(`the finalizer registered at ${where(f.stack)} threw: ${describeError(f.error)}`);
  for (const error of run.stopErrors) add(`failed while stopping: ${describeError(error)}`);
  if (run.signal.expected !== undefined && (!run.signal.aborted || !isDeepStrictEqual(run.signal.reason, run.signal.expected))) {
    add(`its signal was not aborted with the stop reason (${JSON.stringify(run.signal.expected)}); it saw ${run.signal.aborted ? JSON.stringify(run.signal.reason) : "no abort"}`);
  }
  for (const resource of placed(run.leftOpen)) add(...describeLeftOpen(resource));
  for (const resource of placed(run.leftOpenByCancelledStart)) {
    add(`stopped during its start, it left open ${withArticle(resource.kind)}, created at ${where(resource.stack)}: its finalizer is registered only after an await`, AUDIT_RULES.finalizerAfterAwait);
  }
  const seen = new Set<string>();
  for (const u of run.unhandled) {
    // The same floating promise rejects again in the second run (stopped during its start): once is enough.
    const key = `${u.error.name}: ${u.error.message} ${u.error.stack[0] ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const whose = u.service === undefined || u.service === run.service ? "" : ` (from "${u.service}")`;
    add(`an ${u.origin === "unhandledRejection" ? "unhandled rejection" : "uncaught exception"}${whose}: ${describeError(u.error)}`, AUDIT_RULES.floatingPromise);
  }
  return findings;
}

/**
 * Resources with a place in the user's code; those created entirely inside Node or a library (the
 * interval an http server keeps) only when nothing else explains them.
 */
function placed(resources: readonly ResourceInfo[]): readonly ResourceInfo[] {
  const hasPlace = (r: ResourceInfo): boolean => where(r.stack) !== NO_PLACE;
  return resources.some(hasPlace) ? resources.filter(hasPlace) : resources;
}

/** "a server", "an interval (setInterval)". */
function withArticle(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind}`;
}

function describeLeftOpen(resource: ResourceInfo): [string, AuditRule] {
  if (resource.afterStop) {
    return [`left open: ${withArticle(resource.kind)}, created at ${where(resource.stack)} after it had stopped: work started outside scope.go still runs`, AUDIT_RULES.floatingPromise];
  }
  return [`left open: ${withArticle(resource.kind)}, created at ${where(resource.stack)}: no finalizer released it`, AUDIT_RULES.resourceNotReleased];
}

/** The runner stopped answering: its event loop is starved (code that spins without yielding). */
export function judgeStarved(phase: "start" | "stop", tasks: readonly TaskInfo[], silentMs: number, budgetMs: number, finalizer?: readonly string[]): Finding[] {
  const silent = `the event loop stopped turning (no answer for ${silentMs}ms`;
  if (phase === "start") {
    return [{ problem: `${silent} while it started): a synchronous loop in start waits for something only a callback could change`, rule: AUDIT_RULES.syncLoopWaitsForCallback }];
  }
  if (tasks.length === 0) {
    const which = finalizer !== undefined ? `the finalizer registered at ${where(finalizer)}` : "a finalizer";
    return [{ problem: `${silent} after the stop began, its stop timeout being ${describeBudget(budgetMs)}): ${which} loops without awaiting`, rule: AUDIT_RULES.syncLoopWaitsForCallback }];
  }
  return tasks.map((task) => ({
    problem: `${silent} after the stop began, its stop timeout being ${describeBudget(budgetMs)}): ${describeTask(task)} spins; a catch in its loop swallows the abort and retries at once`,
    rule: AUDIT_RULES.catchSwallowsAbort,
  }));
}

/** The message of a failed test: the service, then one line per finding with its rule. */
export function formatFindings(service: string, findings: readonly Finding[]): string {
  const lines = [`service "${service}": ${findings.length} problem${findings.length === 1 ? "" : "s"}`];
  // Under the first line, which test runners print indented by four.
  for (const f of findings) lines.push(`    - ${f.problem}${f.rule !== undefined ? `\n        audit rule: ${f.rule} (${AUDIT_CODES[f.rule]})` : ""}`);
  return lines.join("\n");
}
