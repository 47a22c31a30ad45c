// The child process of the services suite, forked by service-cases.ts, which sends it services to
// run one after the other. For each it runs the service's real module on the real clock, with its
// real dependencies started first (or the doubles of the fixtures module), stops it with the
// spec's first signal, and answers with everything the suite judges: its report, its tasks and
// finalizers, what it left open and who opened it (attribution tells one service's leftovers from
// the next one's). A process apart from the test runner because a service that starves the event
// loop must not take the test runner with it: the test kills this one instead.
import { realClock } from "../host/clock.ts";
import { realHost, type Host } from "../host/host.ts";
import { findAttributed } from "../engine/attribution.ts";
import { describeResourceType, trackResourceOwners, type OwnedResource, type ResourceOwners } from "../engine/resource-owners.ts";
import { runApp } from "../main/run-app.ts";
import { bindProcess } from "../process/process-service.ts";
import type { RuntimeEvent, ShutdownReport } from "../api/events.ts";
import type { AppPlan, NodePlan, ServicePlan } from "../api/plan.ts";
import type { ServiceScope, ShutdownReason } from "../api/types.ts";
import { ScopeProbe, watchAbortControllers, watchProcessListeners } from "./service-probes.ts";
import { collectNeeded, indexPlanNodes, toErrorInfo, type ErrorInfo, type ResourceInfo, type RunnerMessage, type RunnerRequest, type RunnerResult } from "./service-suite.ts";

/** How long closes already begun (a server's, a socket's) may take to finish before what is open counts. */
const SETTLE_TURNS = 10;
/** Turns waited even when nothing is open: a floating promise may reject just after the stop. */
const MIN_SETTLE_TURNS = 2;
const SETTLE_TURN_MS = 20;
const TICK_MS = 200;

type StartFn = (scope: ServiceScope<Record<string, unknown>>) => unknown;

function send(message: RunnerMessage, then?: () => void): void {
  process.send!(message, undefined, {}, then === undefined ? undefined : () => then());
}

/** Every service node of the plan, by id. */
function indexServices(plan: AppPlan): Map<string, ServicePlan> {
  const services = new Map<string, ServicePlan>();
  for (const [id, node] of indexPlanNodes(plan).byId) if (node.kind === "service") services.set(id, node);
  return services;
}

async function loadFixtureDeps(request: RunnerRequest): Promise<Record<string, unknown> | undefined> {
  if (request.fixturesUrl === undefined) return undefined;
  const loaded = (await import(request.fixturesUrl)) as { fixtures?: unknown };
  const fixtures = loaded.fixtures;
  if (typeof fixtures !== "object" || fixtures === null) throw new Error(`${request.fixturesUrl}: expected an exported object \`fixtures\` (export const fixtures = { ... } satisfies ServiceFixtures)`);
  if (!Object.hasOwn(fixtures, request.service)) return undefined;
  const make: unknown = Object.getOwnPropertyDescriptor(fixtures, request.service)?.value;
  if (typeof make !== "function") throw new Error(`fixtures["${request.service}"] must be a function returning the service's deps`);
  const deps: unknown = await make();
  if (typeof deps !== "object" || deps === null) throw new Error(`fixtures["${request.service}"]() must return an object of deps`);
  return deps as Record<string, unknown>;
}

async function bindServices(request: RunnerRequest, probe: { current: ScopeProbe }, fixtureDeps: Record<string, unknown> | undefined): Promise<Record<string, StartFn>> {
  const { plan, service } = request;
  const real = fixtureDeps === undefined ? collectNeeded(plan, service) : new Set<string>();
  real.add(service);
  // Entries, then one record: a service may be called "__proto__".
  const bindings: [string, StartFn][] = [];
  for (const [id, node] of indexServices(plan)) {
    if (!real.has(id)) {
      bindings.push([id, () => undefined]); // not needed by the service under test: a stand-in that holds nothing
      continue;
    }
    let start: StartFn;
    if (node.exec !== undefined) start = bindProcess(plan, id, request.specDirUrl) as StartFn;
    else {
      const url = Object.hasOwn(request.modules, id) ? request.modules[id] : undefined;
      if (url === undefined) throw new Error(`no module is known for service "${id}"`);
      const module = (await import(url)) as { start?: unknown };
      if (typeof module.start !== "function") throw new Error(`${url}: the module of "${id}" does not export a start function`);
      start = module.start as StartFn;
    }
    bindings.push([id, id === service ? (scope) => start(probe.current.wrap(scope, fixtureDeps)) : start]);
  }
  return Object.fromEntries(bindings);
}

function createRunnerHost(): Host & { sendSignal(signal: string): void } {
  const handlers = new Map<string, Set<() => void>>();
  return {
    clock: realClock,
    onSignal(signal, handler) {
      const set = handlers.get(signal) ?? new Set();
      handlers.set(signal, set);
      const installed = (): void => handler();
      set.add(installed);
      return () => void set.delete(installed);
    },
    exit: () => {},
    // The suite reports from events and the report; the lifecycle log is not written.
    writeLog: () => {},
    // As in production: the engine takes uncaught errors (an attributed one is that service's crash).
    onFatal: realHost.onFatal,
    keepAlive: realHost.keepAlive,
    sendSignal(signal) {
      for (const handler of [...(handlers.get(signal) ?? [])]) handler();
    },
  };
}

/** A reason as plain data: the errors some reasons carry become ErrorInfo. */
function plainReason(reason: unknown): ShutdownReason | undefined {
  if (typeof reason !== "object" || reason === null) return undefined;
  const copy: Record<string, unknown> = { ...reason };
  if ("error" in copy) copy["error"] = toErrorInfo(copy["error"]);
  return copy as unknown as ShutdownReason;
}

/** Records every uncaught error of the runner's life, attributed when it can be: a floating promise may reject after the run. */
function recordUncaught(unhandled: RunnerResult["unhandled"][number][]): void {
  const record = (error: unknown, origin: string): void => void unhandled.push({ origin, service: findAttributed()?.node.id, error: toErrorInfo(error) });
  process.on("unhandledRejection", (reason) => record(reason, "unhandledRejection"));
  process.on("uncaughtException", (error, origin) => record(error, origin));
}

interface Probes {
  readonly owners: ResourceOwners;
  readonly listeners: ReturnType<typeof watchProcessListeners>;
  readonly probe: { current: ScopeProbe };
}

/** What a run left open that `service` opened after `mark` (resources and listeners counted from there). */
async function collectLeftOpen(probes: Probes, service: string, mark: { resources: number; listeners: number }, stoppedAt: number | undefined): Promise<ResourceInfo[]> {
  const { owners, listeners } = probes;
  const fresh = (): OwnedResource[] => owners.open(service).filter((r) => r.sequence > mark.resources);
  // Closes begun by a finalizer (a server's, a socket's) end a few turns later; give them that.
  for (let turn = 0; turn < SETTLE_TURNS && (turn < MIN_SETTLE_TURNS || fresh().length > 0); turn++) await new Promise((r) => setTimeout(r, SETTLE_TURN_MS));
  const open = fresh();
  // A child process it left running would outlive the test: end it.
  for (const r of open) if (r.pid !== undefined) killQuietly(r.pid);
  return [
    ...open.map((r) => ({ kind: describeResourceType(r.type), stack: r.stack, afterStop: stoppedAt !== undefined && r.sequence > stoppedAt })),
    ...listeners
      .open(service)
      .filter((l) => l.order > mark.listeners)
      .map((l) => ({ kind: `listener on process '${l.event}'`, stack: l.stack, afterStop: false })),
  ];
}

/**
 * One run of the app with the given bindings: the signal comes once everything has started, or,
 * with `duringStart`, as soon as the service under test begins its start.
 */
async function runOnce(request: RunnerRequest, bindings: Record<string, StartFn>, probes: Probes, duringStart: boolean) {
  const { service } = request;
  // The stop comes through the spec's first signal (a plan with none, hand-written, gets SIGTERM).
  // The app's health endpoints and drain are the app's, not the service's: left out, so that the
  // stop begins at once and no port is taken.
  const { drainMs: _drain, health: _health, ...rest } = request.plan;
  // A service with replicas is tested as one instance: its code is the same in each, and the
  // report and events then name it by its own id.
  const plan = { ...rest, root: withOneInstance(rest.root, service), signals: rest.signals.length > 0 ? rest.signals : ["SIGTERM"] };
  const host = createRunnerHost();
  const events: RuntimeEvent[] = [];
  let stoppedAt: number | undefined;
  let signalled = false;
  const stop = (): void => {
    if (signalled) return;
    signalled = true;
    setImmediate(() => {
      send({ type: "stopping", tasks: probes.probe.current.tasks().filter((t) => !t.settled) });
      host.sendSignal(plan.signals[0]!);
    });
  };
  const onEvent = (event: RuntimeEvent): void => {
    events.push(event);
    if (event.type === "started" && event.id === "" && !duringStart) send({ type: "started" }), stop();
    if (event.type === "starting" && event.id === service && duringStart) stop();
    if ((event.type === "stopped" || event.type === "abandoned") && event.id === service && stoppedAt === undefined) {
      stoppedAt = probes.owners.sequence;
      send({ type: "stopped", state: event.type });
    }
  };
  const { exitCode, report } = await runApp(plan, bindings, { host, onEvent, log: "none" });
  return { exitCode, report, events, stoppedAt };
}

/** The probes, installed once per runner process: they patch globals and hook async resources. */
let installed: (Probes & { readonly controllers: ReturnType<typeof watchAbortControllers>; readonly unhandled: RunnerResult["unhandled"][number][] }) | undefined;

function installProbes(): NonNullable<typeof installed> {
  if (installed !== undefined) return installed;
  const unhandled: RunnerResult["unhandled"][number][] = [];
  recordUncaught(unhandled);
  installed = { owners: trackResourceOwners(), listeners: watchProcessListeners(), probe: { current: new ScopeProbe() }, controllers: watchAbortControllers(), unhandled };
  return installed;
}

async function runService(request: RunnerRequest): Promise<RunnerResult> {
  const { plan, service } = request;
  const probes = installProbes();
  probes.probe.current = new ScopeProbe();
  probes.probe.current.onFinalizer = (stack) => send({ type: "finalizing", stack });
  const { controllers } = probes;
  const firstUnhandled = probes.unhandled.length;
  // Errors of this run: its own, and those nobody can be blamed for (not an earlier service's late ones).
  const unhandled = (): RunnerResult["unhandled"] => probes.unhandled.slice(firstUnhandled).filter((u) => u.service === undefined || u.service === service);
  const startMark = { resources: probes.owners.sequence, listeners: probes.listeners.order };
  const node = indexServices(plan).get(service)!;
  let fixtureDeps: Record<string, unknown> | undefined;
  let bindings: Record<string, StartFn>;
  try {
    fixtureDeps = await loadFixtureDeps(request);
    bindings = await bindServices(request, probes.probe, fixtureDeps);
  } catch (error) {
    return emptyResult(request, node, toErrorInfo(error));
  }
  send({ type: "ready" });
  // Ticks tell the test the loop still turns; a service that starves it goes silent.
  const ticks = setInterval(() => send({ type: "tick" }), TICK_MS);
  const first = await runOnce(request, bindings, probes, false);
  const leftOpen = await collectLeftOpen(probes, service, startMark, first.stoppedAt);
  const probe = probes.probe.current;
  const result = buildResult(request, node, fixtureDeps !== undefined, first.exitCode, first.report, first.events, probe, leftOpen, controllers.neverAborted(service), unhandled());
  // Then stopped while it starts: what a start opens before registering its finalizer leaks only then.
  if (result.state === "stopped" && result.startError === undefined) {
    probes.probe.current = new ScopeProbe();
    probes.probe.current.onFinalizer = (stack) => send({ type: "finalizing", stack });
    const mark = { resources: probes.owners.sequence, listeners: probes.listeners.order };
    send({ type: "restart" });
    await runOnce(request, bindings, probes, true);
    const leftByCancelledStart = await collectLeftOpen(probes, service, mark, undefined);
    // What the first run already left open at the same place is the same bug, reported once.
    const placeOf = (r: ResourceInfo): string => `${r.kind} ${r.stack.join("|")}`;
    const known = new Set(leftOpen.map(placeOf));
    result.leftOpenByCancelledStart.push(...leftByCancelledStart.filter((r) => !known.has(placeOf(r))).map((r) => ({ ...r, afterStop: false })));
  }
  clearInterval(ticks);
  // Rejections of the second run come in too (the suite reports each once).
  return { ...result, unhandled: unhandled() };
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function emptyResult(request: RunnerRequest, node: ServicePlan, setupError: ErrorInfo): RunnerResult {
  return {
    service: request.service, setupError, deps: "none", exitCode: 1, state: "never-started", stopTimeoutMs: node.stopTimeoutMs, stopSignal: node.exec?.stopSignal, stopMs: undefined,
    startError: undefined, crashes: [], stopErrors: [], tasks: [], finalizers: [], signal: { aborted: false, reason: undefined, expected: undefined },
    leftOpen: [], leftOpenByCancelledStart: [], controllers: [], unhandled: [], dependencyProblems: [],
  };
}

function buildResult(
  request: RunnerRequest, node: ServicePlan, withFixtures: boolean, exitCode: number, report: ShutdownReport, events: readonly RuntimeEvent[],
  probe: ScopeProbe, leftOpen: ResourceInfo[], controllers: RunnerResult["controllers"], unhandled: RunnerResult["unhandled"],
): RunnerResult {
  const { service } = request;
  const mine = report.nodes.find((n) => n.id === service);
  const startFailed = events.find((e) => e.type === "start-failed" && e.id === service);
  const stopping = events.find((e) => e.type === "stopping" && e.id === service);
  const finalizers = probe.finalizers();
  const finalizerMessages = new Set(finalizers.flatMap((f) => (f.error !== undefined ? [f.error.message] : [])));
  const stopped = events.find((e) => e.type === "stopped" && e.id === service);
  const needed = withFixtures ? new Set<string>() : collectNeeded(request.plan, service);
  return {
    service,
    setupError: undefined,
    deps: withFixtures ? "fixtures" : needed.size > 0 ? "real" : "none",
    exitCode,
    state: mine?.state ?? "never-started",
    stopTimeoutMs: node.stopTimeoutMs,
    stopSignal: node.exec?.stopSignal,
    stopMs: mine?.stopMs,
    startError: startFailed?.type === "start-failed" ? toErrorInfo(startFailed.error) : undefined,
    crashes: events.flatMap((e) => (e.type === "crashed" && e.id === service ? [{ task: e.task, error: toErrorInfo(e.error) }] : [])),
    stopErrors: stopped?.type === "stopped" ? stopped.errors.map(toErrorInfo).filter((e) => !finalizerMessages.has(e.message)) : [],
    tasks: probe.tasks(),
    finalizers,
    signal: { aborted: probe.signal?.aborted ?? false, reason: plainReason(probe.signal?.reason), expected: stopping?.type === "stopping" ? plainReason(stopping.reason) : undefined },
    leftOpen,
    leftOpenByCancelledStart: [],
    controllers,
    unhandled,
    dependencyProblems: report.nodes
      .filter((n) => needed.has(n.id) && (n.state === "failed" || n.state === "abandoned"))
      .map((n) => ({ id: n.id, state: n.state, error: n.errors[0] === undefined ? undefined : toErrorInfo(n.errors[0]) })),
  };
}

if (process.send !== undefined) {
  // Services one at a time, in the order asked; the test disconnects when it has no more.
  process.on("message", (request: RunnerRequest) => {
    runService(request).then(
      (result) => send({ type: "result", result }),
      (error: unknown) => {
        process.stderr.write(`services suite runner failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(70);
      },
    );
  });
  // What services left open (an interval, a server) must not keep it alive once the test is done.
  process.on("disconnect", () => process.exit(0));
}

/** The tree with the service `id` run as a single instance (no `replicas`). */
function withOneInstance<T extends NodePlan>(node: T, id: string): T {
  if (node.kind === "service") {
    if (node.id !== id || node.replicas === undefined) return node;
    const { replicas: _replicas, ...single } = node;
    return single as T;
  }
  return { ...node, children: node.children.map((c) => withOneInstance(c, id)) };
}
