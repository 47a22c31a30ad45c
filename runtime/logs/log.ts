// The lifecycle output a person reads on stderr: one line per thing that happened, prefixed with
// the app's name, and a summary at exit. All wording lives here; the engine only emits events.
import type { ReadinessReport, RuntimeEvent, ShutdownReport } from "../api/events.ts";
import type { AppPlan, NodePlan, SupervisorPlan } from "../api/plan.ts";
import { describeReason, findServiceFrames, formatDuration, formatError } from "./describe.ts";
import { formatLeakReport, formatSummaryTable, summarize } from "./report-text.ts";

export { describeReason, formatDuration, formatError } from "./describe.ts";
export { summarize } from "./report-text.ts";

export interface LifecycleLog {
  event(event: RuntimeEvent): void;
  /** A line from `scope.log()`. */
  service(id: string, message: string): void;
  lateErrors(id: string, errors: readonly unknown[], when: string): void;
  fatal(error: unknown, origin: string): void;
  summary(report: ShutdownReport): void;
}

function describePending(tasks: readonly string[], finalizers: number): string {
  const parts: string[] = [];
  if (tasks.length > 0) parts.push(`still running: ${tasks.join(", ")}`);
  if (finalizers > 0) parts.push(`${finalizers} finalizer(s) not run`);
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}

/** Whose budget ran out, and what was still running. */
function describeAbandoned(e: Extract<RuntimeEvent, { type: "abandoned" }>): string {
  const pending = describePending(e.pendingTasks, e.pendingFinalizers);
  const budget = formatDuration(e.budgetMs);
  switch (e.budget.kind) {
    case "grace":
      return e.id === "" ? `grace period of ${budget} expired${pending}` : `${e.id} abandoned: grace period of ${budget} expired${pending}`;
    case "stop-timeout":
      return `${e.id} abandoned after ${budget} stop timeout${pending}`;
    case "supervisor-stop-timeout": {
      const { supervisor } = e.budget;
      if (supervisor === e.id) return `${e.id === "" ? "the app" : `supervisor ${e.id}`} did not stop within its ${budget} stop timeout${pending}`;
      const owner = supervisor === "" ? "the app's" : `supervisor ${supervisor}`;
      return `${e.id} abandoned: ${owner} stop timeout of ${budget} expired${pending}`;
    }
    default: {
      // A new kind of budget must be worded above; compile-time only, as for events.
      const unhandled: never = e.budget;
      void unhandled;
      return `${e.id} abandoned${pending}`;
    }
  }
}

/** What the watchdog saw: who blocked the event loop, for how long, and what it did about it. */
function describeBlocked(e: Extract<RuntimeEvent, { type: "blocked" }>): string {
  const who = e.id !== "" ? e.id : e.busy.length > 0 ? `service code (running: ${e.busy.join(", ")})` : e.stack.length > 0 ? "code outside any service" : undefined;
  const duration = formatDuration(e.blockedMs);
  const blocked = who === undefined ? `the event loop was blocked for ${duration}` : `${who} blocked the event loop for ${duration}`;
  const budget = e.budgetMs === undefined ? "" : formatDuration(e.budgetMs);
  switch (e.verdict) {
    case "warning":
      return `warning: ${blocked}`;
    case "grace":
      return `${blocked}${e.signal === undefined ? "" : ` after ${e.signal}`}: the grace period of ${budget} expired, exiting (watchdog)`;
    case "start":
      return `${blocked} while starting, longer than any start timeout (${budget}): exiting (watchdog)`;
    case "forced":
      return `received ${e.signal ?? "a signal"} while ${blocked}: exiting now (watchdog)`;
    default: {
      const unhandled: never = e.verdict;
      return `${blocked} (${String(unhandled)})`;
    }
  }
}

/** Every node by id, and the number of services (the plan is walked once, iteratively). */
function indexPlanNodes(plan: AppPlan): { nodes: Map<string, NodePlan>; services: number } {
  const nodes = new Map<string, NodePlan>();
  let services = 0;
  const stack: NodePlan[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.set(node.id, node);
    // A service with replicas runs as `<id>#0`, `<id>#1`, ...: each instance is a service of the log.
    const replicas = node.kind === "service" && typeof node.replicas === "number" && node.replicas > 1 ? node.replicas : 1;
    if (replicas > 1) for (let r = 0; r < replicas; r++) nodes.set(`${node.id}#${r}`, node);
    if (node.kind === "service") services += replicas;
    else for (const child of node.children) stack.push(child);
  }
  return { nodes, services };
}

/** "readiness: ready at 1.2s, not ready from 5s, drained 5s before the stop". */
function describeReadiness(r: ReadinessReport): string {
  const parts = [r.readyAtMs !== undefined ? `ready at ${formatDuration(r.readyAtMs)}` : "never ready"];
  if (r.notReadyAtMs !== undefined) parts.push(`not ready from ${formatDuration(r.notReadyAtMs)}`);
  if (r.drainedMs !== undefined) parts.push(`drained ${formatDuration(r.drainedMs)} before the stop`);
  return `readiness: ${parts.join(", ")}`;
}

export function createTextLog(plan: AppPlan, write: (line: string) => void): LifecycleLog {
  const prefix = `[${plan.name}] `;
  const say = (line: string): void => write(prefix + line);
  const { nodes, services } = indexPlanNodes(plan);
  let stopping = false;
  /** Set by a drain: the stop that follows says how much of the grace is left. */
  let drainedAt: number | undefined;
  /** The frames of an error nobody caught, one per line, under the line that named it. */
  const sayStack = (error: unknown): void => {
    if (!(error instanceof Error) || error.stack === undefined) return;
    for (const line of error.stack.split("\n").slice(1)) say(`  ${line.trim()}`);
  };

  const onEvent = (e: RuntimeEvent): void => {
    switch (e.type) {
      case "starting":
        if (e.id === "") say(`starting ${services} service${services === 1 ? "" : "s"}`);
        return;
      case "started":
        if (e.id === "") say(`all ${services} service${services === 1 ? "" : "s"} started in ${formatDuration(e.durationMs)}`);
        else if (nodes.get(e.id)?.kind === "service") say(`${e.id} started in ${formatDuration(e.durationMs)}`);
        return;
      case "start-failed": {
        const node = nodes.get(e.id);
        const budget = node?.kind === "service" ? formatDuration(node.startTimeoutMs) : "?";
        say(e.timedOut ? `${e.id} did not start within ${budget} (start timeout)` : `${e.id} failed to start: ${formatError(e.error)}`);
        // Where in the service's code it failed (the JSON log has the whole stack).
        if (!e.timedOut) for (const frame of findServiceFrames(e.error)) say(`  at ${frame}`);
        return;
      }
      case "signal":
        if (stopping) say(`received ${e.signal} while stopping: exiting now`);
        return;
      case "stopping":
        if (e.id === "") {
          stopping = true;
          if (drainedAt === undefined) say(`${describeReason(e.reason)}: stopping (grace ${formatDuration(plan.graceMs)})`);
          else say(`drained for ${formatDuration(e.at - drainedAt)}: stopping (${formatDuration(plan.graceMs - (e.at - drainedAt))} of the ${formatDuration(plan.graceMs)} grace left)`);
        }
        return;
      case "stopped":
        if (nodes.get(e.id)?.kind !== "service") return;
        say(`${e.id} stopped in ${formatDuration(e.durationMs)}${e.errors.length > 0 ? ` with ${e.errors.length} error(s)` : ""}`);
        for (const error of e.errors) say(`  ${formatError(error)}`);
        return;
      case "abandoned":
        say(describeAbandoned(e));
        return;
      case "crashed":
        say(`${e.id} crashed: ${formatError(e.error)}${e.origin !== undefined ? ` (${e.origin})` : e.task === "" ? "" : ` (task ${e.task})`}`);
        if (e.origin !== undefined) sayStack(e.error);
        return;
      case "ended":
        say(`${e.id} ended: task ${e.task} returned`);
        return;
      case "restarting": {
        const sup = nodes.get(e.supervisor) as SupervisorPlan | undefined;
        const how = `${sup?.strategy ?? "?"} in ${e.supervisor === "" ? "the app" : `supervisor ${e.supervisor}`}`;
        const when = e.delayMs > 0 ? ` in ${formatDuration(e.delayMs)}` : "";
        say(e.willStart ? `restarting ${e.id}${when} (${e.cause} ended; ${how})` : `stopping ${e.id} (${e.cause} ended; temporary, not restarted)`);
        return;
      }
      case "not-restarted":
        say(`${e.id} stays down (restart ${e.policy})`);
        return;
      case "gave-up":
        say(`${e.id === "" ? "the app" : `supervisor ${e.id}`} gave up: more than ${e.restarts} restart(s) in ${formatDuration(e.periodMs)}`);
        return;
      case "blocked":
        say(describeBlocked(e));
        for (const frame of e.stack) say(`  at ${frame}`);
        return;
      case "exit":
        return;
      case "reload-requested":
        say(`received ${e.signal}: reloading`);
        return;
      case "reloading":
        return;
      case "reloaded":
        say(`${e.id} reloaded in ${formatDuration(e.durationMs)}`);
        return;
      case "reload-failed": {
        const node = nodes.get(e.id);
        const budget = node?.kind === "service" ? formatDuration(node.startTimeoutMs) : "?";
        say(e.timedOut ? `${e.id} did not reload within ${budget} (start timeout); still running` : `${e.id} failed to reload: ${formatError(e.error)}; still running`);
        if (!e.timedOut) sayStack(e.error);
        return;
      }
      case "reload-finished":
        say(`reload done in ${formatDuration(e.durationMs)}: ${e.reloaded} reloaded${e.failed > 0 ? `, ${e.failed} failed` : ""}`);
        return;
      case "readiness":
        // Only a plan with health endpoints has a /readyz to name; a drain alone still reports readiness.
        if (e.ready) say(`ready${plan.health !== undefined ? ": /readyz answers 200" : ""}`);
        else say(`not ready${plan.health !== undefined ? ": /readyz answers 503" : ""} (${e.cause === "signal" ? "a signal came" : "stopping"})`);
        return;
      case "draining":
        stopping = true;
        drainedAt = e.at;
        say(`received ${e.signal}: draining for ${formatDuration(e.drainMs)} before stopping (services keep running)`);
        return;
      default: {
        // A new kind of event must be worded above. Checked when compiling only: the log must
        // not throw in the middle of a shutdown.
        const unhandled: never = e;
        void unhandled;
        return;
      }
    }
  };

  return {
    event: onEvent,
    service: (id, message) => say(`${id}: ${message}`),
    lateErrors: (id, errors, when) => {
      for (const error of errors) say(`${id}: error ${when}: ${formatError(error)}`);
    },
    fatal: (error, origin) => {
      say(`${origin}: ${formatError(error)}`);
      sayStack(error);
    },
    summary: (report) => {
      for (const line of formatSummaryTable(report)) say(line);
      for (const line of formatLeakReport(report)) say(line);
      if (report.readiness !== undefined) say(describeReadiness(report.readiness));
      say(summarize(report));
    },
  };
}
