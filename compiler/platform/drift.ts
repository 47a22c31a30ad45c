// `supervise check SPEC --against FILE...`: what an existing deployment file says against the
// spec, each contradiction a diagnostic located in that file. The file's kind is read off its
// content: a systemd unit (sections in brackets), else YAML holding Kubernetes objects (any
// number of documents, as `helm template` prints them) or a compose file (`services:`).
import type { Diagnostic, Related } from "../diagnostics/diagnostic.ts";
import { createDiagnostic, M, type Args, type DiagnosticExtras, type MessageDef } from "../diagnostics/catalogue.ts";
import { N } from "../diagnostics/notes.ts";
import type { Span } from "../diagnostics/span.ts";
import type { ResolvedApp } from "../model/model.ts";
import { formatDuration } from "../language/literals.ts";
import { derivePlatformSettings, type PlatformSettings } from "./platform-settings.ts";
import { checkKubernetesDocuments } from "./drift-kubernetes.ts";
import { checkComposeFile } from "./drift-compose.ts";
import { checkSystemdUnit } from "./drift-systemd.ts";
import { parseYamlDocuments } from "./yaml-nodes.ts";
import { toKubernetesName } from "./emit-kubernetes.ts";
import { findPlatform, type PlatformInfo } from "../model/platforms.ts";
import { COMPOSE, KUBERNETES, SYSTEMD, type Platform } from "../language/vocabulary.ts";

/** What every platform's check needs: the spec's figures, the file, and where to report. */
export class DriftContext {
  readonly diagnostics: Diagnostic[] = [];
  /** The settings for this platform (the wait, probes and start figures). */
  readonly settings: PlatformSettings;

  constructor(
    readonly app: ResolvedApp,
    platform: Platform,
    readonly specFile: string,
    readonly file: string,
    readonly text: string,
    /** Which workload, container or service runs the app; by default those named like it. */
    readonly target: string | undefined,
  ) {
    this.settings = derivePlatformSettings(app, platform);
    this.platform = findPlatform(platform)!;
  }

  /** The platform's facts: its default wait and signal. */
  readonly platform: PlatformInfo;

  report<D extends MessageDef<readonly any[]>>(def: D, span: Span, args: Args<D>, extras: DiagnosticExtras = {}): void {
    this.diagnostics.push(createDiagnostic(def, this.file, span, args, extras));
  }

  /** Where the spec sets its grace (or its drain), shown under a report about the platform's wait. */
  graceNote(): Related[] {
    const grace = this.app.written.grace;
    return grace !== undefined ? [{ message: N.graceSetHere(), span: grace.span, fileName: this.specFile }] : [];
  }

  /** "grace 30s + 1s to exit", with the drain when there is one. */
  describeNeededWait(): string {
    const { graceMs, drainMs } = this.settings;
    const drain = drainMs > 0 ? `, of which drain ${formatDuration(drainMs)}` : "";
    return `grace ${formatDuration(graceMs)}${drain}, + 1s to exit`;
  }

  /** Whether a name (workload, container, compose service) is the app's. */
  isAppName(name: string): boolean {
    const wanted = this.target ?? toKubernetesName(this.app.name);
    const lower = name.toLowerCase();
    return lower === wanted || lower.startsWith(`${wanted}-`) || lower.endsWith(`-${wanted}`);
  }
}

const UNIT_SECTION = /^\s*\[[A-Za-z][A-Za-z0-9-]*\]\s*$/;

function isSystemdUnit(file: string, text: string): boolean {
  if (/\.(service|socket|target|timer)$/.test(file)) return true;
  const first = text.split("\n").find((line) => line.trim() !== "" && !/^\s*[#;]/.test(line));
  return first !== undefined && UNIT_SECTION.test(first);
}

/** Every contradiction in the file, in the file's order. */
export function checkDeploymentFile(app: ResolvedApp, specFile: string, file: string, text: string, target?: string): Diagnostic[] {
  return readDeploymentFile(app, specFile, file, text, target).sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
}

function readDeploymentFile(app: ResolvedApp, specFile: string, file: string, text: string, target: string | undefined): Diagnostic[] {
  if (isSystemdUnit(file, text)) {
    const ctx = new DriftContext(app, SYSTEMD, specFile, file, text, target);
    checkSystemdUnit(ctx);
    return ctx.diagnostics;
  }
  const docs = parseYamlDocuments(text);
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) {
    const ctx = new DriftContext(app, KUBERNETES, specFile, file, text, target);
    for (const error of errors) ctx.report(M.unreadableManifest, { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) }, [error.message.split("\n")[0]!]);
    return ctx.diagnostics;
  }
  const isCompose = docs.length === 1 && docs[0]!.get("services") !== undefined && docs[0]!.get("kind") === undefined;
  const ctx = new DriftContext(app, isCompose ? COMPOSE : KUBERNETES, specFile, file, text, target);
  const found = isCompose ? checkComposeFile(ctx, docs[0]!) : checkKubernetesDocuments(ctx, docs);
  if (!found) ctx.report(M.nothingToCheck, { start: 0, end: Math.max(1, Math.min(text.indexOf("\n") >>> 0, text.length)) }, [target]);
  return ctx.diagnostics;
}
