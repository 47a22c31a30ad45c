// The physical limit for starting and stopping a graph of services in JavaScript: hand-written,
// no scopes, no timeouts, no signals. Each service starts once the promises of its needs have
// resolved, and stops once the promises of its dependents' stops have resolved.
import type { Graph } from "../shapes.ts";

export interface BaselineService<Handle> {
  start(index: number, deps: readonly Handle[]): Handle | Promise<Handle>;
  stop(index: number, handle: Handle): void | Promise<void>;
}

export interface RunningGraph<Handle> {
  readonly handles: readonly Handle[];
  stop(): Promise<void>;
}

export async function startGraph<Handle>(graph: Graph, service: BaselineService<Handle>): Promise<RunningGraph<Handle>> {
  const started: Promise<Handle>[] = new Array(graph.size);
  for (let i = 0; i < graph.size; i++) {
    const needs = graph.needs[i]!;
    started[i] =
      needs.length === 0
        ? Promise.resolve().then(() => service.start(i, []))
        : Promise.all(needs.map((n) => started[n]!)).then((deps) => service.start(i, deps));
  }
  const handles = await Promise.all(started);
  return { handles, stop: () => stopGraph(graph, service, handles) };
}

async function stopGraph<Handle>(graph: Graph, service: BaselineService<Handle>, handles: readonly Handle[]): Promise<void> {
  const stopped: Promise<void>[] = new Array(graph.size);
  for (let i = graph.size - 1; i >= 0; i--) {
    const dependents = graph.dependents[i]!;
    stopped[i] =
      dependents.length === 0
        ? Promise.resolve().then(() => service.stop(i, handles[i]!))
        : Promise.all(dependents.map((d) => stopped[d]!)).then(() => service.stop(i, handles[i]!));
  }
  await Promise.all(stopped);
}

/** A trivial service: its handle is a small object, stopping it does nothing. */
export const trivialService: BaselineService<object> = {
  start: (index) => ({ index }),
  stop: () => {},
};

export async function startAndStop(graph: Graph, service: BaselineService<object> = trivialService): Promise<void> {
  const running = await startGraph(graph, service);
  await running.stop();
}
