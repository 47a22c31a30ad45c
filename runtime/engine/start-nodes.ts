// Starts a set of subtrees in dependency order: a service begins once everything it needs or
// must start after has started, independent services start concurrently, and a supervisor has
// started when all its children have. The first failure stops further launches.
import { DependencyRun, type RunHooks } from "./dependency-run.ts";
import type { NodeRt } from "./node-state.ts";
import type { PlanIndex } from "./plan-index.ts";
import { ServiceInstance, type InstanceOwner, type StartListener, type StartOutcome } from "./service-instance.ts";
import type { ShutdownReason } from "../api/types.ts";

export type StartResult =
  | { readonly kind: "started" }
  | { readonly kind: "failed"; readonly node: NodeRt; readonly error: unknown; readonly reason: ShutdownReason }
  /** Stopped from outside (a shutdown) before everything started. */
  | { readonly kind: "halted" };

export interface StartRun {
  readonly done: Promise<StartResult>;
  /** Launches nothing more and cancels the starts in flight with `reason`. */
  halt(reason: ShutdownReason): void;
}

export interface StartOwner extends InstanceOwner {
  readonly index: PlanIndex;
}

export interface StartOptions {
  /** Called at the first failure, before the run settles (the starts in flight may continue). */
  readonly onFailure?: (failure: Extract<StartResult, { kind: "failed" }>) => void;
  /** Services that stay down in this run (temporary ones in a restart); they count as done. */
  readonly skip?: ReadonlySet<NodeRt>;
}

export function startNodes(owner: StartOwner, roots: readonly NodeRt[], options: StartOptions = {}): StartRun {
  return new StartPass(owner, roots, options);
}

/**
 * One start pass. A class rather than closures: its methods are the same functions from pass to
 * pass (compiled once), and a service's start reports back to the pass itself, not to a closure
 * made for it.
 */
class StartPass implements StartRun, RunHooks, StartListener {
  readonly done: Promise<StartResult>;
  readonly #owner: StartOwner;
  readonly #options: StartOptions;
  readonly #run: DependencyRun;
  readonly #inFlight = new Set<ServiceInstance>();
  /** When each supervisor of the pass began. */
  readonly #beganAt = new Map<NodeRt, number>();
  #stopLaunching = false;
  #failure: Extract<StartResult, { kind: "failed" }> | undefined;
  #settled = false;
  #resolveDone!: (result: StartResult) => void;

  constructor(owner: StartOwner, roots: readonly NodeRt[], options: StartOptions) {
    this.#owner = owner;
    this.#options = options;
    this.done = new Promise<StartResult>((resolve) => (this.#resolveDone = resolve));
    this.#run = new DependencyRun(owner.index.nodes, roots, "start", this);
    this.#run.start();
    if (this.#run.remaining === 0) this.#settle({ kind: "started" });
  }

  halt(reason: ShutdownReason): void {
    this.#stopLaunching = true;
    for (const instance of this.#inFlight) instance.scope.cancel(reason);
    this.#settleIfIdle();
  }

  begin(node: NodeRt, full: boolean): void {
    if (this.#stopLaunching) return;
    const skip = this.#options.skip;
    if (!node.isService) {
      if (full && skip?.has(node) !== true) {
        this.#beganAt.set(node, this.#owner.clock.now());
        this.#owner.emit({ type: "starting", id: node.id });
      }
    } else if (skip?.has(node) === true) this.#run.complete(node);
    else this.#launch(node);
  }

  end(node: NodeRt, full: boolean): void {
    if (!node.isService && full && this.#options.skip?.has(node) !== true) {
      node.starts++;
      node.upSince = this.#owner.clock.now();
      node.startMs = node.upSince - (this.#beganAt.get(node) ?? node.upSince);
      this.#owner.emit({ type: "started", id: node.id, durationMs: node.startMs });
    }
    if (this.#run.remaining === 0) this.#settle({ kind: "started" });
  }

  startSettled(instance: ServiceInstance, outcome: StartOutcome): void {
    this.#inFlight.delete(instance);
    if (outcome.kind === "started" && !this.#stopLaunching) this.#run.complete(instance.node);
    else if (outcome.kind === "failed" && !this.#stopLaunching) {
      this.#stopLaunching = true;
      const failure = { kind: "failed", node: instance.node, error: outcome.error, reason: outcome.reason } as const;
      this.#failure = failure;
      // Later, not from inside the start: the caller reacts by halting this very run.
      const onFailure = this.#options.onFailure;
      if (onFailure !== undefined) queueMicrotask(() => onFailure(failure));
    }
    this.#settleIfIdle();
  }

  #launch(node: NodeRt): void {
    const instance = new ServiceInstance(this.#owner, node);
    node.instance = instance;
    instance.start(this);
    // Most starts return a plain value and have settled by now: only the others are in flight.
    if (!instance.startSettled) this.#inFlight.add(instance);
  }

  #settle(result: StartResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolveDone(result);
  }

  #settleIfIdle(): void {
    if (this.#stopLaunching && this.#inFlight.size === 0) this.#settle(this.#failure ?? { kind: "halted" });
  }
}
