// Reloading: the app's reload signal (`reload SIGHUP` in the spec) asks each running service that
// has a reload (a module's `reload(scope)` export, a process service's signal) to reload, one at
// a time, in the order they started, each within its start timeout. A reload that fails or
// overruns is reported and the service keeps running: a bad configuration file must not take the
// app down (nginx keeps its old workers when a reload fails). Signals during a reload are
// coalesced into one more pass; a shutdown ends the pass; signals before the start completes wait
// for it.
import type { NodeRt } from "./node-state.ts";
import type { InstanceOwner } from "./service-instance.ts";
import type { PlanIndex } from "./plan-index.ts";

export interface ReloadOwner extends InstanceOwner {
  readonly index: PlanIndex;
  readonly shuttingDown: boolean;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

export class ReloadQueue {
  readonly #owner: ReloadOwner;
  #running = false;
  #pending = false;
  #held = true;

  constructor(owner: ReloadOwner) {
    this.#owner = owner;
  }

  /** The reload signal arrived. */
  request(signal: string): void {
    if (this.#owner.shuttingDown) return;
    this.#owner.emit({ type: "reload-requested", id: "", signal });
    this.#pending = true;
    if (!this.#running && !this.#held) void this.#process();
  }

  /** The initial start is complete: a reload requested meanwhile runs now. */
  release(): void {
    this.#held = false;
    if (this.#pending && !this.#running) void this.#process();
  }

  async #process(): Promise<void> {
    this.#running = true;
    try {
      while (this.#pending && !this.#owner.shuttingDown) {
        this.#pending = false;
        await this.#reloadAll();
      }
    } catch (error) {
      this.#owner.internalError(error);
    } finally {
      this.#running = false;
    }
  }

  async #reloadAll(): Promise<void> {
    const owner = this.#owner;
    const began = owner.clock.now();
    const services = owner.index.services.filter((n) => n.reloadFn !== undefined && n.instance?.isUp === true).sort((a, b) => a.startSeq - b.startSeq);
    let reloaded = 0;
    let failed = 0;
    for (const node of services) {
      if (owner.shuttingDown) return;
      // Restarted or stopped since the pass began: the new incarnation has the current configuration.
      if (node.instance?.isUp !== true) continue;
      if (await this.#reloadOne(node)) reloaded++;
      else failed++;
    }
    if (!owner.shuttingDown) owner.emit({ type: "reload-finished", id: "", reloaded, failed, durationMs: owner.clock.now() - began });
  }

  /** Calls the service's reload with its start's scope and handle; false when it failed or overran. */
  #reloadOne(node: NodeRt): Promise<boolean> {
    const owner = this.#owner;
    const instance = node.instance!;
    const began = owner.clock.now();
    owner.emit({ type: "reloading", id: node.id }, began);
    return new Promise<boolean>((resolve) => {
      let settled = false;
      let cancelTimer: (() => void) | undefined;
      const settle = (ok: boolean, error: unknown, timedOut: boolean): void => {
        if (settled) return;
        settled = true;
        cancelTimer?.();
        const now = owner.clock.now();
        if (ok) owner.emit({ type: "reloaded", id: node.id, durationMs: now - began }, now);
        else {
          node.recordErrors(timedOut ? [] : [error]);
          owner.emit({ type: "reload-failed", id: node.id, error, timedOut }, now);
        }
        resolve(ok);
      };
      let result: unknown;
      try {
        result = instance.enter((view) => node.reloadFn!(view, instance.handle), instance.view!);
      } catch (error) {
        settle(false, error, false);
        return;
      }
      if (!isThenable(result)) {
        settle(true, undefined, false);
        return;
      }
      const timeoutMs = node.service.startTimeoutMs;
      if (timeoutMs !== Infinity) cancelTimer = owner.setTimer(timeoutMs, () => settle(false, new Error(`reload did not finish within ${timeoutMs}ms`), true));
      Promise.resolve(result).then(
        () => settle(true, undefined, false),
        (error: unknown) => settle(false, error, false),
      );
    });
  }
}
