// One incarnation of a service: its scope, its start (bounded by the start timeout), its stop
// (cancel, wait for its tasks, run its finalizers) and its abandonment. A restart makes a new
// instance; an old one that was abandoned finishes (or not) in the background, never twice.
import type { Budget, EventInput, PendingTask } from "./events.ts";
import type { NodeRt } from "./plan-index.ts";
import { Scope } from "./scope.ts";
import type { Clock, ServiceScope, ShutdownReason } from "./types.ts";

/** What an instance needs from the engine that runs it. */
export interface InstanceOwner {
  readonly clock: Clock;
  emit(event: EventInput): void;
  /** A timer the engine clears when the run ends; returns its cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /** The frozen deps object for a start; throws when a needed node is not running. */
  buildDeps(node: NodeRt): Readonly<Record<string, unknown>>;
  writeServiceLog(id: string, message: string): void;
  /** A running service ended: a task rejected (failure) or a permanent service's task returned. */
  serviceEnded(instance: ServiceInstance, failure: boolean, error: unknown): void;
  /** Something went wrong (an error while stopping, an abandonment): exit 1 if shutting down. */
  noteProblem(node: NodeRt): void;
  /** Errors that surface after the node was reported on (abandoned, or closed): kept and logged. */
  noteLateErrors(node: NodeRt, errors: readonly unknown[], when: string): void;
  /** A bug in the runtime itself: reported, and the app is shut down. */
  internalError(error: unknown): void;
}

export type StartOutcome =
  | { readonly kind: "started" }
  | { readonly kind: "failed"; readonly error: unknown; readonly reason: ShutdownReason }
  /** The scope was cancelled (shutdown) before the start completed: not a failure. */
  | { readonly kind: "cancelled" };

export interface Abandonment {
  readonly budgetMs: number;
  readonly budget: Budget;
  /** Given to the service if it had not been asked to stop yet. */
  readonly reason: ShutdownReason;
}

type Settled = { ok: true; handle: unknown } | { ok: false; error: unknown; timedOut: boolean };

export class ServiceInstance {
  readonly scope: Scope;
  handle: unknown;
  phase: "starting" | "running" | "stopping" | "done" = "starting";
  failed = false;
  abandoned: { readonly budgetMs: number; readonly pendingTasks: readonly PendingTask[]; readonly pendingFinalizers: number } | undefined;
  stopReason: ShutdownReason | undefined;
  isFinished = false;
  /** Resolves once stopped, or abandoned (whichever comes first). */
  readonly finished: Promise<void>;
  #resolveFinished!: () => void;
  /** Resolves when the start settled: returned, threw, timed out, or failed through a task. */
  readonly #startDone: Promise<void>;
  #resolveStartDone!: () => void;
  #startFnPending = true;
  #failStart: ((error: unknown) => void) | undefined;
  #endedDuringStart = false;
  #stopRequested = false;
  #stopBeganAt = 0;

  constructor(
    readonly owner: InstanceOwner,
    readonly node: NodeRt,
  ) {
    this.finished = new Promise((resolve) => (this.#resolveFinished = resolve));
    this.#startDone = new Promise((resolve) => (this.#resolveStartDone = resolve));
    this.scope = Scope.createRoot(node.id, {
      clock: owner.clock,
      taskFailed: (_scope, task, error) => this.#onTaskFailed(task, error),
      taskReturned: (scope, task) => scope === this.scope && this.#onTaskReturned(task),
      lateError: (_scope, error) => owner.noteLateErrors(node, [error], "from a finalizer registered after it stopped"),
    });
  }

  /** Running and not asked to stop: its handle may be given to a dependent. */
  get isUp(): boolean {
    return this.phase === "running" && !this.scope.cancelled;
  }

  start(): Promise<StartOutcome> {
    const { owner, node } = this;
    const timeoutMs = node.service.startTimeoutMs;
    owner.emit({ type: "starting", id: node.id });
    const began = owner.clock.now();
    return new Promise((resolve) => {
      let settled = false;
      let clearTimer = (): void => {};
      const settle = (result: Settled): void => {
        if (settled) return;
        settled = true;
        clearTimer();
        this.#failStart = undefined;
        this.#resolveStartDone();
        resolve(this.#finishStart(result, began));
      };
      this.#failStart = (error) => settle({ ok: false, error, timedOut: false });
      if (timeoutMs !== Infinity) clearTimer = owner.setTimer(timeoutMs, () => settle({ ok: false, error: undefined, timedOut: true }));
      let result: unknown;
      try {
        result = node.startFn!(this.#createServiceScope(owner.buildDeps(node)));
      } catch (error) {
        this.#startFnPending = false;
        settle({ ok: false, error, timedOut: false });
        return;
      }
      Promise.resolve(result).then(
        (handle) => ((this.#startFnPending = false), settle({ ok: true, handle })),
        (error: unknown) => ((this.#startFnPending = false), settle({ ok: false, error, timedOut: false })),
      );
    });
  }

  /** Cancel with `reason` (unless already cancelled), wait for the start, the tasks, the finalizers. Once. */
  stop(reason: ShutdownReason): void {
    if (this.#stopRequested || this.isFinished) return;
    this.#stopRequested = true;
    this.#runStop(reason).catch((error: unknown) => this.owner.internalError(error));
  }

  /** Stop waiting for it: tell it to stop if it was not told yet, report what it still runs. */
  abandon(abandonment: Abandonment): void {
    if (this.isFinished) return;
    this.stop(abandonment.reason);
    const pendingTasks = this.scope.pendingTasks();
    if (this.#startFnPending) pendingTasks.unshift({ name: "start", scope: this.node.id, startedAt: undefined });
    const pendingFinalizers = this.scope.pendingFinalizers();
    this.abandoned = { budgetMs: abandonment.budgetMs, pendingTasks, pendingFinalizers };
    this.node.stopMs = this.owner.clock.now() - this.#stopBeganAt;
    this.owner.emit({
      type: "abandoned",
      id: this.node.id,
      budgetMs: abandonment.budgetMs,
      budget: abandonment.budget,
      pendingTasks: pendingTasks.map((t) => t.name),
      pendingFinalizers,
    });
    this.owner.noteProblem(this.node);
    this.#finish();
  }

  async #runStop(reason: ShutdownReason): Promise<void> {
    const { owner, node } = this;
    this.scope.cancel(reason);
    this.stopReason = this.scope.reason;
    this.#stopBeganAt = owner.clock.now();
    if (this.phase === "running") this.phase = "stopping";
    owner.emit({ type: "stopping", id: node.id, reason: this.scope.reason! });
    // A start still in progress owns resources it has not registered yet: let it settle first
    // (it was cancelled, and its start timeout still bounds it).
    await this.#startDone;
    const errors = await this.scope.closeAndCollect();
    this.phase = "done";
    if (this.abandoned !== undefined) {
      if (errors.length > 0) owner.noteLateErrors(node, errors, "after it was abandoned");
      return;
    }
    if (errors.length > 0) {
      node.recordErrors(errors);
      owner.noteProblem(node);
    }
    node.stopMs = owner.clock.now() - this.#stopBeganAt;
    owner.emit({ type: "stopped", id: node.id, durationMs: node.stopMs, errors });
    this.#finish();
  }

  #finishStart(result: Settled, began: number): StartOutcome {
    const { owner, node } = this;
    if (this.scope.cancelled && (result.ok || !result.timedOut)) {
      // Asked to stop while starting, and it honoured that (or finished anyway): not a failure.
      return { kind: "cancelled" };
    }
    if (result.ok) {
      this.handle = result.handle;
      this.phase = "running";
      node.starts++;
      node.startMs = owner.clock.now() - began;
      owner.emit({ type: "started", id: node.id, durationMs: node.startMs });
      if (this.#endedDuringStart) this.#onTaskReturned("(during start)");
      return { kind: "started" };
    }
    const budgetMs = node.service.startTimeoutMs;
    const error = result.timedOut ? new Error(`"${node.id}" did not start within ${budgetMs}ms`) : result.error;
    const reason: ShutdownReason = result.timedOut
      ? { kind: "timeout", service: node.id, budgetMs }
      : { kind: "start-failed", service: node.id, error };
    this.failed = true;
    node.recordErrors([error]);
    this.scope.cancel(reason);
    owner.emit({ type: "start-failed", id: node.id, error, timedOut: result.timedOut });
    owner.noteProblem(node);
    return { kind: "failed", error, reason };
  }

  #onTaskFailed(task: string, error: unknown): void {
    if (this.phase === "starting") {
      this.#failStart?.(error);
      return;
    }
    if (this.phase !== "running") return;
    this.failed = true;
    this.node.recordErrors([error]);
    this.scope.cancel({ kind: "sibling-failed", service: this.node.id, error });
    this.owner.emit({ type: "crashed", id: this.node.id, error, task });
    this.owner.serviceEnded(this, true, error);
  }

  #onTaskReturned(task: string): void {
    // Only a permanent service is expected to run until told to stop.
    if (this.node.plan.restart !== "permanent") return;
    if (this.phase === "starting") {
      this.#endedDuringStart = true;
      return;
    }
    if (this.phase !== "running" || this.scope.cancelled) return;
    this.scope.cancel({ kind: "sibling-failed", service: this.node.id, error: undefined });
    this.owner.emit({ type: "ended", id: this.node.id, task });
    this.owner.serviceEnded(this, false, undefined);
  }

  #finish(): void {
    this.isFinished = true;
    this.#resolveFinished();
  }

  #createServiceScope(deps: Readonly<Record<string, unknown>>): ServiceScope<any> {
    const { scope, owner } = this;
    const id = this.node.id;
    return Object.freeze({
      id,
      name: this.node.plan.name,
      deps,
      get signal() {
        return scope.signal;
      },
      defer: (fn) => scope.defer(fn),
      go: (name, fn) => scope.go(name, fn),
      sleep: (ms) => scope.sleep(ms),
      log: (message) => owner.writeServiceLog(id, message),
      child: (name) => scope.child(name),
    } satisfies ServiceScope<any>);
  }
}
