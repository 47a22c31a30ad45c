// A supervisor's `needs` reach its children: in the resolved model (and so in types.ts) and in
// the runtime's `scope.deps`; a key used for two nodes along the way is SUP2033.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ResolvedNode, ResolvedService, ResolvedSupervisor } from "../../compiler/model/model.ts";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { bindAll, runVirtual, signalAt } from "../runtime/harness.ts";
import { buildApp, service, supervisor } from "../runtime/plans.ts";

const test = suite("semantics/inherited needs");

function resolve(source: string): ResolvedSupervisor {
  const result = analyzeSpec(source, "t.sup", { specDir: "/spec", fileExists: () => true });
  assert.equal(result.diagnostics.map((d) => d.code), []);
  return result.app!.root;
}

function find(node: ResolvedNode, id: string): ResolvedNode | undefined {
  if (node.id === id) return node;
  if (node.kind === "service") return undefined;
  for (const child of node.children) {
    const found = find(child, id);
    if (found !== undefined) return found;
  }
  return undefined;
}

const depsOf = (root: ResolvedSupervisor, id: string): string[] =>
  (find(root, id) as ResolvedService).deps.map((d) => `${d.key}=${d.target}`);

const SPEC = `app shop {
  service db { module "./db.ts" }
  service cache { module "./cache.ts" }
  service queue { module "./queue.ts" }
  supervisor workers {
    needs db
    service mailer { module "./mailer.ts" }
    service indexer { module "./indexer.ts"  needs cache, db }
    supervisor jobs {
      needs queue
      service janitor { module "./janitor.ts"  needs cache }
    }
  }
}`;

test("each service's deps: its own needs, then its supervisors', nearest first, each key once", () => {
  const root = resolve(SPEC);
  assert.equal(depsOf(root, "db"), []);
  assert.equal(depsOf(root, "workers.mailer"), ["db=db"]);
  assert.equal(depsOf(root, "workers.indexer"), ["cache=cache", "db=db"]);
  assert.equal(depsOf(root, "workers.jobs.janitor"), ["cache=cache", "queue=queue", "db=db"]);
  // The declared needs, which decide restarts, are unchanged.
  assert.equal((find(root, "workers.mailer") as ResolvedService).needs, []);
});

test("a key that names another node than an enclosing supervisor's need is SUP2033, at the inner need", () => {
  const source = `app shop {
  service cache { module "./cache.ts" }
  supervisor workers {
    needs cache
    service cache { module "./local.ts" }
    service a { module "./a.ts"  needs workers.cache }
    service b { module "./b.ts"  needs shop.cache }
  }
}`;
  const result = analyzeSpec(source, "t.sup", { specDir: "/spec", fileExists: () => true });
  assert.equal(
    result.diagnostics.map((d) => `${d.code}:${source.slice(d.span.start, d.span.end)}`),
    ["SUP2033:workers.cache"],
  );
});

test("at run time, a child's scope.deps holds its supervisors' needs; a restart of the need restarts the supervisor", async () => {
  const plan = buildApp([
    service("db"),
    service("queue"),
    supervisor("workers", { needs: ["db"] }, [
      service("mailer"),
      supervisor("jobs", { needs: ["queue"] }, [service("janitor", { needs: [{ key: "db", target: "db" }] })]),
    ]),
  ]);
  const seen: Record<string, string[]> = {};
  let dbStarts = 0;
  const record = (id: string) => (scope: { deps: object }) => {
    const deps = scope.deps as Record<string, { n: number }>;
    seen[id] = Object.keys(deps).map((k) => `${k}#${deps[k]!.n}`);
    return {};
  };
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      db: async (scope) => {
        const n = ++dbStarts;
        if (n === 1) scope.go("crash", async () => {
          await scope.sleep(10);
          throw new Error("db lost its connection");
        });
        return { n };
      },
      queue: () => ({ n: 0 }),
      "workers.mailer": record("mailer"),
      "workers.jobs.janitor": record("janitor"),
    }),
    { actions: [signalAt(100)] },
  );
  assert.is(run.result.exitCode, 0);
  // After db's restart, the children of workers were started again with the new handle.
  assert.equal(seen["mailer"], ["db#2"]);
  assert.equal(seen["janitor"], ["db#2", "queue#0"]);
  assert.ok(run.trace.some((line) => /restarting workers\b/.test(line)), run.trace.join("\n"));
});

test.run();
