// `simulate` runs a plan against test doubles on a virtual clock until it exits. A 30 s grace
// period is simulated in milliseconds of real time, and the same inputs always give the same events.
import { flushMicrotasks, VirtualClock } from "../host/clock.ts";
import type { RunResult, RuntimeEvent, RuntimeEventType, ShutdownReport } from "../api/events.ts";
import type { AppPlan } from "../api/plan.ts";
import { runApp } from "../main/run-app.ts";
import { createTestHost } from "./test-host.ts";
import { createDoubles, type DoubleBehaviour } from "./doubles.ts";

export interface SimulateOptions {
  /** By service id; a service without one starts and stops at once. */
  readonly doubles?: Readonly<Record<string, DoubleBehaviour>> | undefined;
  /** Sent once the whole tree has started, or at `signalAtMs` when given. */
  readonly signal?: string | undefined;
  readonly signalAtMs?: number | undefined;
  /** Sent this long after the first signal. */
  readonly secondSignal?: { readonly signal: string; readonly afterMs: number } | undefined;
  /** Safety stop: fail if the app is still running after this much virtual time. Default: 1 day. */
  readonly maxVirtualMs?: number | undefined;
  /**
   * Sent once the whole tree has started, before `signal` (which then follows once the reload is
   * done, unless `signalAtMs` is given); every service gets a reload that returns at once.
   */
  readonly reloadSignal?: string | undefined;
  /** Jitter of restart backoff, in [0, 1). Default: always 0.5, so delays are the same every run. */
  readonly random?: (() => number) | undefined;
}

export interface Simulation {
  readonly exitCode: number;
  readonly events: readonly RuntimeEvent[];
  readonly report: ShutdownReport;
  /** The lifecycle log, as it would have been written to stderr. */
  readonly logs: readonly string[];
  /** When the first event of that type for that id happened, or undefined if it never did. */
  at(type: RuntimeEventType, id: string): number | undefined;
  /** The ids of every event of that type, in order (repeats included). */
  order(type: RuntimeEventType): string[];
  /** Index in `events` of the first event of that type for that id, or -1: orders same-time events. */
  position(type: RuntimeEventType, id: string): number;
  /** When the first event of that type happened, whatever its id ("signal", "exit"), or undefined. */
  firstAt(type: RuntimeEventType): number | undefined;
}

/** Runs `plan` with test doubles on a virtual clock until it exits. */
export async function simulate(plan: AppPlan, options: SimulateOptions = {}): Promise<Simulation> {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const events: RuntimeEvent[] = [];
  const maxVirtualMs = options.maxVirtualMs ?? 86_400_000;
  const { signal, signalAtMs, secondSignal } = options;
  let signalled = false;
  const sendFirstSignal = (): void => {
    if (signal === undefined || signalled) return;
    signalled = true;
    host.sendSignal(signal);
    if (secondSignal !== undefined) clock.setTimeout(() => host.sendSignal(secondSignal.signal), secondSignal.afterMs);
  };
  if (signal !== undefined && signalAtMs !== undefined) clock.setTimeout(sendFirstSignal, signalAtMs);

  const onEvent = (event: RuntimeEvent): void => {
    events.push(event);
    // Through the clock, so the signal arrives after the event has been fully handled.
    const reloadFirst = options.reloadSignal !== undefined;
    if (event.type === "started" && event.id === "" && reloadFirst) clock.setTimeout(() => host.sendSignal(options.reloadSignal!), 0);
    const ready = reloadFirst ? event.type === "reload-finished" : event.type === "started" && event.id === "";
    if (ready && signalAtMs === undefined) clock.setTimeout(sendFirstSignal, 0);
  };
  const bindings = createDoubles(plan, options.doubles ?? {}, clock);
  let result: RunResult | undefined;
  let failure: { error: unknown } | undefined;
  const reloads = options.reloadSignal !== undefined ? Object.fromEntries(Object.keys(bindings).map((id) => [id, { reload: () => {} }])) : {};
  runApp(plan, bindings, { host, onEvent, log: "text", random: options.random ?? (() => 0.5), reloads }).then(
    (r) => (result = r),
    (error: unknown) => (failure = { error }),
  );
  await flushMicrotasks();
  while (result === undefined && failure === undefined) {
    const next = clock.nextTimerAt();
    if (next === undefined) throw new Error(`simulate: stalled at ${clock.now()}ms: nothing is scheduled and the app has not exited (still up: ${listUp(events)})`);
    if (next > maxVirtualMs) throw new Error(`simulate: the app was still running after ${maxVirtualMs}ms of virtual time (still up: ${listUp(events)})`);
    await clock.fireNext();
  }
  if (failure !== undefined) throw failure.error;
  const { exitCode, report } = result!;
  return {
    exitCode,
    events,
    report,
    logs: host.logs,
    at: (type, id) => events.find((e) => e.type === type && e.id === id)?.at,
    order: (type) => events.filter((e) => e.type === type).map((e) => e.id),
    position: (type, id) => events.findIndex((e) => e.type === type && e.id === id),
    firstAt: (type) => events.find((e) => e.type === type)?.at,
  };
}

/** Services whose last event leaves them up, for a stall message. */
function listUp(events: readonly RuntimeEvent[]): string {
  const last = new Map<string, RuntimeEventType>();
  for (const e of events) if (e.id !== "") last.set(e.id, e.type);
  const up = [...last].filter(([, type]) => type === "starting" || type === "started" || type === "stopping").map(([id]) => id);
  return up.length > 0 ? up.join(", ") : "none";
}
