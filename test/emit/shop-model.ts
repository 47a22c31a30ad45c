// The resolved model of examples/shop/shop.sup, written by hand so that emit tests do not
// depend on the front end (the front end's own tests check that it produces the same).
import type { ResolvedApp, ResolvedService, ResolvedSupervisor } from "../../compiler/model/model.ts";

const span = { start: 0, end: 0 };

function service(id: string, fields: Partial<ResolvedService> = {}): ResolvedService {
  return {
    kind: "service",
    id,
    name: id.split(".").pop()!,
    written: { name: span, stopTimeout: undefined },
    needs: [],
    startAfter: [],
    stopAfter: [],
    stopTimeoutMs: 5000,
    restart: "permanent",
    module: `./services/${id.split(".").pop()}.ts`,
    exec: undefined,
    backoff: undefined,
    startTimeoutMs: 15000,
    replicas: 1,
    ...fields,
    deps: fields.deps ?? fields.needs ?? [],
  };
}

const dep = (key: string, target = key) => ({ key, target, span });

export function shopModel(overrides: { graceMs?: number } = {}): ResolvedApp {
  const workers: ResolvedSupervisor = {
    kind: "supervisor",
    id: "workers",
    name: "workers",
    written: { name: span, stopTimeout: undefined, intensity: undefined },
    needs: [dep("db")],
    startAfter: ["db"],
    stopAfter: ["api"],
    stopTimeoutMs: Infinity,
    restart: "permanent",
    backoff: undefined,
    strategy: "one_for_all",
    intensity: { max: 3, periodMs: 10000 },
    children: [
      // A supervisor's needs reach its children: both hold `db` in scope.deps.
      service("workers.mailer", { deps: [dep("db")] }),
      service("workers.indexer", { needs: [dep("cache")], deps: [dep("cache"), dep("db")], startAfter: ["cache"] }),
    ],
    shutdownPhases: [["mailer", "indexer"]],
  };
  const root: ResolvedSupervisor = {
    kind: "supervisor",
    id: "",
    name: "shop",
    written: { name: span, stopTimeout: undefined, intensity: undefined },
    needs: [],
    startAfter: [],
    stopAfter: [],
    stopTimeoutMs: Infinity,
    restart: "permanent",
    backoff: undefined,
    strategy: "one_for_one",
    intensity: { max: 5, periodMs: 60000 },
    children: [
      service("db", { startTimeoutMs: 5000, stopTimeoutMs: 10000, stopAfter: ["workers", "api"] }),
      service("cache", { stopTimeoutMs: 2000, stopAfter: ["workers.indexer", "api", "workers"] }),
      workers,
      service("api", {
        needs: [dep("db"), dep("cache"), dep("workers")],
        startAfter: ["db", "cache", "workers"],
        stopTimeoutMs: 15000,
      }),
    ],
    shutdownPhases: [["api"], ["workers"], ["cache", "db"]],
  };
  return { name: "shop", graceMs: overrides.graceMs ?? 30000, drainMs: 0, health: undefined, signals: ["SIGTERM", "SIGINT"], reloadSignal: undefined, root, written: { grace: undefined, deploy: undefined } };
}
