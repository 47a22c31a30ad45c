// One start + stop in a process of its own, for the fresh-process table of the start-stop
// benchmark: `node --expose-gc --import tsx bench/start-stop-once.ts <variant> <shape> <size>`
// with variant `ours`, `promise`, `effect-per-service` or `effect-layered`. Prints
// `{"ms": ...}`. This is what a deployed service does: it starts its tree once, with code the JIT
// has never seen and a heap that has never grown. Building the graph and loading the modules are
// not timed; a full GC runs just before the clock starts.
import { buildEffectApp, startAndStopEffect, type Wiring } from "./baselines/effect-layers.ts";
import { startAndStop } from "./baselines/promise-dag.ts";
import { loadRuntime, prepareWatchdog } from "./built.ts";
import { collectGarbage } from "./harness.ts";
import { assertCleanStop, bindAll, buildPlan, runToShutdown, trivialStart } from "./runtime-app.ts";
import { buildGraph, SHAPES, type ShapeName } from "./shapes.ts";

// The parent (start-stop.ts) passes these words; nothing is exported, this file is only run.
const ONCE_VARIANTS = ["ours", "ours-watchdog", "promise", "effect-per-service", "effect-layered"] as const;
type OnceVariant = (typeof ONCE_VARIANTS)[number];

async function prepare(variant: OnceVariant, shape: ShapeName, size: number): Promise<() => Promise<unknown>> {
  const graph = buildGraph(shape, size);
  if (variant === "promise") return () => startAndStop(graph);
  if (variant === "ours" || variant === "ours-watchdog") {
    // As the generated main.ts does: the watchdog's entry first, then the runtime and the modules.
    if (variant === "ours-watchdog") await prepareWatchdog();
    const rt = await loadRuntime();
    const plan = buildPlan(graph);
    const bindings = bindAll(graph, trivialStart);
    // "ours-watchdog": with the real watchdog (bench/watchdog.ts compares the two).
    const watchdog = variant === "ours-watchdog";
    return async () => assertCleanStop(await runToShutdown(rt, plan, bindings, undefined, { watchdog }), size, `${shape} ${size}`);
  }
  const app = buildEffectApp(graph, variant.slice("effect-".length) as Wiring);
  return () => startAndStopEffect(app);
}

function parse(argv: readonly string[]): [OnceVariant, ShapeName, number] {
  const [variant, shape, sizeText] = argv;
  const size = Number(sizeText);
  if (!(ONCE_VARIANTS as readonly string[]).includes(variant ?? "") || !(SHAPES as readonly string[]).includes(shape ?? "") || !Number.isInteger(size) || size < 1) {
    throw new Error(`usage: start-stop-once.ts <${ONCE_VARIANTS.join("|")}> <${SHAPES.join("|")}> <size>`);
  }
  return [variant as OnceVariant, shape as ShapeName, size];
}

const [variant, shape, size] = parse(process.argv.slice(2));
const fn = await prepare(variant, shape, size);
collectGarbage();
const t0 = performance.now();
await fn();
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms })}\n`);
