import { suite } from "uvu";
import * as assert from "uvu/assert";
import { VirtualClock, realClock } from "../../runtime/host/clock.ts";

const test = suite("runtime/clock");

test("virtual timers fire in time order, ties in the order they were set", async () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push("b@20"), 20);
  clock.setTimeout(() => fired.push("a@10"), 10);
  clock.setTimeout(() => fired.push("c@20"), 20);
  clock.setTimeout(() => fired.push("d@0"), 0);
  await clock.runAll();
  assert.equal(fired, ["d@0", "a@10", "b@20", "c@20"]);
  assert.is(clock.now(), 20);
});

test("advance fires only what is due and moves time to the target", async () => {
  const clock = new VirtualClock();
  const fired: number[] = [];
  for (const ms of [5, 15, 25]) clock.setTimeout(() => fired.push(clock.now()), ms);
  await clock.advance(15);
  assert.equal(fired, [5, 15]);
  assert.is(clock.now(), 15);
  assert.is(clock.nextTimerAt(), 25);
  assert.is(clock.pendingTimers, 1);
  await clock.runUntil(100);
  assert.equal(fired, [5, 15, 25]);
  assert.is(clock.now(), 100);
});

test("promise chains settle between firings, so awaited timers set at the same time still fire", async () => {
  const clock = new VirtualClock();
  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  const log: string[] = [];
  void (async () => {
    await sleep(10);
    await Promise.resolve();
    await Promise.resolve();
    log.push(`first at ${clock.now()}`);
    await sleep(0);
    log.push(`second at ${clock.now()}`);
    await sleep(5);
    log.push(`third at ${clock.now()}`);
  })();
  clock.setTimeout(() => log.push(`other at ${clock.now()}`), 12);
  await clock.advance(20);
  assert.equal(log, ["first at 10", "second at 10", "other at 12", "third at 15"]);
});

test("a cleared timer never fires and no longer counts", async () => {
  const clock = new VirtualClock();
  let fired = false;
  const timer = clock.setTimeout(() => (fired = true), 10);
  clock.clearTimeout(timer);
  clock.clearTimeout(timer);
  assert.is(clock.pendingTimers, 0);
  assert.is(clock.nextTimerAt(), undefined);
  await clock.runAll();
  assert.not.ok(fired);
});

test("many set-and-clear cycles keep the heap small and the order right", async () => {
  const clock = new VirtualClock();
  const fired: number[] = [];
  for (let i = 0; i < 10_000; i++) clock.clearTimeout(clock.setTimeout(() => fired.push(-1), 1000 + i));
  clock.setTimeout(() => fired.push(clock.now()), 3);
  assert.is(clock.pendingTimers, 1);
  await clock.runAll();
  assert.equal(fired, [3]);
});

test("runAll stops with an error on a timer that keeps re-arming itself", async () => {
  const clock = new VirtualClock();
  const rearm = (): void => void clock.setTimeout(rearm, 0);
  rearm();
  try {
    await clock.runAll({ maxTimers: 1000 });
    assert.unreachable("runAll should have thrown");
  } catch (error) {
    assert.match(String(error), /more than 1000 timers fired/);
  }
});

test("the real clock fires, clears, and never fires a very long timer early", async () => {
  let fired = 0;
  await new Promise<void>((resolve) => realClock.setTimeout(() => ((fired += 1), resolve()), 2));
  const cleared = realClock.setTimeout(() => (fired += 10), 1);
  realClock.clearTimeout(cleared);
  // Node would clamp a delay above 2^31-1 ms to 1 ms; the real clock re-arms in steps instead.
  const far = realClock.setTimeout(() => (fired += 100), 2 ** 31 + 5000);
  await new Promise((resolve) => setTimeout(resolve, 15));
  realClock.clearTimeout(far);
  assert.is(fired, 1);
  const t0 = realClock.now();
  assert.ok(realClock.now() >= t0);
});

test.run();
