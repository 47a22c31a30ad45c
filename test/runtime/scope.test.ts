import { suite } from "uvu";
import * as assert from "uvu/assert";
import { VirtualClock, flushMicrotasks } from "../../runtime/host/clock.ts";
import { Scope, type ScopeHooks } from "../../runtime/engine/scope.ts";
import type { ShutdownReason } from "../../runtime/api/types.ts";

const test = suite("runtime/scope");

const SIGTERM: ShutdownReason = { kind: "signal", signal: "SIGTERM" };

function createRoot(hooks: Partial<ScopeHooks> = {}, clock = new VirtualClock()): Scope {
  return Scope.createRoot("svc", { clock, ...hooks });
}

/** Counts AbortControllers constructed while `fn` runs. */
async function countControllers(fn: () => unknown): Promise<number> {
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    await fn();
  } finally {
    globalThis.AbortController = Original;
  }
  return made;
}

test("no AbortController exists until someone reads .signal; a late read is aborted with the reason", async () => {
  const root = createRoot();
  const children = Array.from({ length: 1000 }, (_, i) => root.child(`c${i}`));
  const made = await countControllers(() => root.cancel(SIGTERM));
  assert.is(made, 0);
  assert.ok(children.every((c) => c.cancelled && c.reason === SIGTERM));
  const late = await countControllers(() => {
    assert.ok(children[7]!.signal.aborted);
    assert.is(children[7]!.signal.reason, SIGTERM);
  });
  assert.is(late, 1);
});

test("the first reason wins, and the whole subtree gets it", () => {
  const root = createRoot();
  const child = root.child("a").child("b");
  const signal = child.signal;
  root.cancel(SIGTERM);
  root.cancel({ kind: "restart-limit", supervisor: "" });
  assert.is(signal.reason, SIGTERM);
  const born = root.child("late");
  assert.ok(born.cancelled, "a child of a cancelled scope is born cancelled");
  assert.is(born.signal.reason, SIGTERM);
});

test("cancelling a 100,000-deep chain, signals read and listened to along it, does not overflow", () => {
  const root = createRoot();
  let deepest = root;
  let heard = 0;
  for (let i = 0; i < 100_000; i++) {
    deepest = deepest.child("c");
    // Every 10th level: an AbortController costs microseconds, and 10,000 of them prove the point.
    if (i % 10 === 9) deepest.signal.addEventListener("abort", () => heard++);
  }
  root.cancel(SIGTERM);
  assert.is(heard, 10_000);
  assert.ok(deepest.signal.aborted);
  assert.is(deepest.signal.reason, SIGTERM);
});

test("closing a 100,000-deep chain does not overflow and runs the deepest finalizer first", async () => {
  const root = createRoot();
  const order: number[] = [];
  let scope = root;
  for (let i = 0; i < 100_000; i++) {
    scope = scope.child("c");
    if (i === 0 || i === 99_999) {
      const at = i;
      scope.defer(() => void order.push(at));
    }
  }
  await root.close();
  assert.equal(order, [99_999, 0]);
  assert.is(root.childCount, 0);
});

test("100,000 short-lived children under one long-lived scope leave its Set empty", async () => {
  const root = createRoot();
  let finalized = 0;
  for (let i = 0; i < 100_000; i++) {
    const child = root.child("request");
    if (i % 10 === 0) void child.signal;
    child.defer(() => void finalized++);
    await child.close();
  }
  assert.is(root.childCount, 0);
  assert.is(finalized, 100_000);
  assert.not.ok(root.cancelled, "closing children leaves the parent alone");
});

test("the id is the owner's id plus child names", () => {
  const root = createRoot();
  assert.is(root.child("request").child("db").id, "svc/request/db");
});

test("finalizers run in reverse order, each awaited before the next", async () => {
  const clock = new VirtualClock();
  const root = createRoot({}, clock);
  const order: string[] = [];
  root.defer(() => void order.push("first registered"));
  root.defer(async () => {
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
    order.push("second registered (slow)");
  });
  root.defer(() => void order.push("third registered"));
  const closing = root.close();
  await clock.runAll();
  await closing;
  assert.equal(order, ["third registered", "second registered (slow)", "first registered"]);
});

test("every finalizer runs even when some throw; close rejects with all their errors in order", async () => {
  const root = createRoot();
  const ran: number[] = [];
  root.defer(() => void ran.push(1));
  root.defer(() => {
    ran.push(2);
    throw new Error("two");
  });
  root.defer(async () => {
    ran.push(3);
    throw new Error("three");
  });
  const error = await root.close().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof AggregateError);
  assert.equal(
    (error as AggregateError).errors.map((e: Error) => e.message),
    ["three", "two"],
  );
  assert.equal(ran, [3, 2, 1]);
});

test("close runs finalizers at most once, and every caller gets the same errors", async () => {
  const root = createRoot();
  let runs = 0;
  root.defer(() => {
    runs++;
    throw new Error("once");
  });
  const [a, b] = await Promise.all([root.closeAndCollect(), root.closeAndCollect()]);
  assert.is(runs, 1);
  assert.is(a, b);
  assert.is(a.length, 1);
  await root.closeAndCollect();
  assert.is(runs, 1);
});

test("a finalizer registered while finalizing runs next; one registered after close runs at once", async () => {
  const lateErrors: unknown[] = [];
  const root = createRoot({ lateError: (_s, e) => void lateErrors.push(e) });
  const order: string[] = [];
  root.defer(() => void order.push("outer"));
  root.defer(() => {
    order.push("inner");
    root.defer(() => void order.push("registered while finalizing"));
  });
  await root.close();
  assert.equal(order, ["inner", "registered while finalizing", "outer"]);
  root.defer(() => {
    order.push("after close");
    throw new Error("late");
  });
  await flushMicrotasks();
  assert.is(order.at(-1), "after close");
  assert.equal(
    lateErrors.map((e) => (e as Error).message),
    ["late"],
  );
});

test("close waits for tasks, which receive the scope's signal", async () => {
  const clock = new VirtualClock();
  const root = createRoot({}, clock);
  const seen: (ShutdownReason | undefined)[] = [];
  let finished = false;
  root.go("loop", async (signal) => {
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
    seen.push(signal.reason);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 50));
    finished = true;
  });
  root.defer(() => assert.ok(finished, "finalizers run after the tasks"));
  root.cancel(SIGTERM);
  const closing = root.close();
  await clock.advance(49);
  assert.not.ok(finished);
  assert.equal(
    root.pendingTasks().map((t) => t.name),
    ["loop"],
  );
  await clock.advance(1);
  await closing;
  assert.ok(finished);
  assert.equal(seen, [SIGTERM]);
});

test("pending tasks name where they were started", () => {
  const root = createRoot();
  root.go("loop", () => new Promise(() => {}));
  const [task] = root.child("request").pendingTasks().concat(root.pendingTasks());
  assert.is(task!.name, "loop");
  assert.is(task!.scope, "svc");
  assert.match(task!.startedAt ?? "", /scope\.test\.ts/);
});

test("a task rejecting while live goes to the owner's hook, with its name", async () => {
  const failures: [string, string, unknown][] = [];
  const root = createRoot({ taskFailed: (s, name, e) => void failures.push([s.id, name, e]) });
  const boom = new Error("boom");
  root.child("job").go("work", async () => {
    throw boom;
  });
  root.go("sync", () => {
    throw boom;
  });
  await flushMicrotasks();
  assert.equal(failures, [
    ["svc/job", "work", boom],
    ["svc", "sync", boom],
  ]);
  assert.not.ok(root.cancelled, "the owner decides what a failure means");
});

test("without a hook, a failing task cancels its scope (errgroup) and close reports the error", async () => {
  const root = createRoot();
  const boom = new Error("boom");
  root.go("bad", async () => {
    throw boom;
  });
  await flushMicrotasks();
  assert.ok(root.cancelled);
  assert.equal(root.reason, { kind: "sibling-failed", service: "svc", error: boom });
  assert.equal(await root.closeAndCollect(), [boom]);
});

test("after cancellation, an abort-shaped rejection is clean and anything else is a stop error", async () => {
  const returned: string[] = [];
  const root = createRoot({ taskFailed: () => assert.unreachable("not a crash once cancelled"), taskReturned: (_s, n) => void returned.push(n) });
  const wrong = new Error("socket closed badly");
  root.go("reason", (signal) => new Promise((_r, reject) => signal.addEventListener("abort", () => reject(signal.reason))));
  root.go("abort-error", (signal) =>
    new Promise((_r, reject) => signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })))),
  );
  root.go("other", (signal) => new Promise((_r, reject) => signal.addEventListener("abort", () => reject(wrong))));
  root.go("returns", (signal) => new Promise((resolve) => signal.addEventListener("abort", () => resolve(undefined))));
  assert.equal(await root.closeAndCollect(SIGTERM), [wrong]);
  assert.equal(returned, [], "a task returning after cancellation is not an end");
});

test("a task returning while live is reported; go after close throws", async () => {
  const returned: string[] = [];
  const root = createRoot({ taskReturned: (_s, n) => void returned.push(n) });
  root.go("once", () => 42);
  await flushMicrotasks();
  assert.equal(returned, ["once"]);
  await root.close();
  assert.throws(() => root.go("late", () => {}), /cannot start task "late": the scope has closed/);
  assert.throws(() => root.child("late"), /cannot create scope "late"/);
});

test("sleep waits on the clock, ends early on cancel and clears its timer", async () => {
  const clock = new VirtualClock();
  const root = createRoot({}, clock);
  let woke = -1;
  void root.sleep(100).then(() => (woke = clock.now()));
  await clock.advance(99);
  assert.is(woke, -1);
  await clock.advance(1);
  assert.is(woke, 100);

  woke = -1;
  void root.child("c").sleep(1000).then(() => (woke = clock.now()));
  void root.sleep(Infinity);
  await clock.advance(10);
  assert.is(clock.pendingTimers, 1);
  root.cancel(SIGTERM);
  await flushMicrotasks();
  assert.is(woke, 110);
  assert.is(clock.pendingTimers, 0, "the timer was cleared");
  const started = clock.now();
  await root.sleep(5000);
  assert.is(clock.now(), started, "sleeping in a cancelled scope returns at once");
});

test("close without a reason cancels with { kind: parent } and closes the children too", async () => {
  const root = createRoot();
  const child = root.child("c");
  const reasons: unknown[] = [];
  child.go("t", (signal) => new Promise((resolve) => signal.addEventListener("abort", () => resolve(reasons.push(signal.reason)))));
  await root.close();
  assert.equal(reasons, [{ kind: "parent", path: "svc" }]);
  assert.ok(child.closed);
  assert.is(root.childCount, 0);
});

test.run();
