// `npm run mutate`: breaks the built runtime (dist/runtime) on purpose, one realistic bug at a
// time, and runs the generated suites of the examples and golden specs against each broken
// copy. A mutant is killed when some generated test fails; one that survives is a bug a user's
// generated suite would not catch. Each file is restored after its mutant, and the whole
// dist/runtime is restored from a copy at the end (or on Ctrl-C). Exit 1 if any mutant survives.
//   npm run mutate [-- --only <substring>]
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist", "runtime");
const backup = join(root, ".gen-tmp", `mutate-backup-${process.pid}`);
const { values } = parseArgs({ options: { only: { type: "string" } } });

/** [name, file under dist/runtime, text, replacement]: each text must occur exactly once. */
const MUTANTS = [
  // Budgets: the grace, stop timeouts, start timeouts.
  ["the grace is never armed", "engine/supervisor.js", "this.setTimer(graceMs, () => this.#expireGrace(graceMs));", "void this.#expireGrace;"],
  ["the grace is twice as long", "engine/supervisor.js", "this.setTimer(graceMs, () => this.#expireGrace(graceMs));", "this.setTimer(graceMs * 2, () => this.#expireGrace(graceMs * 2));"],
  ["a service's stop timeout is ignored", "engine/stop-nodes.js", "instance.limitStop(budgetMs);", "instance.limitStop(Infinity);"],
  ["a service's stop timeout is a second longer", "engine/stop-nodes.js", "instance.limitStop(budgetMs);", "instance.limitStop(budgetMs + 1000);"],
  ["a supervisor's own stop timeout is never armed", "engine/stop-nodes.js", "entry.clearTimer = owner.setTimer(budgetMs, expire);", "void expire;"],
  ["the start timeout is ignored", "engine/service-instance.js", "if (!this.#startSettled && timeoutMs !== Infinity) {", "if (false) {"],
  ["the start timeout is twice as long", "engine/service-instance.js", "this.#clearStartTimer = owner.setTimer(timeoutMs,", "this.#clearStartTimer = owner.setTimer(timeoutMs * 2,"],
  // Finalizers and cancellation.
  ["finalizers run first registered first", "engine/scope.js", "await this.#enter(runFinalizer, finalizers.pop());", "await this.#enter(runFinalizer, finalizers.shift());"],
  ["a throwing finalizer skips the rest", "engine/scope.js", "            catch (error) {\n                errors.push(error);\n            }\n        }\n        this.#state = CLOSED;", "            catch (error) {\n                errors.push(error);\n                break;\n            }\n        }\n        this.#state = CLOSED;"],
  ["starts in flight are not cancelled by a shutdown", "engine/start-nodes.js", "        for (const instance of this.#inFlight)\n            instance.scope.cancel(reason);", "        void this.#inFlight;"],
  ["the stop reason is lost (aborted without one)", "engine/scope.js", "scope.#controller.abort(scope.#reason);", "scope.#controller.abort();"],
  ["a shutdown tells services their parent stopped instead of the signal", "engine/supervisor.js", "this.#shutdown = stopNodes(this, [this.index.root], reason);", "this.#shutdown = stopNodes(this, [this.index.root], { kind: \"parent\", path: \"\" });"],
  // Intensity and period.
  ["the intensity's period is ignored (restarts counted forever)", "engine/restart.js", "supervisor.restartLog.filter((t) => now - t < periodMs)", "supervisor.restartLog.filter(() => true)"],
  ["the period is a tenth of the spec's", "engine/restart.js", "supervisor.restartLog.filter((t) => now - t < periodMs)", "supervisor.restartLog.filter((t) => now - t < periodMs / 10)"],
  ["one restart fewer than the intensity", "engine/restart.js", "return supervisor.restartLog.length <= intensity;", "return supervisor.restartLog.length < intensity;"],
  ["one restart more than the intensity", "engine/restart.js", "return supervisor.restartLog.length <= intensity;", "return supervisor.restartLog.length <= intensity + 1;"],
  // (Not listed: "a restarted supervisor keeps its old restart record". A supervisor is restarted
  // with a record only by a sibling's one_for_all, and gave-up clears the record too: equivalent.)
  // Strategies.
  ["rest_for_one restarts every child", "engine/restart.js", "siblings.slice(siblings.indexOf(child))", "[...siblings]"],
  ["rest_for_one restarts only the crashed child", "engine/restart.js", "siblings.slice(siblings.indexOf(child))", "[child]"],
  ["rest_for_one also restarts the child before", "engine/restart.js", "siblings.slice(siblings.indexOf(child))", "siblings.slice(Math.max(0, siblings.indexOf(child) - 1))"],
  ["one_for_all restarts only the crashed child", "engine/restart.js", "strategy === ONE_FOR_ALL ? [...siblings]", "strategy === ONE_FOR_ALL ? [child]"],
  ["one_for_one restarts every child", "engine/restart.js", "strategy === ONE_FOR_ONE ? [child]", "strategy === ONE_FOR_ONE ? [...siblings]"],
  // Restart policies.
  ["a temporary service in a restart set is started again", "engine/restart.js", "if (node.plan.restart === TEMPORARY || (node.parent !== undefined && down.has(node.parent)))", "if (node.parent !== undefined && down.has(node.parent))"],
  ["a temporary service that crashed is restarted", "engine/restart.js", "if (policy === TEMPORARY || (policy === TRANSIENT && !failure)) {", "if (policy === TRANSIENT && !failure) {"],
  ["a transient service is never restarted", "engine/restart.js", "if (policy === TEMPORARY || (policy === TRANSIENT && !failure)) {", "if (policy === TEMPORARY || policy === TRANSIENT) {"],
  // Backoff and the order of a restart.
  ["backoff never grows", "engine/backoff.js", "minMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 52)", "minMs"],
  ["backoff is not kept above its minimum", "engine/backoff.js", "Math.min(maxMs, Math.max(minMs, jittered))", "Math.min(maxMs, jittered)"],
  ["a restart does not wait out its backoff", "engine/restart.js", "await owner.waitUnlessShutdown(delayMs);", "void owner.waitUnlessShutdown;"],
  ["a restart starts before its set has stopped", "engine/restart.js", "await stopNodes(owner, roots, { kind: \"sibling-failed\", service: cause.service, error: cause.error }).done;", "void stopNodes(owner, roots, { kind: \"sibling-failed\", service: cause.service, error: cause.error }).done;"],
  ["every restart starts a new backoff series", "engine/backoff.js", "endedAt - child.upSince >= backoff.maxMs", "endedAt - child.upSince >= 0"],
  // Exit codes and the report.
  ["a second signal exits 127+n", "host/signals.js", "return 128 + number;", "return 127 + number;"],
  ["a second signal is ignored", "engine/supervisor.js", "            this.#forcedBy = signal;\n            this.#finish();", "            void signal;"],
  ["the report names no abandoned service", "engine/report.js", "byState[n.state].push(n.id);", "if (n.state !== \"abandoned\") byState[n.state].push(n.id);"],
];

function run(label) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "node_modules", "uvu", "bin.js"), ".", String.raw`^(examples[\\/][^\\/]+[\\/]gen|test[\\/]fixtures[\\/]golden[\\/][^\\/]+\.out)[\\/]shutdown\.test\.ts$`],
    { cwd: root, encoding: "utf8", timeout: 300_000 },
  );
  const plain = (result.stdout ?? "").replace(/\x1b\[[0-9;]*m/g, "");
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failing = [...plain.matchAll(/FAIL\s+(.+?)\s+"(.+?)"/g)].map((m) => m[2]);
  return { label, total, passed, ok: result.status === 0 && total > 0 && passed === total, failing, timedOut: result.error !== undefined };
}

cpSync(dist, backup, { recursive: true });
const restoreAll = () => {
  cpSync(backup, dist, { recursive: true });
  rmSync(backup, { recursive: true, force: true });
};
process.on("SIGINT", () => {
  restoreAll();
  process.exit(130);
});

let exitCode = 0;
try {
  const baseline = run("baseline");
  process.stdout.write(`baseline: ${baseline.passed}/${baseline.total} generated tests pass\n`);
  if (!baseline.ok) throw new Error("the generated suites fail on the unbroken runtime: fix that first");
  const mutants = MUTANTS.filter(([name]) => values.only === undefined || name.includes(values.only)).filter(([, , text, replacement]) => text !== replacement);
  let killed = 0;
  const survivors = [];
  for (const [name, file, text, replacement] of mutants) {
    const path = join(dist, file);
    const original = readFileSync(path, "utf8");
    const count = original.split(text).length - 1;
    if (count !== 1) throw new Error(`mutant "${name}": its text occurs ${count} times in dist/runtime/${file} (the runtime changed: update the mutant)`);
    writeFileSync(path, original.replace(text, () => replacement));
    let result;
    try {
      result = run(name);
    } finally {
      writeFileSync(path, original);
    }
    if (result.ok) {
      survivors.push(name);
      process.stdout.write(`  SURVIVED  ${name}\n`);
    } else {
      killed++;
      const by = result.timedOut ? "the suites timed out" : `${result.total - result.passed} failing, e.g. "${result.failing[0] ?? "?"}"`;
      process.stdout.write(`  killed    ${name} (${by})\n`);
    }
  }
  process.stdout.write(`\n${mutants.length} mutants: ${killed} killed, ${survivors.length} survived\n`);
  if (survivors.length > 0) exitCode = 1;
} finally {
  restoreAll();
}
process.exit(exitCode);
