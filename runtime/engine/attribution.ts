// Which service an uncaught error belongs to. Each service's start, tasks, finalizers and abort
// listeners run inside an AsyncLocalStorage context that names the service instance; Node carries
// that context into every timer, I/O callback and promise created from there. When an error
// reaches the process's `uncaughtException` or `unhandledRejection` handler, the context current
// in that handler is the one where the failing callback or promise was created (measured on Node
// 20: timers, nextTick, promise chains, EventEmitter listeners called from such a callback), so
// the runtime can treat the error as that service's crash instead of shutting everything down.
//
// Entering the context costs little, but the first `run` makes Node install its promise hooks for
// the whole process (every promise then pays for context propagation), so the engine enters it
// only when its host can report uncaught errors at all (`Host.onFatal`). docs/runtime.md has the
// measured cost.
import { AsyncLocalStorage } from "node:async_hooks";

/** What an attributed uncaught error is handed to: one service incarnation. */
export interface ErrorOwner {
  /** The engine that runs it: an error is only taken by the engine that owns the instance. */
  readonly owner: object;
  /** The service it runs, named in reports (a blocked event loop). */
  readonly node: { readonly id: string };
  uncaughtError(error: unknown, origin: string): void;
}

const current = new AsyncLocalStorage<ErrorOwner>();

/** Calls `fn(arg)` in `owner`'s context (no closure needed at the call site). */
export function runAttributed<A, R>(owner: ErrorOwner, fn: (arg: A) => R, arg: A): R {
  return current.run(owner, fn, arg);
}

/** The service whose code is running, or whose callback or promise failed, if any. */
export function findAttributed(): ErrorOwner | undefined {
  return current.getStore();
}
