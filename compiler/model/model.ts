// The checked, resolved application: what the spec means once defaults are applied, names are
// resolved to tree ids and orders are computed. compiler/model/resolve.ts builds it (only when the
// checks found no errors); compiler/emit/emit-model.ts turns it into template input.
//
// Provenance: the values are plain (timing and emit read them in loops over every node), and
// beside them each node keeps a `written` record of where the values a check reports on were
// written, undefined where a default applies. The model checks point at these spans and never
// go back to the syntax tree.
import type { Span } from "../diagnostics/span.ts";
import type { Platform, RestartPolicy, Strategy } from "../language/vocabulary.ts";

export type { Platform, RestartPolicy, Strategy };

/** A node id is the dotted path from the app, e.g. "db" or "workers.mailer". */
export type NodeId = string;

export interface ResolvedDep {
  /** The property name in `scope.deps`: the last segment of the reference as written. */
  readonly key: string;
  readonly target: NodeId;
  readonly span: Span;
}

/** A value as written in the spec: its text (`1m30s`, kept as the user wrote it) and where. */
export interface WrittenValue {
  readonly text: string;
  readonly span: Span;
}

/** Where a node's values were written; undefined where the default applies. */
export interface NodeWritten {
  /** The node's name where it is declared: what a report about a default points at. */
  readonly name: Span;
  readonly stopTimeout: WrittenValue | undefined;
}

export interface SupervisorWritten extends NodeWritten {
  /** The whole `intensity 3 per 10s` setting, and its count (`3`). */
  readonly intensity: { readonly span: Span; readonly max: Span } | undefined;
}

interface ResolvedNodeBase {
  readonly id: NodeId;
  readonly name: string;
  readonly written: NodeWritten;
  /** What this node declared with `needs`, in declaration order. */
  readonly needs: readonly ResolvedDep[];
  /** Ids (anywhere in the tree) that must have started before this node starts. */
  readonly startAfter: readonly NodeId[];
  /** Ids (anywhere in the tree) that must have stopped before this node starts stopping. */
  readonly stopAfter: readonly NodeId[];
  readonly stopTimeoutMs: number; // Infinity allowed
  readonly restart: RestartPolicy;
  /** `backoff`: for a service its own restart delay, for a supervisor its children's; none when not written. */
  readonly backoff: ResolvedBackoff | undefined;
}

export interface ResolvedBackoff {
  readonly minMs: number;
  readonly maxMs: number;
}

/** The program of an `exec` service, with its settings' defaults applied. */
export interface ResolvedExec {
  /** Split at compile time; no shell is involved. */
  readonly argv: readonly string[];
  /** Relative to the spec's directory, as written ("." by default). */
  readonly cwd: string;
  /** In declaration order. */
  readonly env: readonly (readonly [name: string, value: string])[];
  readonly stopSignal: string;
  readonly readyWhenStdout: string | undefined;
  /** `reload signal`: what the program gets on a reload instead of the app's reload signal. */
  readonly reloadSignal: string | undefined;
}

export interface ResolvedService extends ResolvedNodeBase {
  readonly kind: "service";
  /** The module path exactly as written in the spec (relative to the spec file); undefined for `exec`. */
  readonly module: string | undefined;
  /** The program, for a process service (`exec`); undefined for a module. Exactly one is set. */
  readonly exec: ResolvedExec | undefined;
  readonly startTimeoutMs: number;
  /** `replicas`: how many instances run (1 when not written). */
  readonly replicas: number;
  /**
   * What `scope.deps` holds: its own needs, then those of each enclosing supervisor, nearest
   * first (a supervisor's needs reach its children), each key once.
   */
  readonly deps: readonly ResolvedDep[];
}

export interface ResolvedSupervisor extends ResolvedNodeBase {
  readonly kind: "supervisor";
  readonly written: SupervisorWritten;
  readonly strategy: Strategy;
  readonly intensity: { readonly max: number; readonly periodMs: number };
  readonly children: readonly ResolvedNode[];
  /** Child names grouped in stop phases (explicit `shutdown` line, or derived from needs). */
  readonly shutdownPhases: readonly (readonly string[])[];
}

export type ResolvedNode = ResolvedService | ResolvedSupervisor;

export interface ResolvedDeploy {
  readonly platform: Platform;
  /** How long the platform waits after its stop signal before SIGKILL. */
  readonly killAfterMs: number;
}

/** Where the app's own values were written; undefined where the default applies. */
export interface AppWritten {
  /** For the default grace, reports point at the app's name instead (`root.written.name`). */
  readonly grace: WrittenValue | undefined;
  /** The platform's name in `deploy`, and its kill timeout unless the platform's default applies. */
  readonly deploy: { readonly platform: Span; readonly killAfter: WrittenValue | undefined } | undefined;
  readonly drain?: WrittenValue | undefined;
}

/** `health port 9464` (and `health host`): where the app answers /livez, /readyz and /startupz. */
export interface ResolvedHealth {
  readonly port: number;
  /** Undefined: every interface (Node.js's default for a server). */
  readonly host: string | undefined;
}

export interface ResolvedApp {
  readonly name: string;
  readonly graceMs: number;
  /** `drain`: from the first signal to the start of the ordered stop; 0 when not written. Part of the grace. */
  readonly drainMs: number;
  readonly health: ResolvedHealth | undefined;
  readonly signals: readonly string[];
  /** `reload SIGHUP`: the signal that reloads every service; undefined when not written. */
  readonly reloadSignal: string | undefined;
  readonly deploy?: ResolvedDeploy;
  readonly written: AppWritten;
  /** The app's own supervisor: id "", its strategy and intensity are the app's. */
  readonly root: ResolvedSupervisor;
}
