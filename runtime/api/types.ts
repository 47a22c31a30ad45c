// Public types of the runtime that generated code and service modules see. Kept apart from the
// implementation so that generated `types.ts` files depend on a small, stable surface.

/** Why a scope was cancelled. Switch on `kind`; every case carries what a log line needs. */
export type ShutdownReason =
  | { readonly kind: "signal"; readonly signal: string }
  | { readonly kind: "parent"; readonly path: string }
  | { readonly kind: "sibling-failed"; readonly service: string; readonly error: unknown }
  | { readonly kind: "timeout"; readonly service: string; readonly budgetMs: number }
  | { readonly kind: "restart-limit"; readonly supervisor: string }
  | { readonly kind: "start-failed"; readonly service: string; readonly error: unknown };

/** An AbortSignal whose `reason` is typed: undefined until aborted. */
export type ShutdownSignal = AbortSignal & { readonly reason: ShutdownReason | undefined };

export type Finalizer = () => void | Promise<void>;

/** What a service's `start(scope)` receives. `Deps` lists exactly the handles it declared. */
export interface ServiceScope<Deps extends object = {}> {
  /** Dotted id in the tree, e.g. "workers.mailer". */
  readonly id: string;
  readonly name: string;
  /** Which instance this is, from 0, for a service with `replicas`; 0 otherwise. */
  readonly replica: number;
  readonly deps: Readonly<Deps>;
  /** Aborted when the service must stop; `signal.reason` says why. */
  readonly signal: ShutdownSignal;
  /** Runs on stop in reverse order of registration, always, even after a throw. */
  defer(fn: Finalizer): void;
  /** Runs a task the service owns: stop waits for it; a rejection is a crash of the service. */
  go(name: string, fn: (signal: ShutdownSignal) => unknown): void;
  /** Waits on the runtime's clock (virtual in tests); resolves early when the scope is cancelled. */
  sleep(ms: number): Promise<void>;
  /** A lifecycle-log line attributed to this service. */
  log(message: string): void;
  /**
   * A scope for one unit of work (a request, a job): cancelled with the service, closed by you
   * (`await child.close()`). Closed children leave nothing behind, however many there were.
   */
  child(name: string): ChildScope;
}

/** A scope created with `scope.child(name)`; children nest, and cancellation reaches them all. */
export interface ChildScope {
  /** The owner's id plus "/name" segments, e.g. "api/request". */
  readonly id: string;
  readonly signal: ShutdownSignal;
  /** Cancels this scope and everything under it; the first reason wins. */
  cancel(reason: ShutdownReason): void;
  defer(fn: Finalizer): void;
  go(name: string, fn: (signal: ShutdownSignal) => unknown): void;
  sleep(ms: number): Promise<void>;
  child(name: string): ChildScope;
  /**
   * Cancels (reason `{ kind: "parent" }` if it was not cancelled yet), waits for its tasks and
   * children, runs its finalizers in reverse; rejects with an AggregateError listing every error.
   */
  close(): Promise<void>;
}

/**
 * A service's reload, called when the app's reload signal arrives, with the scope its start
 * received and the handle it returned: a module's optional `reload(scope)` export, or a process
 * service's (which signals its program). It may return a promise; the start timeout bounds it.
 */
export type ReloadFn = (scope: ServiceScope<any>, handle: unknown) => unknown;

/** The start function of a service module: returns the handle its dependents receive. */
export type StartFn<Deps extends object, Handle> = (scope: ServiceScope<Deps>) => Handle | Promise<Handle>;

export interface Timer {
  readonly id: number;
}

/** Every timer the runtime uses goes through a Clock, so tests can run on virtual time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}
