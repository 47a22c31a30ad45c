// A systemd unit against the spec: TimeoutStopSec (or TimeoutSec; 90 s by default) must hold the
// grace, KillSignal must be one the app handles, ExecStart must start node rather than npm, and
// with programs (`exec` services) KillMode must not signal them all at once (the default,
// control-group, does: their stop order is lost).
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import type { Span } from "../diagnostics/span.ts";
import { formatDuration } from "../language/literals.ts";
import { nodeTable } from "../model/node-table.ts";
import type { DriftContext } from "./drift.ts";
import { findPackageManager, namePackageManager } from "./entrypoint.ts";
import { parseSystemdTimeSpan } from "./time-spans.ts";
import { DEFAULT_MAIN } from "./deploy-options.ts";

export interface UnitEntry {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** The value's place in the file. */
  readonly span: Span;
}

export interface ParsedUnit {
  readonly entries: readonly UnitEntry[];
  /** Each section's header line, by name (the first, if repeated). */
  readonly sections: ReadonlyMap<string, Span>;
}

/** Sections, `Key=Value` lines, comments (`#`, `;`) and backslash continuations, with offsets. */
export function parseUnit(text: string): ParsedUnit {
  const entries: UnitEntry[] = [];
  const sections = new Map<string, Span>();
  let section = "";
  let offset = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = offset;
    let line = lines[i]!;
    offset += line.length + 1;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header !== null) {
      section = header[1]!;
      if (!sections.has(section)) sections.set(section, { start: start + line.indexOf("["), end: start + line.indexOf("]") + 1 });
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const valueStart = start + eq + 1 + (line.slice(eq + 1).length - line.slice(eq + 1).trimStart().length);
    let value = line.slice(eq + 1).trim();
    let end = start + line.trimEnd().length;
    while (value.endsWith("\\") && i + 1 < lines.length) {
      line = lines[++i]!;
      value = `${value.slice(0, -1)} ${line.trim()}`;
      end = offset + line.trimEnd().length;
      offset += line.length + 1;
    }
    entries.push({ section, key, value, span: { start: valueStart, end: Math.max(end, valueStart + 1) } });
  }
  return { entries, sections };
}

/** The last assignment wins in systemd; an empty one resets to the default. */
function lastValue(unit: ParsedUnit, key: string): UnitEntry | undefined {
  const found = unit.entries.filter((e) => e.section === "Service" && e.key === key).pop();
  return found === undefined || found.value === "" ? undefined : found;
}

/** ExecStart's program and arguments: prefixes (`-`, `@`, `+`, `!`) dropped, quotes honoured. */
function splitExecStart(value: string): string[] {
  const words = [...value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  if (words.length > 0) words[0] = words[0]!.replace(/^[-@+!:|]+/, "");
  return words;
}

export function checkSystemdUnit(ctx: DriftContext): void {
  const unit = parseUnit(ctx.text);
  const service = unit.sections.get("Service");
  if (service === undefined) {
    ctx.report(M.nothingToCheck, { start: 0, end: Math.max(1, ctx.text.indexOf("\n")) }, [undefined]);
    return;
  }
  const timeout = lastValue(unit, "TimeoutStopSec") ?? lastValue(unit, "TimeoutSec");
  const waitMs = timeout !== undefined ? parseSystemdTimeSpan(timeout.value) : ctx.platform.killAfterMs;
  if (waitMs !== undefined && waitMs < ctx.settings.neededWaitMs) {
    ctx.report(
      M.waitShorterThanShutdown,
      timeout?.span ?? service,
      [timeout?.key ?? "TimeoutStopSec", timeout !== undefined ? timeout.value : `${formatDuration(waitMs)} (the default)`, formatDuration(ctx.settings.neededWaitMs), ctx.describeNeededWait()],
      { related: ctx.graceNote(), hint: H.raisePlatformWait("TimeoutStopSec", `${Math.ceil(ctx.settings.neededWaitMs / 1000)}s`) },
    );
  }
  const signal = lastValue(unit, "KillSignal");
  if (signal !== undefined) {
    const name = /^[0-9]+$/.test(signal.value) ? signal.value : signal.value.startsWith("SIG") ? signal.value : `SIG${signal.value}`;
    if (!ctx.app.signals.includes(name)) {
      ctx.report(M.stopSignalUnhandled, signal.span, ["KillSignal", name, [...ctx.app.signals]], { hint: H.sendHandledSignal("KillSignal", ctx.settings.stopSignal) });
    }
  }
  const exec = lastValue(unit, "ExecStart");
  if (exec !== undefined) {
    const argv = splitExecStart(exec.value);
    const at = findPackageManager(argv);
    if (at >= 0) ctx.report(M.packageManagerEntrypoint, exec.span, [namePackageManager(argv, at)], { hint: H.runNodeDirectly(DEFAULT_MAIN) });
  }
  const runsPrograms = nodeTable(ctx.app).nodes.some((n) => n.kind === "service" && n.exec !== undefined);
  const killMode = lastValue(unit, "KillMode");
  const mode = killMode?.value ?? "control-group";
  if (runsPrograms && mode === "control-group") {
    ctx.report(M.killModeSignalsEveryProgram, killMode?.span ?? service, [killMode !== undefined ? mode : `${mode} (the default)`], { hint: H.useKillModeMixed() });
  }
}
