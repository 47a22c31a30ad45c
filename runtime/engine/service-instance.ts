// One incarnation of a service: its scope, its start (bounded by the start timeout), its stop
// (cancel, wait for its tasks, run its finalizers) and its abandonment. A restart makes a new
// instance; an old one that was abandoned finishes (or not) in the background, never twice.
//
// Written with callbacks rather than async functions on purpose: a start that returns at once
// and a stop with nothing to wait for complete synchronously, with no promise and no timer, which
// is what makes 10k services cheap to start and stop.
import { runAttributed, type ErrorOwner } from "./attribution.ts";
import type { Budget, EventInput, PendingTask } from "../api/events.ts";
import type { NodeRt } from "./node-state.ts";
import { Scope, type ScopeHooks } from "./scope.ts";
import { ServiceScopeView, type DepsSnapshot } from "./service-scope.ts";
import type { Clock, ShutdownReason } from "../api/types.ts";
import { PERMANENT } from "../api/plan.ts";

/** What an instance needs from the engine that runs it. */
export interface InstanceOwner {
  readonly clock: Clock;
  /** Run service code in a context naming the service, so uncaught errors can be attributed. */
  readonly attributesErrors: boolean;
  /** `now`: the clock's current time, when the caller has just read it. */
  emit(event: EventInput, now?: number): void;
  /** A timer the engine clears when the run ends; returns its cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /** The handles of what `node` needs, taken as its start begins; throws when one is not running. */
  snapshotDeps(node: NodeRt): DepsSnapshot | undefined;
  /** Writes a `scope.log` line (one shared function, so no closure per service). */
  readonly writeServiceLog: (id: string, message: string) => void;
  /** A running service ended: a task rejected (failure) or a permanent service's task returned. */
  serviceEnded(instance: ServiceInstance, failure: boolean, error: unknown): void;
  /** Something went wrong (an error while stopping, an abandonment): exit 1 if shutting down. */
  noteProblem(): void;
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

/** Told when an instance has finished: stopped, or abandoned. */
export interface FinishListener {
  serviceFinished(instance: ServiceInstance): void;
}

/** Told once how a start went (the pass that launched it). */
export interface StartListener {
  startSettled(instance: ServiceInstance, outcome: StartOutcome): void;
}


const STARTED: StartOutcome = { kind: "started" };
const STOP_TIMEOUT: Budget = Object.freeze({ kind: "stop-timeout" });
const CANCELLED: StartOutcome = { kind: "cancelled" };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

let startCounter = 0;

export class ServiceInstance implements ScopeHooks, ErrorOwner {
  readonly scope: Scope;
  /** The scope its start received (a reload receives it too). */
  view: ServiceScopeView | undefined;
  handle: unknown;
  phase: "starting" | "running" | "stopping" | "done" = "starting";
  failed = false;
  abandoned:
    | { readonly budgetMs: number; readonly budget: Budget; readonly pendingTasks: readonly PendingTask[]; readonly pendingFinalizers: number }
    | undefined;
  stopReason: ShutdownReason | undefined;
  /** Stopped, or abandoned (whichever came first). */
  isFinished = false;
  /** Told when it finishes: the stop passes waiting for it (rarely more than one). */
  #finishListener: FinishListener | undefined;
  #moreFinishListeners: FinishListener[] | undefined;
  #startSettled = false;
  #startFnPending = true;
  #startListener: StartListener | undefined;
  #startBegan = 0;
  #clearStartTimer: (() => void) | undefined;
  /** A stop requested during the start, to run once the start has settled. */
  #afterStart: (() => void) | undefined;
  #endedDuringStart = false;
  #stopRequested = false;
  #stopBeganAt = 0;
  #clearStopTimer: (() => void) | undefined;

  constructor(
    readonly owner: InstanceOwner,
    readonly node: NodeRt,
  ) {
    this.scope = Scope.createRoot(node.id, this);
  }

  get clock(): Clock {
    return this.owner.clock;
  }

  /** Running and not asked to stop: its handle may be given to a dependent. */
  get isUp(): boolean {
    return this.phase === "running" && !this.scope.cancelled;
  }

  /** Tells `listener` once the instance has finished (at once if it has). */
  whenFinished(listener: FinishListener): void {
    if (this.isFinished) listener.serviceFinished(this);
    else if (this.#finishListener === undefined) this.#finishListener = listener;
    else (this.#moreFinishListeners ??= []).push(listener);
  }

  /**
   * Calls the start function; `listener.startSettled` runs once, synchronously if the start
   * returns a plain value. No closure is made for a start that returns at once.
   */
  start(listener: StartListener): void {
    const { owner, node } = this;
    this.#startListener = listener;
    this.#startBegan = owner.clock.now();
    owner.emit({ type: "starting", id: node.id }, this.#startBegan);
    let result: unknown;
    try {
      this.view = new ServiceScopeView(this.scope, node.plan.name, owner.snapshotDeps(node), owner.writeServiceLog, node.replica);
      result = this.enter(node.startFn!, this.view);
    } catch (error) {
      this.#startFnPending = false;
      this.#settleStart(false, error, false);
      return;
    }
    if (!isThenable(result)) {
      this.#startFnPending = false;
      this.#settleStart(true, result, false);
      return;
    }
    const timeoutMs = node.service.startTimeoutMs;
    if (!this.#startSettled && timeoutMs !== Infinity) {
      this.#clearStartTimer = owner.setTimer(timeoutMs, () => this.#settleStart(false, undefined, true));
    }
    Promise.resolve(result).then(
      (handle) => ((this.#startFnPending = false), this.#settleStart(true, handle, false)),
      (error: unknown) => ((this.#startFnPending = false), this.#settleStart(false, error, false)),
    );
  }

  /** The start has settled: its listener was told the outcome. */
  get startSettled(): boolean {
    return this.#startSettled;
  }

  /** Whether a start is in progress (begun, not settled): a failure now fails the start. */
  get #isStarting(): boolean {
    return this.#startListener !== undefined && !this.#startSettled;
  }

  /** Settles the start once (`value`: the handle, or the error): its outcome, then a stop requested meanwhile. */
  #settleStart(ok: boolean, value: unknown, timedOut: boolean): void {
    if (this.#startSettled) return;
    this.#startSettled = true;
    this.#clearStartTimer?.();
    this.#clearStartTimer = undefined;
    this.#startListener!.startSettled(this, this.#finishStart(ok, value, timedOut));
    const after = this.#afterStart;
    this.#afterStart = undefined;
    after?.();
  }

  /** Cancel with `reason` (unless already cancelled), wait for the start, the tasks, the finalizers. Once. */
  stop(reason: ShutdownReason): void {
    if (this.#stopRequested || this.isFinished) return;
    this.#stopRequested = true;
    const { owner, node } = this;
    this.scope.cancel(reason);
    this.stopReason = this.scope.reason;
    this.#stopBeganAt = owner.clock.now();
    if (this.phase === "running") this.phase = "stopping";
    owner.emit({ type: "stopping", id: node.id, reason: this.scope.reason! }, this.#stopBeganAt);
    // A start still in progress owns resources it has not registered yet: let it settle first
    // (it was cancelled, and its start timeout still bounds it).
    if (this.#startSettled) this.#close();
    else this.#afterStart = () => this.#close();
  }

  /**
   * Bounds a stop in progress by the service's own stop timeout, from now: abandoned when it runs
   * out. Only a stop that did not finish at once gets a timer (and its closure); the first bound
   * set wins, whichever pass set it.
   */
  limitStop(budgetMs: number): void {
    if (this.isFinished || budgetMs === Infinity || this.#clearStopTimer !== undefined) return;
    this.#clearStopTimer = this.owner.setTimer(budgetMs, () => this.abandonForStopTimeout(budgetMs));
  }

  abandonForStopTimeout(budgetMs: number): void {
    this.abandon({ budgetMs, budget: STOP_TIMEOUT, reason: { kind: "timeout", service: this.node.id, budgetMs } });
  }

  /** Stop waiting for it: tell it to stop if it was not told yet, report what it still runs. */
  abandon(abandonment: Abandonment): void {
    if (this.isFinished) return;
    this.stop(abandonment.reason);
    if (this.isFinished) return;
    const pendingTasks = this.scope.pendingTasks();
    if (this.#startFnPending) pendingTasks.unshift({ name: "start", scope: this.node.id, startedAt: undefined, stack: [] });
    const pendingFinalizers = this.scope.pendingFinalizers();
    this.abandoned = { budgetMs: abandonment.budgetMs, budget: abandonment.budget, pendingTasks, pendingFinalizers };
    this.node.stopMs = this.owner.clock.now() - this.#stopBeganAt;
    this.owner.emit({
      type: "abandoned",
      id: this.node.id,
      budgetMs: abandonment.budgetMs,
      budget: abandonment.budget,
      pendingTasks: pendingTasks.map((t) => t.name),
      pendingFinalizers,
    });
    this.owner.noteProblem();
    this.#finish();
  }

  // ScopeHooks: what the scope tree reports about this service's tasks.

  enter<A, R>(fn: (arg: A) => R, arg: A): R {
    return this.owner.attributesErrors ? runAttributed(this, fn, arg) : fn(arg);
  }

  /**
   * An uncaught exception or unhandled rejection that came from this service's code: a crash
   * while it starts or runs (its restart policy applies, as for a task that rejected), an error
   * while it stops, or a late error of an incarnation that has already been replaced or stopped.
   */
  uncaughtError(error: unknown, origin: string): void {
    const { owner, node } = this;
    if (this.phase === "starting" && this.#isStarting) {
      this.#settleStart(false, error, false);
      return;
    }
    if (node.instance === this && this.phase === "running" && !this.scope.cancelled) {
      this.failed = true;
      node.recordErrors([error]);
      this.scope.cancel({ kind: "sibling-failed", service: node.id, error });
      owner.emit({ type: "crashed", id: node.id, error, task: "", origin });
      owner.serviceEnded(this, true, error);
      return;
    }
    owner.noteLateErrors(node, [error], `(${origin}) ${this.isFinished ? "after it stopped" : "while it was stopping"}`);
  }

  taskFailed(_scope: Scope, task: string, error: unknown): void {
    if (this.phase === "starting") {
      if (this.#isStarting) this.#settleStart(false, error, false);
      return;
    }
    if (this.phase !== "running") return;
    this.failed = true;
    this.node.recordErrors([error]);
    this.scope.cancel({ kind: "sibling-failed", service: this.node.id, error });
    this.owner.emit({ type: "crashed", id: this.node.id, error, task });
    this.owner.serviceEnded(this, true, error);
  }

  taskReturned(scope: Scope, task: string): void {
    // Only a permanent service is expected to run until told to stop, and only its own tasks count.
    if (scope !== this.scope || this.node.plan.restart !== PERMANENT) return;
    if (this.phase === "starting") {
      this.#endedDuringStart = true;
      return;
    }
    if (this.phase !== "running" || this.scope.cancelled) return;
    this.scope.cancel({ kind: "sibling-failed", service: this.node.id, error: undefined });
    this.owner.emit({ type: "ended", id: this.node.id, task });
    this.owner.serviceEnded(this, false, undefined);
  }

  lateError(_scope: Scope, error: unknown): void {
    this.owner.noteLateErrors(this.node, [error], "from a finalizer registered after it stopped");
  }

  #close(): void {
    const errors = this.scope.closeNow();
    if (errors !== undefined) this.#afterClose(errors);
    else {
      this.scope.closeAndCollect().then(
        (collected) => this.#afterClose(collected),
        (error: unknown) => this.owner.internalError(error),
      );
    }
  }

  #afterClose(errors: readonly unknown[]): void {
    const { owner, node } = this;
    this.phase = "done";
    if (this.abandoned !== undefined) {
      if (errors.length > 0) owner.noteLateErrors(node, errors, "after it was abandoned");
      return;
    }
    if (errors.length > 0) {
      node.recordErrors(errors);
      owner.noteProblem();
    }
    const now = owner.clock.now();
    node.stopMs = now - this.#stopBeganAt;
    owner.emit({ type: "stopped", id: node.id, durationMs: node.stopMs, errors }, now);
    this.#finish();
  }

  /** What a settled start means (`value`: the handle when `ok`, else the error). */
  #finishStart(ok: boolean, value: unknown, timedOut: boolean): StartOutcome {
    const { owner, node } = this;
    if (this.scope.cancelled && (ok || !timedOut)) {
      // Asked to stop while starting, and it honoured that (or finished anyway): not a failure.
      return CANCELLED;
    }
    if (ok) {
      this.handle = value;
      this.phase = "running";
      node.starts++;
      node.startSeq = ++startCounter;
      node.upSince = owner.clock.now();
      node.startMs = node.upSince - this.#startBegan;
      owner.emit({ type: "started", id: node.id, durationMs: node.startMs }, node.upSince);
      if (this.#endedDuringStart) this.taskReturned(this.scope, "(during start)");
      return STARTED;
    }
    const budgetMs = node.service.startTimeoutMs;
    const error = timedOut ? new Error(`"${node.id}" did not start within ${budgetMs}ms`) : value;
    const reason: ShutdownReason = timedOut ? { kind: "timeout", service: node.id, budgetMs } : { kind: "start-failed", service: node.id, error };
    this.failed = true;
    node.recordErrors([error]);
    this.scope.cancel(reason);
    owner.emit({ type: "start-failed", id: node.id, error, timedOut });
    owner.noteProblem();
    return { kind: "failed", error, reason };
  }


  #finish(): void {
    this.isFinished = true;
    this.#clearStopTimer?.();
    this.#clearStopTimer = undefined;
    const first = this.#finishListener;
    const more = this.#moreFinishListeners;
    this.#finishListener = undefined;
    this.#moreFinishListeners = undefined;
    first?.serviceFinished(this);
    if (more !== undefined) for (const listener of more) listener.serviceFinished(this);
  }

}
