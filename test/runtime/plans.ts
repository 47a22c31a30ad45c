// Builds runtime plans for tests from a compact description: ids come from the nesting, every
// field has the compiler's usual default, and `needs` takes target ids (the key is the last
// segment, as the compiler would make it).
import type { AppPlan, BackoffPlan, DepPlan, NodePlan, RestartPolicy, Strategy, SupervisorPlan } from "../../runtime/api/plan.ts";

interface NodeOptions {
  readonly needs?: readonly (string | DepPlan)[];
  readonly startAfter?: readonly string[];
  readonly stopAfter?: readonly string[];
  readonly stopTimeoutMs?: number;
  readonly restart?: RestartPolicy;
  readonly backoff?: BackoffPlan;
}

export interface ServiceOptions extends NodeOptions {
  readonly startTimeoutMs?: number;
}

export interface SupervisorOptions extends NodeOptions {
  readonly strategy?: Strategy;
  readonly intensity?: number;
  readonly periodMs?: number;
}

export type Spec =
  | { readonly kind: "service"; readonly name: string; readonly options: ServiceOptions }
  | { readonly kind: "supervisor"; readonly name: string; readonly options: SupervisorOptions; readonly children: readonly Spec[] };

export const service = (name: string, options: ServiceOptions = {}): Spec => ({ kind: "service", name, options });

export const supervisor = (name: string, options: SupervisorOptions, children: readonly Spec[]): Spec => ({
  kind: "supervisor",
  name,
  options,
  children,
});

export interface AppOptions extends SupervisorOptions {
  readonly name?: string;
  readonly graceMs?: number;
  readonly signals?: readonly string[];
}

function toDep(need: string | DepPlan): DepPlan {
  return typeof need === "string" ? { key: need.split(".").pop()!, target: need } : need;
}

function buildNode(spec: Spec, parentId: string | undefined): NodePlan {
  const id = parentId === undefined ? "" : parentId === "" ? spec.name : `${parentId}.${spec.name}`;
  const o = spec.options;
  const base = {
    id,
    name: spec.name,
    needs: (o.needs ?? []).map(toDep),
    startAfter: o.startAfter ?? [],
    stopAfter: o.stopAfter ?? [],
    stopTimeoutMs: o.stopTimeoutMs ?? 5000,
    restart: o.restart ?? "permanent",
    ...(o.backoff === undefined ? {} : { backoff: o.backoff }),
  };
  if (spec.kind === "service") return { ...base, kind: "service", startTimeoutMs: spec.options.startTimeoutMs ?? 15000 };
  return {
    ...base,
    kind: "supervisor",
    strategy: spec.options.strategy ?? "one_for_one",
    intensity: spec.options.intensity ?? 3,
    periodMs: spec.options.periodMs ?? 5000,
    children: spec.children.map((c) => buildNode(c, id)),
  };
}

export function buildApp(children: readonly Spec[], options: AppOptions = {}): AppPlan {
  const root = buildNode({ kind: "supervisor", name: options.name ?? "app", options: { stopTimeoutMs: Infinity, ...options }, children }, undefined);
  return {
    name: options.name ?? "app",
    graceMs: options.graceMs ?? 30_000,
    signals: options.signals ?? ["SIGTERM", "SIGINT"],
    root: root as SupervisorPlan,
  };
}

/** The shop example's tree, with the stop order the compiler derives from its `shutdown` line. */
export function buildShop(graceMs = 30_000): AppPlan {
  return buildApp(
    [
      service("db", { startTimeoutMs: 5000, stopTimeoutMs: 10_000, stopAfter: ["workers", "api"] }),
      service("cache", { stopTimeoutMs: 2000, stopAfter: ["workers.indexer", "api", "workers"] }),
      supervisor("workers", { strategy: "one_for_all", intensity: 3, periodMs: 10_000, needs: ["db"], startAfter: ["db"], stopAfter: ["api"], stopTimeoutMs: Infinity }, [
        service("mailer"),
        service("indexer", { needs: ["cache"], startAfter: ["cache"] }),
      ]),
      service("api", { needs: ["db", "cache", "workers"], startAfter: ["db", "cache", "workers"], stopTimeoutMs: 15_000 }),
    ],
    { name: "shop", graceMs, intensity: 5, periodMs: 60_000 },
  );
}
