// What a service's `start(scope)` receives. Its methods are created on first use and then kept,
// so `const { sleep, defer } = scope` works (each is bound), while a service that uses two of
// them does not pay for eight closures: with 10k services, that is most of a start's garbage.
import type { Scope } from "./scope.ts";
import type { ChildScope, Finalizer, ServiceScope, ShutdownSignal } from "./types.ts";

export class ServiceScopeView implements ServiceScope<any> {
  readonly id: string;
  readonly name: string;
  readonly deps: Readonly<Record<string, unknown>>;
  readonly #scope: Scope;
  readonly #writeLog: (id: string, message: string) => void;
  #log: ((message: string) => void) | undefined;
  #defer: ((fn: Finalizer) => void) | undefined;
  #go: ((name: string, fn: (signal: ShutdownSignal) => unknown) => void) | undefined;
  #sleep: ((ms: number) => Promise<void>) | undefined;
  #child: ((name: string) => ChildScope) | undefined;

  constructor(scope: Scope, name: string, deps: Readonly<Record<string, unknown>>, writeLog: (id: string, message: string) => void) {
    this.id = scope.id;
    this.name = name;
    this.deps = deps;
    this.#scope = scope;
    this.#writeLog = writeLog;
    // Frozen like the deps: a service cannot swap the runtime's methods under another's feet.
    // (Private fields are not properties, so the lazy caches below still work.)
    Object.freeze(this);
  }

  get signal(): ShutdownSignal {
    return this.#scope.signal;
  }

  get defer(): (fn: Finalizer) => void {
    return (this.#defer ??= (fn) => this.#scope.defer(fn));
  }

  get go(): (name: string, fn: (signal: ShutdownSignal) => unknown) => void {
    return (this.#go ??= (name, fn) => this.#scope.go(name, fn));
  }

  get sleep(): (ms: number) => Promise<void> {
    return (this.#sleep ??= (ms) => this.#scope.sleep(ms));
  }

  get log(): (message: string) => void {
    return (this.#log ??= (message) => this.#writeLog(this.id, message));
  }

  get child(): (name: string) => ChildScope {
    return (this.#child ??= (name) => this.#scope.child(name));
  }
}
