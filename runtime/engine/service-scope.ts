// What a service's `start(scope)` receives. Its methods are created on first use and then kept,
// so `const { sleep, defer } = scope` works (each is bound), while a service that uses two of
// them does not pay for eight closures: with 10k services, that is most of a start's garbage.
// Its `deps` record is built on first read, from the handles taken when the start began: the
// same snapshot either way, and a service that never reads it does not pay for the record.
import type { Scope } from "./scope.ts";
import type { ChildScope, Finalizer, ServiceScope, ShutdownSignal } from "../api/types.ts";

/** The handles a start receives: a snapshot taken when it began, keyed later by `keys`. */
export interface DepsSnapshot {
  readonly keys: readonly { readonly key: string }[];
  readonly handles: readonly unknown[];
}

const NO_DEPS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * A frozen plain object with the given own properties, "__proto__" included. Built on a null
 * prototype, so every key is a plain own property and the object stays in dictionary mode (far
 * cheaper than a hidden class per distinct key set), then given the usual prototype back.
 */
export function createRecord(keys: readonly string[], valueOf: (i: number) => unknown): Readonly<Record<string, unknown>> {
  const record = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) record[keys[i]!] = valueOf(i);
  Object.setPrototypeOf(record, Object.prototype);
  return Object.freeze(record);
}

function recordOf(snapshot: DepsSnapshot | undefined): Readonly<Record<string, unknown>> {
  if (snapshot === undefined) return NO_DEPS;
  return createRecord(
    snapshot.keys.map((k) => k.key),
    (i) => snapshot.handles[i],
  );
}

/** Property names that code probing any object reads (await, JSON, util.inspect): never an error. */
const PROBES: ReadonlySet<string> = new Set(["then", "toJSON", "inspect", "nodeType", "asymmetricMatch", "$$typeof"]);

/**
 * The deps record behind a Proxy that turns a read of an undeclared dependency into an error that
 * names the missing `needs`, instead of an `undefined` that fails later as "cannot read
 * properties of undefined". Made once per incarnation, on the first read of `scope.deps`: the
 * cost is one object and a trap per read, and services read their deps a few times at start.
 */
export function guardDeps(record: Readonly<Record<string, unknown>>, id: string): Readonly<Record<string, unknown>> {
  return new Proxy(record, {
    get(target, key, receiver) {
      if (typeof key === "symbol" || key in target || PROBES.has(key)) return Reflect.get(target, key, receiver);
      throw new Error(describeUndeclared(id, key, Object.keys(target)));
    },
  });
}

function describeUndeclared(id: string, key: string, declared: readonly string[]): string {
  const name = id.slice(id.lastIndexOf(".") + 1);
  const has = declared.length === 0 ? "it needs nothing" : `its deps: ${declared.join(", ")}`;
  return `service "${id}" read scope.deps.${key}, which it does not declare: add 'needs ${key}' to service ${name} in the spec (${has})`;
}

export class ServiceScopeView implements ServiceScope<any> {
  readonly id: string;
  readonly name: string;
  readonly replica: number;
  readonly #snapshot: DepsSnapshot | undefined;
  #deps: Readonly<Record<string, unknown>> | undefined;
  readonly #scope: Scope;
  readonly #writeLog: (id: string, message: string) => void;
  #log: ((message: string) => void) | undefined;
  #defer: ((fn: Finalizer) => void) | undefined;
  #go: ((name: string, fn: (signal: ShutdownSignal) => unknown) => void) | undefined;
  #sleep: ((ms: number) => Promise<void>) | undefined;
  #child: ((name: string) => ChildScope) | undefined;

  constructor(scope: Scope, name: string, deps: DepsSnapshot | undefined, writeLog: (id: string, message: string) => void, replica = 0) {
    this.id = scope.id;
    this.name = name;
    this.replica = replica;
    this.#snapshot = deps;
    this.#scope = scope;
    this.#writeLog = writeLog;
    // Frozen like the deps: a service cannot swap the runtime's methods under another's feet.
    // (Private fields are not properties, so the lazy caches below still work.)
    Object.freeze(this);
  }

  get deps(): Readonly<Record<string, unknown>> {
    return (this.#deps ??= guardDeps(recordOf(this.#snapshot), this.id));
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
