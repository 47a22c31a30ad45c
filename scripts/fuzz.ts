// The long fuzz run: `npm run fuzz -- --runs N [--seed S] [--max-bytes B] [--typecheck-every K]`.
// Draws specs from the three generators of test/fuzz/generators.ts in turn and runs each through
// the front end and emitter in a worker thread, so that a spec that never finishes is cut off and
// still reported. Saves every crash, internal error, unlocated diagnostic, incomplete output, hang
// (more than 2 s for under 100 KB) and set that fails tsc or cannot be imported into test/fuzz/found/,
// which test/fuzz/found.test.ts replays. Exit 1 when something new was found.
import { Worker } from "node:worker_threads";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { acceptedSpec, mutatedSpec, repeatedSpec } from "../test/fuzz/generators.ts";
import { ensureFuzzProject, HANG_MS, MAX_INPUT_BYTES, saveFinding, type Finding } from "../test/fuzz/property.ts";
import { typeCheckSets, type GeneratedSet } from "../test/fuzz/typecheck-sets.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    seed: { type: "string" },
    "max-bytes": { type: "string", default: String(MAX_INPUT_BYTES) },
    "typecheck-every": { type: "string", default: "25" },
  },
});
const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const maxBytes = Number(values["max-bytes"]);
const typecheckEvery = Number(values["typecheck-every"]);
/** A worker that has not answered by then is stopped: the spec hangs. */
const CUT_OFF_MS = 30_000;

interface Answer {
  readonly finding: Finding | undefined;
  readonly accepted: boolean;
  readonly files: GeneratedSet["files"];
  readonly ms: number;
}

let worker: Worker | undefined;
function startWorker(): Worker {
  // A worker does not inherit tsx's loader: it registers it, then loads the TypeScript entry.
  const entry = new URL("../test/fuzz/fuzz-worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

function examineInWorker(source: string): Promise<Answer | "cut-off"> {
  worker ??= startWorker();
  const current = worker;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      current.removeAllListeners();
      void current.terminate();
      worker = undefined;
      resolve("cut-off");
    }, CUT_OFF_MS);
    current.once("message", (answer: Answer) => {
      clearTimeout(timer);
      current.removeAllListeners("error");
      resolve(answer);
    });
    current.once("error", (error) => {
      clearTimeout(timer);
      worker = undefined;
      reject(error);
    });
    current.postMessage(source);
  });
}

ensureFuzzProject();
const generators = [acceptedSpec, mutatedSpec, repeatedSpec(maxBytes)];
const perGenerator = Math.ceil(runs / generators.length);
const inputs = generators.map((arb, i) => fc.sample(arb, { numRuns: perGenerator, seed: seed + i }));
process.stdout.write(`fuzz: ${runs} specs, seed ${seed}, up to ${maxBytes} bytes, a set type-checked every ${typecheckEvery} accepted\n`);

const counts = { specs: 0, accepted: 0, typechecked: 0, slowest: 0, bytes: 0 };
const found: string[] = [];
let pending: GeneratedSet[] = [];
const flushTypeChecks = (): void => {
  for (const failure of typeCheckSets(pending, "long")) {
    const source = failure.slice(failure.indexOf("\n") + 1);
    found.push(saveFinding(source, { kind: failure.startsWith("tsc") ? "crash" : "crash", detail: failure.split("\n")[0]! }));
  }
  counts.typechecked += pending.length;
  pending = [];
};

for (let k = 0; k < perGenerator; k++) {
  for (const list of inputs) {
    const source = list[k];
    if (source === undefined || counts.specs >= runs) continue;
    counts.specs++;
    counts.bytes += source.length;
    const answer = await examineInWorker(source);
    let finding: Finding | undefined;
    if (answer === "cut-off") finding = { kind: "hang", detail: `no answer within ${CUT_OFF_MS} ms (${source.length} bytes)` };
    else {
      counts.slowest = Math.max(counts.slowest, answer.ms);
      finding = answer.finding;
      if (finding === undefined && answer.ms > HANG_MS && source.length < MAX_INPUT_BYTES) {
        // Once more before calling it a hang: a busy machine or a garbage collection can be slow once.
        const again = await examineInWorker(source);
        const ms = again === "cut-off" ? Infinity : Math.min(answer.ms, again.ms);
        if (ms > HANG_MS) finding = { kind: "hang", detail: `${ms.toFixed(0)} ms for ${source.length} bytes` };
      }
      if (answer.accepted && finding === undefined) {
        counts.accepted++;
        if (counts.accepted % typecheckEvery === 0) pending.push({ source, files: answer.files });
        if (pending.length >= 10) flushTypeChecks();
      }
    }
    if (finding !== undefined) {
      const path = saveFinding(source, finding);
      found.push(path);
      process.stdout.write(`  ${finding.kind}: ${finding.detail.split("\n")[0]} -> ${path}\n`);
    }
    if (counts.specs % 100 === 0) process.stdout.write(`  ${counts.specs} specs, ${found.length} findings, slowest ${counts.slowest.toFixed(0)} ms\n`);
  }
}
flushTypeChecks();
await worker?.terminate();
process.stdout.write(
  `fuzz: ${counts.specs} specs (${(counts.bytes / 1e6).toFixed(1)} MB), ${counts.accepted} accepted, ${counts.typechecked} type-checked and imported, ` +
    `slowest ${counts.slowest.toFixed(0)} ms, ${found.length} findings (seed ${seed})\n`,
);
process.exit(found.length > 0 ? 1 : 0);
