// Starts a set of subtrees in dependency order: a service begins once everything it needs or
// must start after has started, independent services start concurrently, and a supervisor has
// started when all its children have. The first failure stops further launches.
import { DependencyRun } from "./dependency-run.ts";
import type { NodeRt } from "./node-state.ts";
import type { PlanIndex } from "./plan-index.ts";
import { ServiceInstance, type InstanceOwner } from "./service-instance.ts";
import type { ShutdownReason } from "./types.ts";

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
  const inFlight = new Set<ServiceInstance>();
  const beganAt = new Map<NodeRt, number>();
  let stopLaunching = false;
  let failure: Extract<StartResult, { kind: "failed" }> | undefined;
  let settled = false;
  let resolveDone!: (result: StartResult) => void;
  const done = new Promise<StartResult>((resolve) => (resolveDone = resolve));
  const settle = (result: StartResult): void => {
    if (settled) return;
    settled = true;
    resolveDone(result);
  };
  const settleIfIdle = (): void => {
    if (stopLaunching && inFlight.size === 0) settle(failure ?? { kind: "halted" });
  };

  const launch = (node: NodeRt): void => {
    const instance = new ServiceInstance(owner, node);
    node.instance = instance;
    inFlight.add(instance);
    instance.start((outcome) => {
      inFlight.delete(instance);
      if (outcome.kind === "started" && !stopLaunching) run.complete(node);
      else if (outcome.kind === "failed" && !stopLaunching) {
        stopLaunching = true;
        failure = { kind: "failed", node, error: outcome.error, reason: outcome.reason };
        // Later, not from inside the start: the caller reacts by halting this very run.
        queueMicrotask(() => options.onFailure?.(failure!));
      }
      settleIfIdle();
    });
  };

  const run: DependencyRun = new DependencyRun(owner.index.nodes, roots, "start", {
    begin(node, full) {
      if (stopLaunching) return;
      if (!node.isService) {
        if (full && !options.skip?.has(node)) {
          beganAt.set(node, owner.clock.now());
          owner.emit({ type: "starting", id: node.id });
        }
      } else if (options.skip?.has(node)) run.complete(node);
      else launch(node);
    },
    end(node, full) {
      if (!node.isService && full && !options.skip?.has(node)) {
        node.starts++;
        node.upSince = owner.clock.now();
        node.startMs = node.upSince - (beganAt.get(node) ?? node.upSince);
        owner.emit({ type: "started", id: node.id, durationMs: node.startMs });
      }
      if (run.remaining === 0) settle({ kind: "started" });
    },
  });
  run.start();
  if (run.remaining === 0) settle({ kind: "started" });

  return {
    done,
    halt(reason) {
      stopLaunching = true;
      for (const instance of inFlight) instance.scope.cancel(reason);
      settleIfIdle();
    },
  };
}
