// Test doubles: real services (they use `scope.sleep`, `go`, `defer` and the signal) driven by a
// small behaviour description instead of a user's module.
import type { Bindings } from "../engine/plan-index.ts";
import type { AppPlan, NodePlan } from "../api/plan.ts";
import type { Clock, ServiceScope } from "../api/types.ts";

export interface DoubleBehaviour {
  /** Start takes this long (cut short, and then failing, when cancelled meanwhile). */
  readonly startMs?: number;
  /** Start throws (after `startMs`). */
  readonly failStart?: boolean;
  /** Start never settles and ignores its signal: only the start timeout ends it. */
  readonly hangStart?: boolean;
  /** After the signal, a task named "loop" takes this long to finish. */
  readonly stopMs?: number;
  /** After the signal, the "loop" task never finishes: the service must be abandoned. */
  readonly hangStop?: boolean;
  /** A finalizer throws on stop. */
  readonly failStop?: boolean;
  /** The "loop" task rejects this long after each start (to exercise restarts). */
  readonly crashAfterMs?: number;
  /** The "loop" task returns (a normal end, not a crash) this long after each start. */
  readonly endAfterMs?: number;
  /** Registers this many finalizers, numbered from 1 in registration order. */
  readonly finalizers?: number;
  /** The finalizer of this number throws (after it is recorded). */
  readonly throwingFinalizer?: number;
  /** Where the double records what it saw: each finalizer run, and when and why its signal aborted. */
  readonly journal?: DoubleRecord[];
}

/** One observation of a test double, in the order they happened. */
export type DoubleRecord =
  | { readonly id: string; readonly what: "finalizer"; readonly n: number; readonly at: number }
  | { readonly id: string; readonly what: "aborted"; readonly reason: unknown; readonly at: number };

const never = new Promise<never>(() => {});

/** Every service id, and the number of instances of each (its replicas). */
function collectServiceIds(plan: AppPlan): [id: string, instances: number][] {
  const ids: [string, number][] = [];
  const stack: NodePlan[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === "service") ids.push([node.id, typeof node.replicas === "number" && node.replicas > 1 ? node.replicas : 1]);
    else for (const child of node.children) stack.push(child);
  }
  return ids;
}

/** Waits on the clock whatever happens: the part of a stop that does not listen to the signal. */
function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

function createDouble(id: string, behaviour: DoubleBehaviour, clock: Clock) {
  return async (scope: ServiceScope<Record<string, unknown>>) => {
    const { journal } = behaviour;
    if (journal !== undefined) {
      const signal = scope.signal;
      const record = (): void => void journal.push({ id, what: "aborted", reason: signal.reason, at: clock.now() });
      if (signal.aborted) record();
      else signal.addEventListener("abort", record, { once: true });
      for (let n = 1; n <= (behaviour.finalizers ?? 0); n++) {
        scope.defer(() => {
          journal.push({ id, what: "finalizer", n, at: clock.now() });
          if (n === behaviour.throwingFinalizer) throw new Error(`${id}: finalizer ${n} failed (test double)`);
        });
      }
    }
    if (behaviour.hangStart) await never;
    if (behaviour.startMs !== undefined && behaviour.startMs > 0) {
      await scope.sleep(behaviour.startMs);
      if (scope.signal.aborted) throw new Error(`${id}: start cancelled (test double)`);
    }
    if (behaviour.failStart) throw new Error(`${id}: start failed (test double)`);
    if (behaviour.failStop) {
      scope.defer(() => {
        throw new Error(`${id}: stop failed (test double)`);
      });
    }
    const { crashAfterMs, endAfterMs, hangStop, stopMs } = behaviour;
    if (endAfterMs !== undefined) {
      scope.go("loop", async () => {
        await scope.sleep(endAfterMs);
      });
    }
    if (crashAfterMs !== undefined || hangStop || stopMs !== undefined) {
      scope.go("loop", async (signal) => {
        await scope.sleep(crashAfterMs ?? Infinity);
        if (!signal.aborted) throw new Error(`${id}: crashed (test double)`);
        if (hangStop) await never;
        if (stopMs !== undefined) await delay(clock, stopMs);
      });
    }
    return Object.freeze({ id, deps: Object.keys(scope.deps) });
  };
}

/** A start function for every service of the plan; services without a behaviour start and stop at once. */
export function createDoubles(plan: AppPlan, behaviours: Readonly<Record<string, DoubleBehaviour>>, clock: Clock): Bindings {
  const ids = collectServiceIds(plan);
  // A service with replicas takes a behaviour for all its instances (`mailer`) or for one (`mailer#1`).
  const known = new Set(ids.flatMap(([id, n]) => (n > 1 ? [id, ...Array.from({ length: n }, (_, r) => `${id}#${r}`)] : [id])));
  for (const id of Object.keys(behaviours)) {
    if (!known.has(id)) throw new Error(`simulate: a behaviour is given for "${id}", which is not a service of the plan`);
  }
  // Own keys only: a service named `constructor` or `toString` has no behaviour of its own unless given one.
  const behaviourOf = (id: string): DoubleBehaviour => (Object.hasOwn(behaviours, id) ? behaviours[id]! : {});
  return Object.fromEntries(
    ids.map(([id, n]) => {
      if (n === 1) return [id, createDouble(id, behaviourOf(id), clock)];
      const instances = Array.from({ length: n }, (_, r) => createDouble(`${id}#${r}`, Object.hasOwn(behaviours, `${id}#${r}`) ? behaviourOf(`${id}#${r}`) : behaviourOf(id), clock));
      return [id, (scope: ServiceScope<Record<string, unknown>>) => instances[scope.replica]!(scope)];
    }),
  );
}
