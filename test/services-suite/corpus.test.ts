// The generated services suite, run as a user runs it, on a corpus of buggy services and clean ones
// doing the same jobs (test/services-suite/corpus/): it must fail on each buggy service naming
// the task or resource, the line where it began and the audit rule, and pass on each clean one.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compileSpecFile } from "../../compiler/driver/api.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const SPEC = join(REPO_ROOT, "test", "services-suite", "corpus", "corpus.sup");
const WORK = join(REPO_ROOT, ".gen-tmp", `services-suite-${process.pid}`);

interface Expected {
  /** The audit rule of the first problem reported (undefined: a problem no static rule catches). */
  readonly rule: string | undefined;
  /** Other rules the same bug may also show as. */
  readonly alsoRules?: readonly string[];
  /** What the message names: the task or the resource, and the place (file:line). */
  readonly names: readonly string[];
}

const BUGGY: Readonly<Record<string, Expected>> = {
  "ignores-signal": { rule: "unstoppable-loop", names: ['task "consumer"', "buggy/ignores-signal.ts:8:"] },
  "uncancellable-sleep": {
    rule: "uncancellable-wait",
    alsoRules: ["leaked-resource"],
    names: ['task "poller"', "buggy/uncancellable-sleep.ts:6:", "timer (setTimeout)", "buggy/uncancellable-sleep.ts:7:"],
  },
  "swallows-abort": { rule: "swallowed-abort", names: ['task "retry"', "buggy/swallows-abort.ts:8:", "the event loop stopped turning"] },
  "unlinked-controller": { rule: "orphan-controller", names: ['task "tail"', "AbortController created at", "buggy/unlinked-controller.ts:8:"] },
  "leaks-interval": { rule: "leaked-resource", names: ["an interval (setInterval)", "buggy/leaks-interval.ts:6:"] },
  "leaks-server": { rule: "leaked-resource", names: ["a server", "buggy/leaks-server.ts:7:"] },
  "leaks-listener": { rule: "leaked-resource", names: ["a listener on process 'SIGHUP'", "buggy/leaks-listener.ts:5:"] },
  "leaks-child": { rule: "leaked-resource", names: ["a child process", "buggy/leaks-child.ts:6:"] },
  "floating-loop": { rule: "floating-work", names: ["a timer (setTimeout)", "after it had stopped", "buggy/floating-loop.ts:9:"] },
  "floating-rejection": { rule: "floating-work", names: ["an unhandled rejection", "refresh failed", "buggy/floating-rejection.ts:7:"] },
  "finalizer-after-await": { rule: "late-finalizer", names: ["stopped during its start", "a server", "buggy/finalizer-after-await.ts:8:"] },
  "blocking-start": { rule: "frozen-loop", names: ["the event loop stopped turning", "while it started"] },
  "spinning-finalizer": { rule: "frozen-loop", names: ["the event loop stopped turning", "the finalizer registered at", "buggy/spinning-finalizer.ts:6:"] },
  "throwing-finalizer": { rule: undefined, names: ["buggy/throwing-finalizer.ts:5:", "threw: Error: close failed"] },
  "broken-store": { rule: undefined, names: ["failed to start", "no database", "buggy/broken-store.ts:5:"] },
  "program-ignores-term": { rule: undefined, names: ["the program did not exit", "SIGTERM"] },
};

const CLEAN = ["clean-loops", "clean-resources", "clean-finalizer-first", "store", "reader", "reader-with-double", "clean-program"];

/** Runs the generated suite as a user would, and resolves with its output once it has exited. */
function runGeneratedSuite(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const uvu = join(REPO_ROOT, "node_modules", "uvu", "bin.js");
    const child = spawn(process.execPath, ["--import", "tsx", uvu, dir, "services\\.test\\.ts$"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: output.replace(/\x1b\[[0-9;]*m/g, "") }));
  });
}

/** The failure block of each failed test, by service: from its FAIL line to the next. */
function splitFailures(output: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const parts = output.split(/^\s*FAIL\s+/m).slice(1);
  for (const part of parts) {
    const id = /^services of corpus\s+"([^":]+):/.exec(part)?.[1];
    if (id !== undefined) blocks.set(id, part.split(/^\s*Total:/m)[0]!);
  }
  return blocks;
}

const test = suite("services suite on the corpus");
let run: { code: number | null; output: string; failures: Map<string, string> } | undefined;

test.before(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const compiled = compileSpecFile(SPEC, join(WORK, "gen"));
  assert.equal(compiled.diagnostics.filter((d) => d.severity === "error"), []);
  const result = await runGeneratedSuite(join(WORK, "gen"));
  run = { ...result, failures: splitFailures(result.output) };
});

test.after(() => rmSync(WORK, { recursive: true, force: true }));

test("the suite fails (exit 1) with one failed test per buggy service, and only those", () => {
  assert.is(run!.code, 1, run!.output);
  assert.equal([...run!.failures.keys()].sort(), Object.keys(BUGGY).sort(), run!.output);
  assert.match(run!.output, new RegExp(`Passed:\\s+${CLEAN.length + 1}\\b`));
});

for (const [id, expected] of Object.entries(BUGGY)) {
  test(`${id}: the failure names ${expected.names.join(", ")} and the rule ${expected.rule ?? "(none)"}`, () => {
    const block = run!.failures.get(id);
    assert.ok(block !== undefined, `no failure for ${id}:\n${run!.output}`);
    assert.match(block!, `service "${id}"`);
    for (const name of expected.names) assert.ok(block!.includes(name), `"${name}" missing from:\n${block}`);
    const rules = [...block!.matchAll(/audit rule: ([a-z-]+) \(SUP5\d{3}\)/g)].map((m) => m[1]);
    if (expected.rule === undefined) assert.equal(rules, []);
    else {
      assert.is(rules[0], expected.rule, block);
      for (const rule of rules) assert.ok([expected.rule, ...(expected.alsoRules ?? [])].includes(rule!), `unexpected rule ${rule} in:\n${block}`);
    }
  });
}

test("each clean service passes: a program, and one whose real dependency cannot start but services.fixtures.ts gives a double", () => {
  for (const id of CLEAN) assert.not.ok(run!.failures.has(id), `${id} failed:\n${run!.failures.get(id)}`);
});

test.run();
