// What the services suite watches inside the runner that the engine does not record: each task
// and finalizer of the service under test (where it began, whether it settled or threw), the
// signal it was given, the listeners it left on `process` and the AbortControllers it created.
// Only the runner process (service-runner.ts) installs these; they patch globals on purpose.
import { findAttributed } from "../engine/attribution.ts";
import { captureSite, findCaller, findUserFrames } from "../engine/call-site.ts";
import type { ChildScope, Finalizer, ServiceScope, ShutdownSignal } from "../api/types.ts";
import { toErrorInfo, type ErrorInfo, type FinalizerInfo, type TaskInfo } from "./service-suite.ts";

interface TaskRecord {
  readonly name: string;
  readonly scope: string;
  readonly site: { stack?: string };
  settled: boolean;
}

interface FinalizerRecord {
  readonly site: { stack?: string };
  ran: boolean;
  finished: boolean;
  error: ErrorInfo | undefined;
}

/** The tasks and finalizers of one service, and the signal it was handed. */
export class ScopeProbe {
  readonly #tasks: TaskRecord[] = [];
  readonly #finalizers: FinalizerRecord[] = [];
  signal: ShutdownSignal | undefined;
  /** Told as each finalizer begins (where it was registered): if the loop starves next, that one spins. */
  onFinalizer: ((stack: string[]) => void) | undefined;

  /** The scope the service receives: the runtime's, with `go`, `defer` and `child` recorded. */
  wrap<D extends object>(scope: ServiceScope<D>, deps: D | undefined): ServiceScope<D> {
    this.signal = scope.signal;
    const view = {
      id: scope.id,
      name: scope.name,
      replica: scope.replica,
      deps: deps ?? scope.deps,
      signal: scope.signal,
      log: scope.log,
      sleep: scope.sleep,
    };
    return Object.freeze({ ...view, ...this.#recordMethods(scope, scope.id) });
  }

  tasks(): TaskInfo[] {
    return this.#tasks.map((t) => ({ name: t.name, scope: t.scope, stack: findUserFrames(t.site), settled: t.settled }));
  }

  finalizers(): FinalizerInfo[] {
    return this.#finalizers.map((f) => ({ stack: findUserFrames(f.site), ran: f.ran, finished: f.finished, error: f.error }));
  }

  #recordMethods(scope: ServiceScope<object> | ChildScope, id: string) {
    const go = (name: string, fn: (signal: ShutdownSignal) => unknown): void => {
      const record: TaskRecord = { name, scope: id, site: captureSite(), settled: false };
      this.#tasks.push(record);
      const settle = (): void => void (record.settled = true);
      try {
        scope.go(name, (signal) => {
          let result: unknown;
          try {
            result = fn(signal);
          } catch (error) {
            settle();
            throw error;
          }
          Promise.resolve(result).then(settle, settle);
          return result;
        });
      } catch (error) {
        // Refused (the scope has closed): no task began.
        this.#tasks.splice(this.#tasks.indexOf(record), 1);
        throw error;
      }
    };
    const defer = (fn: Finalizer): void => {
      const record: FinalizerRecord = { site: captureSite(), ran: false, finished: false, error: undefined };
      this.#finalizers.push(record);
      scope.defer(async () => {
        record.ran = true;
        this.onFinalizer?.(findUserFrames(record.site));
        try {
          await fn();
        } catch (error) {
          record.error = toErrorInfo(error);
          throw error;
        } finally {
          record.finished = true;
        }
      });
    };
    const child = (name: string): ChildScope => this.#wrapChild(scope.child(name));
    return { go, defer, child };
  }

  #wrapChild(inner: ChildScope): ChildScope {
    return Object.freeze({
      id: inner.id,
      get signal() {
        return inner.signal;
      },
      cancel: (reason) => inner.cancel(reason),
      sleep: (ms) => inner.sleep(ms),
      close: () => inner.close(),
      ...this.#recordMethods(inner, inner.id),
    } satisfies ChildScope);
  }
}

interface ListenerRecord {
  readonly order: number;
  readonly service: string;
  readonly event: string;
  readonly site: { stack?: string };
}

const ADD_METHODS = ["on", "addListener", "prependListener", "once", "prependOnceListener"] as const;

/**
 * Records every listener a service adds to `process` (the long-lived emitter every service can
 * reach), with where it was added; `open` lists those still installed.
 */
export function watchProcessListeners(): { open(service: string): { event: string; stack: string[]; order: number }[]; readonly order: number } {
  const added = new WeakMap<Function, ListenerRecord>();
  let order = 0;
  const target = process as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ADD_METHODS) {
    const original = target[method]!;
    target[method] = function (this: unknown, event: unknown, listener: unknown, ...rest: unknown[]) {
      const owner = findAttributed();
      if (owner !== undefined && typeof listener === "function") {
        added.set(listener, { order: ++order, service: owner.node.id, event: String(event), site: captureSite() });
      }
      return original.call(this, event, listener, ...rest);
    };
  }
  return {
    open(service) {
      const found: { event: string; stack: string[]; order: number }[] = [];
      for (const event of process.eventNames()) {
        for (const raw of process.rawListeners(event)) {
          // A `once` listener is installed wrapped; the wrapper keeps the original as `.listener`.
          const listener = (raw as { listener?: Function }).listener ?? raw;
          const record = added.get(listener);
          if (record !== undefined && record.service === service) found.push({ event: record.event, stack: findUserFrames(record.site), order: record.order });
        }
      }
      return found;
    },
    get order() {
      return order;
    },
  };
}

/**
 * Records every AbortController a service creates (not the runtime's own), so that a stop that
 * hangs can name one that nobody aborted: a controller never linked to the scope's signal.
 */
export function watchAbortControllers(): { neverAborted(service: string): { stack: string[] }[] } {
  const created: { controller: AbortController; service: string; site: { stack?: string } }[] = [];
  const Original = globalThis.AbortController;
  class WatchedAbortController extends Original {
    constructor() {
      super();
      const owner = findAttributed();
      if (owner === undefined) return;
      const site = captureSite();
      // The runtime creates its scopes' controllers in the service's context: those are not the service's own.
      if (findCaller(site, /WatchedAbortController|captureSite/)?.inRuntime === false) created.push({ controller: this, service: owner.node.id, site });
    }
  }
  globalThis.AbortController = WatchedAbortController;
  return {
    neverAborted: (service) =>
      created.filter((c) => c.service === service && !c.controller.signal.aborted).map((c) => ({ stack: findUserFrames(c.site) })),
  };
}
