// The lifecycle log for machines (`--log-format json`): one JSON object per line, every event the
// engine emits (the text log leaves some out), each with the same core fields so that a log
// pipeline can index them: `time`, `level` ("info", "warn" or "error"), `app`, `event`, `service`
// and `path` (absent for the app itself), then what the event carries (`durationMs`, `reason`, `error`, ...). Errors become
// their one-line text plus `stack`; reasons keep their `kind` and fields.
import { formatError } from "./describe.ts";
import type { RuntimeEvent, ShutdownReport } from "../api/events.ts";
import type { LifecycleLog } from "./log.ts";
import type { AppPlan } from "../api/plan.ts";
import { formatPath } from "./report-text.ts";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Keys whose values are errors (one line of text, with the stack next to it). */
const ERROR_KEYS = new Set(["error"]);

function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  // Durations come from performance.now(): microseconds are plenty, float noise is not wanted.
  if (typeof value === "number") return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Error) return formatError(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    // Keys can be service ids: a null prototype makes `__proto__` an entry like any other.
    const out: { [key: string]: Json } = Object.create(null) as { [key: string]: Json };
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[key] = ERROR_KEYS.has(key) ? formatError(v) : toJson(v);
    }
    return out;
  }
  return String(value);
}

export type Level = "info" | "warn" | "error";

/** Records that say something went wrong; "warn" for what may be fine (a restart, a leak warning). */
const ERROR_EVENTS: ReadonlySet<string> = new Set(["start-failed", "crashed", "abandoned", "gave-up", "fatal", "error", "leak"]);
const WARN_EVENTS: ReadonlySet<string> = new Set(["restarting", "not-restarted", "left-open"]);

/** A record's level, from its event and, for some, what it carries. */
export function findLevel(event: string, fields: Readonly<Record<string, unknown>>): Level {
  if (ERROR_EVENTS.has(event)) return "error";
  if (WARN_EVENTS.has(event)) return "warn";
  switch (event) {
    case "blocked":
      return fields.verdict === "warning" ? "warn" : "error";
    case "stopped":
      return Array.isArray(fields.errors) && fields.errors.length > 0 ? "warn" : "info";
    case "exit":
      return fields.code === 0 ? "info" : "error";
    case "summary":
      return fields.exitCode === 0 ? "info" : "error";
    default:
      return "info";
  }
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

/** A lifecycle log writing one JSON object per line; `now` gives the wall-clock time of each line. */
export function createJsonLog(plan: AppPlan, write: (line: string) => void, now: () => number = Date.now): LifecycleLog {
  const app = plan.name;
  const emit = (event: string, id: string | undefined, fields: Record<string, unknown>): void => {
    const record: { [key: string]: Json } = { time: new Date(now()).toISOString(), level: findLevel(event, fields), app, event };
    if (id !== undefined && id !== "") record.service = id;
    if (id !== undefined) record.path = formatPath(app, id);
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (ERROR_KEYS.has(key)) {
        record[key] = formatError(value);
        const stack = stackOf(value);
        if (stack !== undefined) record.stack = stack;
      } else record[key] = key === "errors" ? (value as unknown[]).map((e) => formatError(e)) : toJson(value);
    }
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch (error) {
      // A cyclic or hostile value must not cost the log line: keep the core fields.
      line = JSON.stringify({ time: record.time, level: record.level, app, event, service: record.service, unserializable: formatError(error) });
    }
    write(line);
  };

  return {
    event: (e: RuntimeEvent) => {
      const { type, id, at: _at, ...fields } = e;
      emit(type, id, type === "exit" ? { code: e.code, reason: e.cause } : fields);
    },
    service: (id, message) => emit("log", id, { message }),
    lateErrors: (id, errors, when) => {
      for (const error of errors) emit("error", id, { when, error });
    },
    fatal: (error, origin) => emit("fatal", undefined, { origin, error }),
    summary: (report) => writeSummary(report, emit),
  };
}

function writeSummary(report: ShutdownReport, emit: (event: string, id: string | undefined, fields: Record<string, unknown>) => void): void {
  for (const node of report.nodes) {
    if (node.kind !== "service" || node.state !== "abandoned") continue;
    const { budget, budgetMs, pendingTasks, pendingFinalizers } = node;
    emit("leak", node.id, { budget, budgetMs, pendingTasks, pendingFinalizers });
  }
  if (report.leftOpen !== undefined && Object.keys(report.leftOpen).length > 0) emit("left-open", undefined, { resources: report.leftOpen });
  emit("summary", undefined, {
    exitCode: report.exitCode,
    durationMs: report.durationMs,
    reason: report.cause,
    forcedBy: report.forcedBy,
    stopped: report.stopped.length,
    abandoned: report.abandoned,
    failed: report.failed,
    running: report.running,
    neverStarted: report.neverStarted,
    restarts: Object.fromEntries(report.nodes.filter((n) => n.kind === "service" && n.restarts > 0).map((n) => [n.id, n.restarts])),
    ...(report.readiness !== undefined ? { readiness: report.readiness } : {}),
  });
}
