// Reading a dependency that was not declared names the missing `needs` instead of handing back
// undefined (runtime/engine/service-scope.ts), while declared keys and probing reads behave.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { bindAll, runVirtual, signalAt } from "../runtime/harness.ts";
import { buildApp, service, supervisor } from "../runtime/plans.ts";

const test = suite("semantics/undeclared deps");

test("a start that reads an undeclared dependency fails with the needs to add", async () => {
  const plan = buildApp([service("db"), service("cache"), supervisor("workers", {}, [service("janitor", { needs: ["cache"] })])]);
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      "workers.janitor": (scope) => (scope.deps as Record<string, { size: number }>)["db"]!.size,
    }),
  );
  assert.is(run.result.exitCode, 1);
  const failed = run.events.find((e) => e.type === "start-failed");
  assert.ok(failed !== undefined && failed.type === "start-failed");
  const message = String((failed.error as Error).message);
  assert.ok(message.includes("scope.deps.db"), message);
  assert.ok(message.includes("needs db"), message);
  assert.ok(message.includes("workers.janitor"), message);
  assert.ok(message.includes("its deps: cache"), message);
});

test("declared keys, prototype members, symbols and probes read as usual", async () => {
  const plan = buildApp([service("db"), service("api", { needs: ["db"] })]);
  let seen: unknown[] = [];
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      db: () => ({ pool: 4 }),
      api: async (scope) => {
        const deps = scope.deps as Record<string | symbol, unknown>;
        seen = [deps["db"], typeof deps["toString"], deps[Symbol.iterator], deps["then"], "db" in deps, "cache" in deps, Object.keys(deps)];
        await Promise.resolve(deps); // awaiting reads `then`
        return JSON.stringify(deps); // reads `toJSON`
      },
    }),
    { actions: [signalAt(10)] },
  );
  assert.is(run.result.exitCode, 0);
  assert.equal(seen, [{ pool: 4 }, "function", undefined, undefined, true, false, ["db"]]);
});

test("a service that needs nothing is told so", async () => {
  const plan = buildApp([service("solo")]);
  const run = await runVirtual(plan, bindAll(plan, { solo: (scope) => (scope.deps as Record<string, unknown>)["db"] }));
  const failed = run.events.find((e) => e.type === "start-failed");
  assert.ok(failed?.type === "start-failed" && String((failed.error as Error).message).includes("it needs nothing"));
});

test.run();
