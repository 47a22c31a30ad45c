// The scope tree. On Node 20, chaining AbortControllers through "abort" listeners overflows the
// stack at ~1,450 levels and attaching n listeners to one signal costs O(n²); AbortSignal.any
// keeps memory alive against a long-lived parent. So each scope keeps its children (a lone one in
// a field, more in a Set), cancellation walks the subtree in a loop, an AbortController exists
// only once someone reads `.signal`, and a closed child removes itself from its parent.
import { captureSite, findUserFrames, type CallSite } from "./call-site.ts";
import type { ChildScope, Clock, Finalizer, ShutdownReason, ShutdownSignal, Timer } from "../api/types.ts";
import type { PendingTask } from "../api/events.ts";

/** What the owner of a scope tree wants to hear about; shared by every scope in the tree. */
export interface ScopeHooks {
  readonly clock: Clock;
  /** A task rejected while its scope was live. Without this hook the scope cancels itself. */
  readonly taskFailed?: (scope: Scope, task: string, error: unknown) => void;
  /** A task returned while its scope was live. */
  readonly taskReturned?: (scope: Scope, task: string) => void;
  /** A finalizer registered after the scope closed ran at once and threw. */
  readonly lateError?: (scope: Scope, error: unknown) => void;
  /**
   * Runs the owner's code (a task, a finalizer, abort listeners) as `fn(arg)` in the owner's
   * context, so that uncaught errors it causes later can be attributed to it (attribution.ts).
   */
  readonly enter?: <A, R>(fn: (arg: A) => R, arg: A) => R;
}

interface Task {
  readonly name: string;
  readonly site: CallSite;
}

// Lifecycle of a scope: tasks may start until Finalizing; finalizers registered after Closed run at once.
const OPEN = 0;
const CLOSING = 1;
const FINALIZING = 2;
const CLOSED = 3;

const NO_ERRORS: readonly unknown[] = Object.freeze([]);

const runFinalizer = (fn: Finalizer): void | Promise<void> => fn();

/** An abort that the task was asked for: the scope's own reason, or an AbortError it caused. */
export function isAbortLike(error: unknown, reason: ShutdownReason | undefined): boolean {
  if (error === reason) return true;
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}

export class Scope implements ChildScope {
  readonly name: string;
  readonly #parent: Scope | undefined;
  readonly #fixedId: string | undefined;
  readonly #hooks: ScopeHooks;
  #state = OPEN;
  #reason: ShutdownReason | undefined;
  #controller: AbortController | undefined;
  /**
   * Its children: a lone child in a field (a chain, or one request at a time: no Set and no
   * iterator on the cancel walk), a Set once two are open at the same time.
   */
  #child: Scope | undefined;
  #children: Set<Scope> | undefined;
  #wakers: Set<() => void> | undefined;
  #finalizers: Finalizer[] | undefined;
  #tasks: Set<Task> | undefined;
  #tasksIdle: (() => void) | undefined;
  #stopErrors: unknown[] | undefined;
  #closing: Promise<unknown[]> | undefined;

  private constructor(name: string, parent: Scope | undefined, fixedId: string | undefined, hooks: ScopeHooks) {
    this.name = name;
    this.#parent = parent;
    this.#fixedId = fixedId;
    this.#hooks = hooks;
  }

  /** A scope with no parent: a service's scope, or the app's. */
  static createRoot(id: string, hooks: ScopeHooks): Scope {
    return new Scope(id, undefined, id, hooks);
  }

  /** Computed on demand (iteratively) so that a deep chain holds no long path strings. */
  get id(): string {
    // A root scope (every service's own): its id, without building a path.
    if (this.#fixedId !== undefined) return this.#fixedId;
    const names: string[] = [];
    let scope: Scope | undefined = this;
    for (; scope !== undefined && scope.#fixedId === undefined; scope = scope.#parent) names.push(scope.name);
    if (scope !== undefined) names.push(scope.#fixedId!);
    return names.reverse().join("/");
  }

  get signal(): ShutdownSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal as ShutdownSignal;
  }

  get cancelled(): boolean {
    return this.#reason !== undefined;
  }

  get reason(): ShutdownReason | undefined {
    return this.#reason;
  }

  get closed(): boolean {
    return this.#state === CLOSED;
  }

  get childCount(): number {
    return this.#children !== undefined ? this.#children.size : this.#child !== undefined ? 1 : 0;
  }

  child(name: string): Scope {
    if (this.#state >= FINALIZING) throw new Error(`${this.id}: cannot create scope "${name}": the scope has closed`);
    const child = new Scope(name, this, undefined, this.#hooks);
    child.#reason = this.#reason;
    if (this.#children !== undefined) this.#children.add(child);
    else if (this.#child === undefined) this.#child = child;
    else {
      this.#children = new Set([this.#child, child]);
      this.#child = undefined;
    }
    return child;
  }

  cancel(reason: ShutdownReason): void {
    if (this.#reason !== undefined) return;
    // Most scopes (every service's own, at shutdown) have no children and nobody listening.
    if (this.#child === undefined && this.#children === undefined && this.#controller === undefined && this.#wakers === undefined) {
      this.#reason = reason;
      return;
    }
    const notify: Scope[] = [];
    const stack: Scope[] = [this];
    while (stack.length > 0) {
      const scope = stack.pop()!;
      // A cancelled scope's subtree is cancelled too (children are born cancelled under one).
      if (scope.#reason !== undefined) continue;
      scope.#reason = reason;
      if (scope.#controller !== undefined || scope.#wakers !== undefined) notify.push(scope);
      scope.#pushChildren(stack);
    }
    // Listeners run only once the whole subtree is marked, so they all see a consistent tree.
    for (const scope of notify) {
      if (scope.#controller !== undefined) scope.#enter(Scope.#abort, scope);
      if (scope.#wakers !== undefined) for (const wake of [...scope.#wakers]) wake();
    }
  }

  defer(fn: Finalizer): void {
    if (this.#state !== CLOSED) {
      (this.#finalizers ??= []).push(fn);
      return;
    }
    // Too late to run in order; run it now rather than leak what it cleans up.
    Promise.resolve()
      .then(() => this.#enter(runFinalizer, fn))
      .catch((error: unknown) => this.#reportLate(error));
  }

  go(name: string, fn: (signal: ShutdownSignal) => unknown): void {
    if (this.#state >= FINALIZING) throw new Error(`${this.id}: cannot start task "${name}": the scope has closed`);
    const task: Task = { name, site: captureSite() };
    (this.#tasks ??= new Set()).add(task);
    let result: unknown;
    try {
      result = this.#enter(fn, this.signal);
    } catch (error) {
      result = Promise.reject(error);
    }
    Promise.resolve(result).then(
      () => this.#settleTask(task, false, undefined),
      (error: unknown) => this.#settleTask(task, true, error),
    );
  }

  sleep(ms: number): Promise<void> {
    if (this.#reason !== undefined) return Promise.resolve();
    const clock = this.#hooks.clock;
    return new Promise((resolve) => {
      let timer: Timer | undefined;
      const wake = (): void => {
        this.#wakers?.delete(wake);
        if (timer !== undefined) clock.clearTimeout(timer);
        timer = undefined;
        resolve();
      };
      (this.#wakers ??= new Set()).add(wake);
      if (ms !== Infinity) timer = clock.setTimeout(() => ((timer = undefined), wake()), Number.isNaN(ms) ? 0 : Math.max(0, ms));
    });
  }

  /** The public close: rejects with an AggregateError when anything failed. */
  async close(): Promise<void> {
    const errors = await this.closeAndCollect();
    if (errors.length > 0) throw new AggregateError(errors, `${this.id}: ${errors.length} error(s) while closing`);
  }

  /**
   * Cancels, waits for tasks and children, runs finalizers in reverse (each awaited, each error
   * kept), then leaves the parent's Set. Runs at most once; later calls share the result.
   */
  closeAndCollect(reason?: ShutdownReason): Promise<unknown[]> {
    if (this.#closing === undefined) {
      const closed = this.closeNow(reason);
      this.#closing = closed !== undefined ? Promise.resolve([...closed]) : this.#runClose(reason ?? this.#reason ?? this.#parentReason());
    }
    return this.#closing;
  }

  /**
   * Closes at once if, once cancelled, it has nothing to wait for or run (no tasks, children,
   * finalizers or stop errors): most scopes, so most stops cost no promise at all. Returns the
   * (empty) error list, or undefined when the close has to go through `closeAndCollect`.
   */
  closeNow(reason?: ShutdownReason): readonly unknown[] | undefined {
    if (this.#state === CLOSED) return NO_ERRORS;
    if (this.#closing !== undefined) return undefined;
    this.cancel(reason ?? this.#reason ?? this.#parentReason());
    // Abort listeners run inside cancel() and may have added work.
    if ((this.#tasks?.size ?? 0) + this.childCount + (this.#finalizers?.length ?? 0) + (this.#stopErrors?.length ?? 0) > 0) {
      return undefined;
    }
    this.#state = CLOSED;
    const parent = this.#parent;
    if (parent !== undefined) parent.#removeChild(this);
    return NO_ERRORS;
  }

  /** The id is built only when needed: children closed by a cancelled parent never need it. */
  #parentReason(): ShutdownReason {
    return { kind: "parent", path: this.id };
  }

  /** Tasks still running in this scope and below (for reports of what hung). */
  pendingTasks(): PendingTask[] {
    const found: PendingTask[] = [];
    this.#walk((scope) => {
      if (scope.#tasks === undefined) return;
      for (const task of scope.#tasks) {
        const stack = findUserFrames(task.site);
        found.push({ name: task.name, scope: scope.id, startedAt: stack[0], stack });
      }
    });
    return found;
  }

  /** Finalizers not yet run in this scope and below. */
  pendingFinalizers(): number {
    let count = 0;
    this.#walk((scope) => (count += scope.#finalizers?.length ?? 0));
    return count;
  }

  async #runClose(reason: ShutdownReason): Promise<unknown[]> {
    this.cancel(reason);
    this.#state = CLOSING;
    // Yield before descending, so that closing a deep chain never recurses on the stack.
    if (this.childCount > 0) await undefined;
    const errors: unknown[] = [];
    for (;;) {
      if (this.#tasks !== undefined && this.#tasks.size > 0) {
        await new Promise<void>((resolve) => (this.#tasksIdle = resolve));
      } else if (this.childCount > 0) {
        const children: Scope[] = [];
        this.#pushChildren(children);
        for (const result of await Promise.all(children.map((c) => c.closeAndCollect()))) errors.push(...result);
      } else break;
    }
    this.#state = FINALIZING;
    if (this.#stopErrors !== undefined) errors.push(...this.#stopErrors);
    const finalizers = this.#finalizers;
    while (finalizers !== undefined && finalizers.length > 0) {
      try {
        await this.#enter(runFinalizer, finalizers.pop()!);
      } catch (error) {
        errors.push(error);
      }
    }
    this.#state = CLOSED;
    const parent = this.#parent;
    if (parent !== undefined) parent.#removeChild(this);
    return errors;
  }

  #settleTask(task: Task, failed: boolean, error: unknown): void {
    this.#tasks!.delete(task);
    if (failed) {
      if (this.#reason !== undefined) {
        if (!isAbortLike(error, this.#reason)) (this.#stopErrors ??= []).push(error);
      } else if (this.#hooks.taskFailed !== undefined) {
        this.#hooks.taskFailed(this, task.name, error);
      } else {
        // Like errgroup: the first failure cancels the group, and close reports it.
        (this.#stopErrors ??= []).push(error);
        this.cancel({ kind: "sibling-failed", service: this.id, error });
      }
    } else if (this.#reason === undefined) {
      this.#hooks.taskReturned?.(this, task.name);
    }
    if (this.#tasks!.size === 0 && this.#tasksIdle !== undefined) {
      const idle = this.#tasksIdle;
      this.#tasksIdle = undefined;
      idle();
    }
  }

  #enter<A, R>(fn: (arg: A) => R, arg: A): R {
    const hooks = this.#hooks;
    return hooks.enter === undefined ? fn(arg) : hooks.enter(fn, arg);
  }

  /** Abort listeners are the owner's code: they run in its context, whoever cancelled. */
  static #abort(scope: Scope): void {
    scope.#controller!.abort(scope.#reason);
  }

  #reportLate(error: unknown): void {
    if (this.#hooks.lateError !== undefined) this.#hooks.lateError(this, error);
    else
      queueMicrotask(() => {
        throw error;
      });
  }

  #walk(visit: (scope: Scope) => void): void {
    const stack: Scope[] = [this];
    while (stack.length > 0) {
      const scope = stack.pop()!;
      visit(scope);
      scope.#pushChildren(stack);
    }
  }

  /** Appends its open children to `list`, in the order they were created. */
  #pushChildren(list: Scope[]): void {
    if (this.#child !== undefined) list.push(this.#child);
    else if (this.#children !== undefined) for (const child of this.#children) list.push(child);
  }

  #removeChild(child: Scope): void {
    if (this.#child === child) this.#child = undefined;
    else this.#children?.delete(child);
  }
}
