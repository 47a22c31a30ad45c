// The engine: starts the tree, listens for signals, runs restarts, and shuts down in order within
// the grace period. Its parts live next to it: ordered passes (start-nodes.ts, stop-nodes.ts),
// one service incarnation (service-instance.ts), restarts (restart.ts), the report (report.ts).
//
// Shutdown has one path whatever its cause (first signal, failed start, restart limit at the
// root, fatal error): halt the starts in flight, drop pending restarts, stop the whole tree in
// stop order, and give up on whatever is left when the grace period runs out. A second signal
// ends the run at once.
//
// With a drain (`drainMs` in the plan), the first signal of a started app does not stop it yet:
// readiness fails at once, services keep running (and restarting) for the drain, then the one
// path above runs. The grace counts from the signal, so it covers the drain; a second signal
// during the drain ends the run at once, and a failure during it stops at once.
import { findAttributed } from "./attribution.ts";
import type { EventInput, ReadinessCause, ReadinessReport, RunResult, RuntimeEvent, ShutdownReport } from "../api/events.ts";
import type { Host } from "../host/host.ts";
import { countResources, findLeftOpen, withoutOwn } from "./leaks.ts";
import type { LifecycleLog } from "../logs/log.ts";
import type { NodeRt } from "./node-state.ts";
import type { PlanIndex } from "./plan-index.ts";
import { buildReport } from "./report.ts";
import { RestartQueue, type RestartOwner } from "./restart.ts";
import { ReloadQueue } from "./reload.ts";
import type { ServiceInstance } from "./service-instance.ts";
import type { DepsSnapshot } from "./service-scope.ts";
import { findHandle } from "./plan-links.ts";
import { computeSignalExitCode, installSignalHandlers } from "../host/signals.ts";
import { startNodes, type StartOptions, type StartResult, type StartRun } from "./start-nodes.ts";
import { abandonLiveServices, stopNodes, type StopRun } from "./stop-nodes.ts";
import type { Clock, ShutdownReason } from "../api/types.ts";
import type { Watchdog, WatchdogSettings, WatchdogVerdict } from "../host/watchdog.ts";
import { createWatchdogClient, type WatchdogOwner } from "./watchdog-client.ts";

export interface EngineOptions {
  readonly onEvent?: ((event: RuntimeEvent) => void) | undefined;
  readonly log?: LifecycleLog | undefined;
  /** Jitter of restart delays; Math.random unless a test makes it deterministic. */
  readonly random?: (() => number) | undefined;
  /** Attribute uncaught errors to services; default: when the host reports them. */
  readonly attributeErrors?: boolean | undefined;
  /** The watchdog's settings, or false for none; on by default when the host has one. */
  readonly watchdog?: WatchdogSettings | false | undefined;
  /** The log format, for the lines the watchdog writes on its own. */
  readonly json?: boolean | undefined;
}

export class AppSupervisor implements RestartOwner, WatchdogOwner {
  readonly clock: Clock;
  /** Only a host that reports uncaught errors needs them attributed (see attribution.ts). */
  readonly attributesErrors: boolean;
  shuttingDown = false;
  #finished = false;
  #t0 = 0;
  #cause: ShutdownReason | undefined;
  #forcedBy: string | undefined;
  /** Something went wrong during the shutdown: exit 1 even after a signal. */
  #problem = false;
  readonly #timers = new Set<() => void>();
  readonly #startRuns = new Set<StartRun>();
  #shutdown: StopRun | undefined;
  readonly #restarts = new RestartQueue(this);
  readonly #reloads = new ReloadQueue(this);
  readonly #cleanups: (() => void)[] = [];
  /** The process's open resources before the start, by type, when the host can list them. */
  #resourcesBefore: ReadonlyMap<string, number> | undefined;
  /** Restart delays in progress: a shutdown ends them at once. */
  readonly #waits = new Set<() => void>();
  #resolve!: (result: RunResult) => void;
  #watchdog: Watchdog | undefined;
  /** Set when the watchdog ended the run. */
  #blocked: ShutdownReport["blocked"];
  /** Readiness is reported (events, report) only for a plan with health endpoints or a drain. */
  readonly #reportsReadiness: boolean;
  #ready = false;
  #readyAtMs: number | undefined;
  #notReadyAtMs: number | undefined;
  #drainStartedAt: number | undefined;
  #drainedMs: number | undefined;
  /** Cancels the drain's timer; set while draining. */
  #endDrain: (() => void) | undefined;
  #graceStarted = false;

  constructor(
    readonly index: PlanIndex,
    readonly host: Host,
    readonly options: EngineOptions,
  ) {
    this.clock = host.clock;
    this.attributesErrors = host.onFatal !== undefined && options.attributeErrors !== false;
    this.#reportsReadiness = index.plan.health !== undefined || (index.plan.drainMs ?? 0) > 0;
  }

  run(): Promise<RunResult> {
    const result = new Promise<RunResult>((resolve) => (this.#resolve = resolve));
    this.#t0 = this.clock.now();
    // Before the resources are counted: its thread and timer are the runtime's, not a service's.
    this.#startWatchdog();
    // Before the runtime installs anything of its own, so only the services' resources differ later.
    if (this.host.activeResources) this.#resourcesBefore = countResources(this.host.activeResources());
    // Handlers first: a signal during startup must stop what has started.
    this.#cleanups.push(installSignalHandlers(this.host, this.index.plan.signals, (signal) => this.#onSignal(signal)));
    const reloadSignal = this.index.plan.reloadSignal;
    if (reloadSignal !== undefined) this.#cleanups.push(this.host.onSignal(reloadSignal, () => this.#onReloadSignal(reloadSignal)));
    if (this.host.onFatal) this.#cleanups.push(this.host.onFatal((error, origin) => this.#onUncaught(error, origin)));
    if (this.host.keepAlive) this.#cleanups.push(this.host.keepAlive());
    void this.startNodes([this.index.root], { onFailure: (failure) => this.beginShutdown(failure.reason) }).then((outcome) => {
      if (outcome.kind === "started") {
        this.#restarts.release();
        this.#reloads.release();
      }
      this.#watchdog?.running();
    });
    return result;
  }

  emit(input: EventInput, now?: number): void {
    if (this.#finished) return;
    this.#deliver(input, now);
    // Ready as the last service's start completes the app's, before anything else can happen.
    // Never again once draining: a restart completing during the drain does not make the app ready.
    if (input.type === "started" && input.id === "" && !this.shuttingDown && this.#drainStartedAt === undefined) this.#setReady(true, "started");
  }

  setTimer(ms: number, fn: () => void): () => void {
    // After the run, nothing may keep the process alive or act on a finished report.
    if (this.#finished) return () => {};
    const timer = this.clock.setTimeout(() => {
      this.#timers.delete(cancel);
      fn();
    }, ms);
    const cancel = (): void => {
      if (this.#timers.delete(cancel)) this.clock.clearTimeout(timer);
    };
    this.#timers.add(cancel);
    return cancel;
  }

  startNodes(roots: readonly NodeRt[], options?: StartOptions): Promise<StartResult> {
    const run = startNodes(this, roots, options);
    this.#startRuns.add(run);
    return run.done.finally(() => this.#startRuns.delete(run));
  }

  snapshotDeps(node: NodeRt): DepsSnapshot | undefined {
    const needs = node.deps?.keys ?? node.plan.needs;
    if (needs.length === 0) return undefined;
    const targets = node.deps?.targets ?? node.needTargets;
    const handles = new Array<unknown>(targets.length);
    for (let i = 0; i < targets.length; i++) handles[i] = findHandle(targets[i]!);
    return { keys: needs, handles };
  }

  readonly writeServiceLog = (id: string, message: string): void => this.options.log?.service(id, message);

  serviceEnded(instance: ServiceInstance, failure: boolean, error: unknown): void {
    if (this.shuttingDown) {
      if (failure) this.noteProblem();
      return;
    }
    this.#restarts.push({ instance, failure, error, at: this.clock.now() });
  }

  random(): number {
    return (this.options.random ?? Math.random)();
  }

  waitUnlessShutdown(ms: number): Promise<void> {
    if (this.shuttingDown) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#waits.delete(done);
        cancel();
        resolve();
      };
      const cancel = this.setTimer(ms, done);
      this.#waits.add(done);
    });
  }

  noteProblem(): void {
    if (this.shuttingDown) this.#problem = true;
  }

  noteLateErrors(node: NodeRt, errors: readonly unknown[], when: string): void {
    node.recordErrors(errors);
    this.noteProblem();
    this.options.log?.lateErrors(node.id, errors, when);
  }

  internalError(error: unknown): void {
    this.#onFatal(error, "internal error in the supervise runtime");
  }

  beginShutdown(reason: ShutdownReason): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.#cause = reason;
    if (this.#drainStartedAt !== undefined) this.#drainedMs = this.clock.now() - this.#drainStartedAt;
    this.#endDrain?.();
    this.#endDrain = undefined;
    this.#setReady(false, reason.kind === "signal" ? "signal" : "shutdown");
    this.#restarts.clear();
    for (const wake of [...this.#waits]) wake();
    for (const run of this.#startRuns) run.halt(reason);
    this.#startGrace();
    this.#shutdown = stopNodes(this, [this.index.root], reason);
    void this.#shutdown.done.then(() => this.#finish());
  }

  /** The grace counts from the first signal (the start of a drain) or the start of the shutdown. */
  #startGrace(): void {
    if (this.#graceStarted) return;
    this.#graceStarted = true;
    const graceMs = this.index.plan.graceMs;
    if (graceMs !== Infinity) this.setTimer(graceMs, () => this.#expireGrace(graceMs));
    this.#watchdog?.stopping(graceMs);
  }

  #setReady(ready: boolean, cause: ReadinessCause): void {
    if (!this.#reportsReadiness || this.#ready === ready) return;
    this.#ready = ready;
    const at = this.clock.now();
    if (ready) this.#readyAtMs = at - this.#t0;
    else this.#notReadyAtMs = at - this.#t0;
    this.emit({ type: "readiness", id: "", ready, cause }, at);
  }

  #onSignal(signal: string): void {
    if (this.#finished) return;
    this.#watchdog?.signalHandled();
    this.emit({ type: "signal", id: "", signal });
    if (this.shuttingDown || this.#endDrain !== undefined) {
      this.#forcedBy = signal;
      this.#finish();
      return;
    }
    const drainMs = this.index.plan.drainMs ?? 0;
    // An app that never was ready had no traffic to drain.
    if (drainMs > 0 && this.#ready) this.#beginDrain(signal, drainMs);
    else this.beginShutdown({ kind: "signal", signal });
  }

  #beginDrain(signal: string, drainMs: number): void {
    this.#drainStartedAt = this.clock.now();
    this.#setReady(false, "signal");
    this.emit({ type: "draining", id: "", signal, drainMs });
    this.#startGrace();
    this.#endDrain = this.setTimer(drainMs, () => {
      this.#endDrain = undefined;
      this.beginShutdown({ kind: "signal", signal });
    });
  }

  #readinessReport(): { readiness?: ReadinessReport } {
    if (!this.#reportsReadiness) return {};
    return { readiness: { readyAtMs: this.#readyAtMs, notReadyAtMs: this.#notReadyAtMs, drainedMs: this.#drainedMs } };
  }

  #onReloadSignal(signal: string): void {
    // Draining or stopping: the app is on its way out, nothing is worth reloading.
    if (this.#finished || this.shuttingDown || this.#endDrain !== undefined) return;
    this.#reloads.request(signal);
  }

  #onUncaught(error: unknown, origin: string): void {
    if (this.#finished) return;
    // Raised from a service's code (its context survives into its timers, callbacks and
    // promises): that service crashed, and its supervisor's policy applies.
    const owner = findAttributed();
    if (owner !== undefined) {
      // Another app's service (several apps in one process): that app's handler takes it.
      if (owner.owner === this) owner.uncaughtError(error, origin);
      return;
    }
    this.#onFatal(error, origin);
  }

  /** An error nobody can be blamed for, or a bug in the runtime: report it and shut down, exit 1. */
  #onFatal(error: unknown, origin: string): void {
    if (this.#finished) return;
    this.index.root.recordErrors([error]);
    this.options.log?.fatal(error, origin);
    this.#problem = true;
    this.beginShutdown({ kind: "sibling-failed", service: "", error });
  }

  #expireGrace(graceMs: number): void {
    if (this.#finished) return;
    this.#problem = true;
    const reason: ShutdownReason = { kind: "timeout", service: "", budgetMs: graceMs };
    const pending: string[] = [];
    abandonLiveServices(this.#shutdown!, this.index.root, { budgetMs: graceMs, budget: { kind: "grace" }, reason }, pending);
    this.emit({ type: "abandoned", id: "", budgetMs: graceMs, budget: { kind: "grace" }, pendingTasks: pending, pendingFinalizers: 0 });
    this.#finish();
  }

  /** The watchdog's verdict, from inside the code that blocks the loop: report now, synchronously. */
  concludeBlocked(verdict: WatchdogVerdict, service: string): number {
    if (this.#finished) return this.#computeExitCode();
    if (verdict.kind === "forced") this.#forcedBy = verdict.signal;
    else {
      this.#problem = true;
      this.#blocked = { verdict: verdict.kind, service, budgetMs: verdict.kind === "grace" ? verdict.graceMs : verdict.startTimeoutMs };
    }
    // What the grace timer would have done: the report then lists what each service still ran.
    if (verdict.kind === "grace" && this.#shutdown !== undefined) {
      const { graceMs } = verdict;
      const reason: ShutdownReason = { kind: "timeout", service: "", budgetMs: graceMs };
      abandonLiveServices(this.#shutdown, this.index.root, { budgetMs: graceMs, budget: { kind: "grace" }, reason }, []);
    }
    this.#finish(true);
    return this.#computeExitCode();
  }

  /** The signal that started the shutdown, if one did. */
  get shutdownSignal(): string | undefined {
    return this.#cause?.kind === "signal" ? this.#cause.signal : undefined;
  }

  #startWatchdog(): void {
    const settings = this.options.watchdog;
    if (settings === false || this.host.startWatchdog === undefined) return;
    const { plan } = this.index;
    const config = { ...settings, app: plan.name, json: this.options.json === true, signals: plan.signals, graceMs: plan.graceMs };
    this.#watchdog = this.host.startWatchdog(config, createWatchdogClient(this));
    if (this.#watchdog === undefined) return;
    let startBudget = 0;
    for (const node of this.index.nodes) if (node.isService) startBudget = Math.max(startBudget, node.service.startTimeoutMs);
    this.#watchdog.starting(startBudget);
    const watchdog = this.#watchdog;
    this.#cleanups.push(() => watchdog.close());
  }

  /** `now`: the watchdog's verdict, in the blocking code: the report cannot wait for the loop. */
  #finish(now = false): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const cancel of [...this.#timers]) cancel();
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
    const exitCode = this.#computeExitCode();
    const report = buildReport(this.index, {
      exitCode,
      cause: this.#cause,
      forcedBy: this.#forcedBy,
      durationMs: this.clock.now() - this.#t0,
      leftOpen: undefined,
      blocked: this.#blocked,
      ...this.#readinessReport(),
    });
    const before = this.#resourcesBefore;
    if (before === undefined || now) this.#report(report);
    // A handle closed by a finalizer (a server, a destroyed socket) is released in the event
    // loop's close phase, which comes after the check phase of setImmediate: wait for the check
    // phase of the next turn, so that only what is still open is reported as left open.
    else setImmediate(() => setImmediate(() => this.#report({ ...report, leftOpen: this.#findLeftOpen(before) })));
  }

  /** The watchdog's thread may still be closing (it is not awaited): its port is not a service's. */
  #findLeftOpen(before: ReadonlyMap<string, number>): Record<string, number> {
    return findLeftOpen(before, withoutOwn(this.host.activeResources!(), this.#watchdog?.resources ?? []));
  }

  #report(report: ShutdownReport): void {
    this.#deliver({ type: "exit", id: "", code: report.exitCode, cause: this.#cause });
    this.options.log?.summary(report);
    this.#resolve({ exitCode: report.exitCode, report });
  }

  #computeExitCode(): number {
    if (this.#forcedBy !== undefined) return computeSignalExitCode(this.#forcedBy);
    if (this.#cause?.kind !== "signal") return 1;
    return this.#problem ? 1 : 0;
  }

  /** `now`: the clock's time if the caller has just read it (a clock read per event adds up at 10k services). */
  #deliver(input: EventInput, now = this.clock.now()): void {
    // Events are fresh literals made for this call: stamping them costs less than copying them.
    (input as { at?: number }).at = now - this.#t0;
    const event = input as RuntimeEvent;
    try {
      this.options.onEvent?.(event);
    } catch (error) {
      // A broken observer must not break the lifecycle; say so once per event.
      this.options.log?.lateErrors(event.id, [error], `in the onEvent callback (${event.type})`);
    }
    this.options.log?.event(event);
  }
}
