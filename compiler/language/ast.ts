// The syntax tree of a .sup spec, built from the chevrotain CST by compiler/syntax/ast-builder.ts.
// It is a faithful picture of what was written: settings keep their order and may repeat,
// names are not resolved yet, and every node keeps its source span so that any later phase
// can point at it. Meaning (defaults, resolution, placement rules) lives in compiler/model/resolve.ts.
import type { Span } from "../diagnostics/span.ts";

export interface Name {
  readonly text: string;
  readonly span: Span;
}

/** `db`, or a dotted path into a supervisor such as `workers.mailer`. */
export interface Ref {
  readonly parts: readonly Name[];
  readonly text: string;
  readonly span: Span;
}

/** `250ms`, `1m30s`, or `infinity` (ms = Infinity). */
export interface Duration {
  readonly ms: number;
  readonly text: string;
  readonly span: Span;
}

export interface IntegerLit {
  readonly value: number;
  readonly span: Span;
}

export interface StringLit {
  /** The decoded value (escapes applied). */
  readonly value: string;
  readonly span: Span;
}

/** `NAME "value"` in an `env` setting. */
export interface EnvVar {
  readonly name: Name;
  readonly value: StringLit;
  readonly span: Span;
}

/** One setting line inside a block. `keywordSpan` covers the leading keyword(s) only. */
export type Setting =
  | { readonly kind: "grace"; readonly span: Span; readonly keywordSpan: Span; readonly value: Duration }
  | { readonly kind: "signals"; readonly span: Span; readonly keywordSpan: Span; readonly signals: readonly Name[] }
  | { readonly kind: "strategy"; readonly span: Span; readonly keywordSpan: Span; readonly value: Name }
  | {
      readonly kind: "intensity";
      readonly span: Span;
      readonly keywordSpan: Span;
      readonly max: IntegerLit;
      readonly period: Duration;
    }
  | { readonly kind: "module"; readonly span: Span; readonly keywordSpan: Span; readonly path: StringLit }
  | { readonly kind: "start-timeout"; readonly span: Span; readonly keywordSpan: Span; readonly value: Duration }
  | { readonly kind: "stop-timeout"; readonly span: Span; readonly keywordSpan: Span; readonly value: Duration }
  | { readonly kind: "restart"; readonly span: Span; readonly keywordSpan: Span; readonly value: Name }
  | { readonly kind: "needs"; readonly span: Span; readonly keywordSpan: Span; readonly refs: readonly Ref[] }
  /** `deploy kubernetes` or `deploy kubernetes timeout 45s`: where the app runs, and its kill timeout. */
  | {
      readonly kind: "deploy";
      readonly span: Span;
      readonly keywordSpan: Span;
      readonly platform: Name;
      readonly timeout: Duration | undefined;
    }
  /** `exec "python3 worker.py"`: the service is an external program; split into argv by the compiler. */
  | { readonly kind: "exec"; readonly span: Span; readonly keywordSpan: Span; readonly command: StringLit }
  | { readonly kind: "stop-signal"; readonly span: Span; readonly keywordSpan: Span; readonly value: Name }
  /** `ready when stdout "listening"`: `source` is the stream, checked to be `stdout`. */
  | { readonly kind: "ready-when"; readonly span: Span; readonly keywordSpan: Span; readonly source: Name; readonly text: StringLit }
  | { readonly kind: "env"; readonly span: Span; readonly keywordSpan: Span; readonly vars: readonly EnvVar[] }
  | { readonly kind: "cwd"; readonly span: Span; readonly keywordSpan: Span; readonly path: StringLit }
  /** `after a, b`: start after them and stop before them, without using them or restarting with them. */
  | { readonly kind: "after"; readonly span: Span; readonly keywordSpan: Span; readonly refs: readonly Ref[] }
  /** `replicas 3`: the service runs as that many instances. */
  | { readonly kind: "replicas"; readonly span: Span; readonly keywordSpan: Span; readonly count: IntegerLit }
  /** `reload SIGHUP` (app): the signal that asks every service to reload. */
  | { readonly kind: "reload"; readonly span: Span; readonly keywordSpan: Span; readonly value: Name }
  /** `reload signal SIGUSR1` (exec service): what its program receives on a reload instead. */
  | { readonly kind: "reload-signal"; readonly span: Span; readonly keywordSpan: Span; readonly value: Name }
  /** `backoff 100ms..10s`: the restart delay grows from `min` to at most `max`. */
  | { readonly kind: "backoff"; readonly span: Span; readonly keywordSpan: Span; readonly min: Duration; readonly max: Duration }
  /** `health port 9464`: the port of the health endpoints (/livez, /readyz, /startupz). */
  | { readonly kind: "health-port"; readonly span: Span; readonly keywordSpan: Span; readonly port: IntegerLit }
  /** `health host 127.0.0.1` (or a name, or a quoted IPv6 address): the address the health endpoints listen on. */
  | { readonly kind: "health-host"; readonly span: Span; readonly keywordSpan: Span; readonly host: StringLit }
  /** `drain 5s`: after the first signal, readiness fails at once and the stop begins this much later. */
  | { readonly kind: "drain"; readonly span: Span; readonly keywordSpan: Span; readonly value: Duration };

export type SettingKind = Setting["kind"];

/** `shutdown a -> b, c -> d`: phases left to right, names inside a phase stop in parallel. */
export interface Shutdown {
  readonly kind: "shutdown";
  readonly span: Span;
  readonly keywordSpan: Span;
  readonly phases: readonly (readonly Ref[])[];
}

export type BlockKind = "app" | "supervisor" | "service";

/** app, supervisor and service share one shape; which settings are allowed where is a check. */
export interface Block {
  readonly kind: BlockKind;
  readonly name: Name;
  readonly span: Span;
  readonly keywordSpan: Span;
  readonly settings: readonly Setting[];
  readonly children: readonly Block[];
  readonly shutdowns: readonly Shutdown[];
}

export interface SpecFile {
  /** The path as the user gave it (used in diagnostics, never emitted into generated code). */
  readonly fileName: string;
  readonly source: string;
  /** Undefined only when the file is so broken that no `app` block could be recovered. */
  readonly app: Block | undefined;
}
