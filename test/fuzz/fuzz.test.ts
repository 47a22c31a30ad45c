// The short fuzz run of `npm test` (a fixed seed, so a failure reproduces): accepted, mutated and
// repeated specs through the whole front end and emitter, and a sample of accepted specs
// type-checked with tsc. `npm run fuzz -- --runs N` is the long run, with timing and saved findings.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { acceptedSpec, mutatedSpec, repeatedSpec } from "./generators.ts";
import { ensureFuzzProject, examineSpec } from "./property.ts";
import { typeCheckSets } from "./typecheck-sets.ts";

const test = suite("fuzz (short run)");

test.before(() => ensureFuzzProject());

function assertHolds(source: string): ReturnType<typeof examineSpec> {
  const examined = examineSpec(source);
  assert.is(examined.finding, undefined, `${examined.finding?.kind}: ${examined.finding?.detail}\n${JSON.stringify(source.slice(0, 400))}`);
  return examined;
}

test("accepted specs over hostile names compile, and a sample type-checks and imports", () => {
  const sets: { source: string; files: ReturnType<typeof examineSpec>["files"] }[] = [];
  for (const source of fc.sample(acceptedSpec, { numRuns: 60, seed: 1501 })) {
    const examined = assertHolds(source);
    assert.ok(examined.accepted, `rejected: ${source}`);
    if (sets.length < 6) sets.push({ source, files: examined.files });
  }
  const failures = typeCheckSets(sets, "short");
  assert.equal(failures, []);
});

test("mutated real specs are answered with located diagnostics", () => {
  for (const source of fc.sample(mutatedSpec, { numRuns: 100, seed: 1502 })) assertHolds(source);
});

test("repeated fragments up to 20 KB are answered with located diagnostics", () => {
  for (const source of fc.sample(repeatedSpec(20_000), { numRuns: 30, seed: 1503 })) assertHolds(source);
});

test.run();
