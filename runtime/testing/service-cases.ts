// The test driver of generated `services.test.ts` suites: one case per service, each running the
// service's real module in a child process (service-runner.ts) and failing with every problem the
// run shows (service-findings.ts). The runs start together on the first case, a few at a time, so
// a suite costs about one child's start-up per core rather than one per service.
//
// Real time, with deadlines that follow the spec: the runtime in the child abandons a service at
// its own stop timeout; the child answering nothing for longer means its event loop is starved, and
// the child is killed once that service's stop timeout has passed, not at the test runner's limit.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { AppPlan, NodePlan, ServicePlan } from "../api/plan.ts";
import type { ContractCase } from "./contract.ts";
import { formatFindings, judgeRun, judgeStarved, type Finding } from "./service-findings.ts";
import { collectNeeded, FIXTURES_FILES, type RunnerMessage, type RunnerRequest, type RunnerResult, type ServiceSuite, type TaskInfo } from "./service-suite.ts";

/** Loading a TypeScript loader and the modules on a loaded machine can take a while. */
const READY_MS = 60_000;
/** A start with no limit of its own is still not waited on forever. */
const START_CAP_MS = 120_000;
/** Slack on every deadline: scheduling on a loaded machine, IPC. */
const MARGIN_MS = 1_000;
/** Silence this long, past a deadline, means a starved loop (the runner ticks every 200ms while stopping). */
const SILENT_MS = 1_000;
const WATCH_MS = 100;
/**
 * Runner processes: each costs a Node and a TypeScript loader (most of a small suite's time), and
 * then runs services in turn in milliseconds; a second one pays off only with cores to spare.
 */
const MAX_RUNNERS = availableParallelism() > 2 ? 2 : 1;
const OUTPUT_KEPT = 4_000;

type Outcome = { readonly kind: "result"; readonly result: RunnerResult } | { readonly kind: "failed"; readonly findings: Finding[] };

function listServices(plan: AppPlan): ServicePlan[] {
  const found: ServicePlan[] = [];
  const visit = (node: NodePlan): void => {
    if (node.kind === "service") found.push(node);
    else node.children.forEach(visit);
  };
  visit(plan.root);
  return found;
}

/** This module's sibling, in the same flavour (.ts in the sources, .js once built). */
function runnerPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.replace(/service-cases\.(ts|js)$/, (_m, ext: string) => `service-runner.${ext}`);
}

function findFixtures(suite: ServiceSuite): string | undefined {
  const dir = new URL(suite.specDir, suite.suiteUrl);
  for (const file of FIXTURES_FILES) {
    const url = new URL(file, dir);
    if (existsSync(fileURLToPath(url))) return url.href;
  }
  return undefined;
}

/**
 * One case per service of the plan, in declaration order, after a check that plan.ts comes from
 * the same compile as the suite. Each starts the service for real and stops it.
 */
export function buildServiceCases(plan: AppPlan, suite: ServiceSuite): ContractCase[] {
  const services = listServices(plan);
  const outcomes = new Map<string, Promise<Outcome>>();
  const runAll = (): void => {
    if (outcomes.size > 0) return;
    const fixturesUrl = findFixtures(suite);
    const modules = Object.fromEntries(Object.entries(suite.modules).map(([id, path]) => [id, new URL(path, suite.suiteUrl).href]));
    const specDirUrl = new URL(suite.specDir, suite.suiteUrl).href;
    const queue = services.map((service) => {
      let settle!: (outcome: Outcome) => void;
      outcomes.set(service.id, new Promise<Outcome>((resolve) => (settle = resolve)));
      return { request: { plan, service: service.id, modules, specDirUrl, fixturesUrl } satisfies RunnerRequest, service, settle };
    });
    // One or two runner processes, each taking the next service when done; one that had to be
    // killed (a starved loop) is replaced. Services run one at a time in a runner: what one leaves open is
    // told apart from the next one's by attribution, not by process.
    const lanes = Math.max(1, Math.min(MAX_RUNNERS, queue.length));
    for (let lane = 0; lane < lanes; lane++) {
      void (async () => {
        let runner: Runner | undefined;
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          if (runner === undefined || !runner.alive) runner = new Runner();
          next.settle(await runner.run(next.request, next.service));
        }
        runner?.close();
      })();
    }
  };
  const check = {
    name: "plan.ts is from the same compile as this suite",
    run: async () => {
      if (plan.generation !== suite.generation) throw new Error(`plan.ts is from another compile (${plan.generation}): run supervise compile`);
    },
  };
  return [
    check,
    ...services.map((service) => ({
      name: `${service.id}: starts for real, stops within ${service.stopTimeoutMs === Infinity ? "its budget" : `${service.stopTimeoutMs}ms`}, leaves nothing behind`,
      run: async () => {
        runAll();
        const outcome = await outcomes.get(service.id)!;
        const findings = outcome.kind === "result" ? judgeRun(outcome.result) : outcome.findings;
        if (findings.length === 0) return;
        const error = new Error(formatFindings(service.id, findings));
        // The message says it all, with the places in the service's code; uvu prints a stack's
        // lines after the message, which would repeat it and then show only the suite's frames.
        error.stack = `Error: ${error.message.split("\n")[0]}`;
        throw error;
      },
    })),
  ];
}

/** A runner process (service-runner.ts) that runs services one after the other. */
class Runner {
  readonly #child: ChildProcess;
  #output = "";
  #onMessage: ((message: RunnerMessage) => void) | undefined;
  #onGone: ((problem: string) => void) | undefined;
  alive = true;

  constructor() {
    this.#child = fork(runnerPath(), [], { execArgv: process.execArgv, serialization: "advanced", stdio: ["ignore", "pipe", "pipe", "ipc"] });
    const keep = (chunk: Buffer): void => void (this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_KEPT));
    this.#child.stdout!.on("data", keep);
    this.#child.stderr!.on("data", keep);
    this.#child.on("message", (message: RunnerMessage) => this.#onMessage?.(message));
    this.#child.on("error", (error) => this.#gone(`the test could not start its child process: ${error.message}`));
    // After the pipes and the IPC channel have drained: a result sent before the exit has arrived.
    this.#child.on("close", (code, signal) => setImmediate(() => this.#gone(`the child process running it exited (${signal ?? `code ${code}`}) before reporting:\n${this.#output.trim()}`)));
  }

  #gone(problem: string): void {
    this.alive = false;
    this.#onGone?.(problem);
  }

  close(): void {
    this.alive = false;
    if (this.#child.connected) this.#child.disconnect();
  }

  kill(): void {
    this.alive = false;
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill("SIGKILL");
  }

  /** Runs one service and waits for its answer, the runner's death, or a deadline (then kills it). */
  run(request: RunnerRequest, service: ServicePlan): Promise<Outcome> {
    const real = [service, ...[...collectNeeded(request.plan, service.id)].map((id) => listServices(request.plan).find((s) => s.id === id)!)];
    const startBudget = Math.min(START_CAP_MS, real.reduce((sum, s) => sum + s.startTimeoutMs, 0)) + MARGIN_MS;
    const stopBudget = Math.min(request.plan.graceMs, service.stopTimeoutMs) + MARGIN_MS;
    const overallStop = Math.min(request.plan.graceMs, START_CAP_MS) + MARGIN_MS;
    return new Promise((resolve) => {
      let phase: "boot" | "start" | "stop" | "stopped" = "boot";
      let phaseAt = Date.now();
      let lastHeard = Date.now();
      let tasks: readonly TaskInfo[] = [];
      let finalizer: readonly string[] | undefined;
      let done = false;
      const finish = (outcome: Outcome, kill: boolean): void => {
        if (done) return;
        done = true;
        clearInterval(watch);
        this.#onMessage = undefined;
        this.#onGone = undefined;
        if (kill) this.kill();
        resolve(outcome);
      };
      const fail = (problem: string): void => finish({ kind: "failed", findings: [{ problem, rule: undefined }] }, true);
      this.#onMessage = (message) => {
        lastHeard = Date.now();
        if (message.type === "ready") (phase = "start"), (phaseAt = lastHeard);
        else if (message.type === "stopping") (phase = "stop"), (phaseAt = lastHeard), (tasks = message.tasks), (finalizer = undefined);
        else if (message.type === "finalizing") finalizer = message.stack;
        else if (message.type === "stopped") (phase = "stopped"), (phaseAt = lastHeard);
        else if (message.type === "restart") (phase = "start"), (phaseAt = lastHeard);
        else if (message.type === "result") finish({ kind: "result", result: message.result }, false);
      };
      this.#onGone = fail;
      const watch = setInterval(() => {
        const now = Date.now();
        const silentMs = now - lastHeard;
        const inPhase = now - phaseAt;
        if (phase === "boot" && inPhase > READY_MS) fail(`its module did not load within ${READY_MS}ms`);
        else if (phase === "start" && inPhase > startBudget && silentMs > SILENT_MS) {
          finish({ kind: "failed", findings: judgeStarved("start", [], silentMs, service.stopTimeoutMs) }, true);
        } else if (phase === "stop" && inPhase > stopBudget && silentMs > SILENT_MS) {
          finish({ kind: "failed", findings: judgeStarved("stop", finalizer !== undefined ? [] : tasks, silentMs, service.stopTimeoutMs, finalizer) }, true);
        } else if ((phase === "stop" || phase === "stopped") && inPhase > overallStop) {
          fail(`the run did not end within the grace period (${request.plan.graceMs}ms) after the stop began`);
        }
      }, WATCH_MS);
      if (!this.alive) fail("the child process running it had exited");
      else this.#child.send(request);
    });
  }
}
