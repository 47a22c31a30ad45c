// The same graphs built with Effect 4 Layers, the way an Effect user would wire services: one
// `Layer.effect` per service whose resource is an `Effect.acquireRelease`, its needs read from
// the context, wired with `Layer.provide` / `Layer.provideMerge` and `Layer.mergeAll`, built into
// a `Scope` and released by closing it. Effect is a bench-only devDependency.
import { Context, Effect, Exit, Layer, Scope } from "effect";
import type { Graph } from "../shapes.ts";

// Layer requirement and output types are computed per service at run time, so the static
// types are erased to "any service": the benchmark builds thousands of distinct keys.
type AnyLayer = Layer.Layer<any, never, any>;

export interface EffectApp {
  readonly layer: AnyLayer;
}

interface Hooks {
  readonly started?: (index: number) => void;
  readonly stopped?: (index: number) => void;
}

/**
 * How the layers are wired: "per-service" provides each service's layer with the merge of its
 * needs' layers (Effect memoizes a layer within one build, so a shared need starts once) and
 * merges every service; "layered" merges the services of each depth and stacks the depths with
 * `Layer.provideMerge`. Layered is faster on shallow graphs but copies the growing context at
 * every level: quadratic in depth, it runs out of memory on a 10k chain.
 */
export type Wiring = "per-service" | "layered";

/** Builds (but does not run) the layer of a graph; this is the part a user writes once. */
export function buildEffectApp(graph: Graph, wiring: Wiring, hooks: Hooks = {}): EffectApp {
  if (graph.size === 0) throw new Error("buildEffectApp: the graph has no services");
  const keys = Array.from({ length: graph.size }, (_, i) => Context.Service<object>(`s${i}`));
  const own = keys.map((key, i) => serviceLayer(key, graph.needs[i]!.map((n) => keys[n]!), i, hooks));
  if (wiring === "layered") {
    const byDepth: AnyLayer[][] = [];
    for (let i = 0; i < graph.size; i++) (byDepth[graph.layer[i]!] ??= []).push(own[i]!);
    let stacked: AnyLayer | undefined;
    for (const group of byDepth) stacked = stacked === undefined ? merge(group) : Layer.provideMerge(merge(group), stacked);
    return { layer: stacked! };
  }
  const provided: AnyLayer[] = [];
  for (let i = 0; i < graph.size; i++) {
    const needs = graph.needs[i]!;
    provided.push(needs.length === 0 ? own[i]! : Layer.provide(own[i]!, merge(needs.map((n) => provided[n]!))));
  }
  return { layer: merge(provided) };
}

function merge(group: readonly AnyLayer[]): AnyLayer {
  if (group.length === 1) return group[0]!;
  return Layer.mergeAll(...(group as [AnyLayer, ...AnyLayer[]]));
}

function serviceLayer(key: Context.Service<object, object>, needs: readonly Context.Service<object, object>[], index: number, hooks: Hooks): AnyLayer {
  const acquire = Effect.sync(() => {
    hooks.started?.(index);
    return { index };
  });
  const release = () => Effect.sync(() => hooks.stopped?.(index));
  const resource = Effect.acquireRelease(acquire, release);
  if (needs.length === 0) return Layer.effect(key, resource);
  // Reading the needs from the context is what makes them requirements of this layer.
  return Layer.effect(key, Effect.flatMap(Effect.forEach(needs, (need) => need), () => resource));
}

export interface RunningEffectApp {
  stop(): Promise<void>;
}

/** Builds the layer into a fresh scope (starting every service); `stop` closes the scope. */
export async function startEffectApp(app: EffectApp): Promise<RunningEffectApp> {
  const scope = Effect.runSync(Scope.make());
  await Effect.runPromise(Layer.buildWithScope(app.layer, scope) as Effect.Effect<unknown, never, never>);
  return { stop: () => Effect.runPromise(Scope.close(scope, Exit.void)) };
}

export async function startAndStopEffect(app: EffectApp): Promise<void> {
  const running = await startEffectApp(app);
  await running.stop();
}
