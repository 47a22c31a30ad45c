// Replays every spec the fuzzer saved (test/fuzz/found/, one `.sup` per finding and a `.txt` saying
// what it was): each must now be answered, with located diagnostics and no internal error. How
// long they take is the long run's business (`npm run fuzz` times every spec; unit tests do not).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ensureFuzzProject, examineSpec, readFindings } from "./property.ts";

const test = suite("fuzz findings");

test.before(() => ensureFuzzProject());

const findings = readFindings();

test("the saved findings are there to replay", () => {
  assert.ok(findings.length > 0);
});

for (const { name, source } of findings) {
  test(name, () => {
    const examined = examineSpec(source);
    assert.is(examined.finding, undefined, `${examined.finding?.kind}: ${examined.finding?.detail}`);
  });
}

test.run();
