// One mistake, one error: each spec in test/fixtures/errors/one-mistake/ holds a single mistake
// (or none), and the table below keeps how many errors it gives and with which code, so that a
// cascade creeping back in fails here. The rendered output is kept next to each spec
// (<name>.expected.txt); UPDATE_GOLDEN=1 npm run test:unit rewrites it for review.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSource } from "../../compiler/driver/api.ts";
import { renderDiagnostics } from "../../compiler/diagnostics/render.ts";
import { H } from "../../compiler/diagnostics/hints.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const DIR = join(REPO_ROOT, "test", "fixtures", "errors", "one-mistake");
const update = process.env["UPDATE_GOLDEN"] === "1";

/** Fixture -> the codes of its errors (one each) and the hint the user reads. */
const EXPECTED: Readonly<Record<string, { codes: readonly string[]; hint?: string }>> = {
  "dotted-name": { codes: ["SUP1014"], hint: H.renameIt("gitlab-target") },
  "dotted-supervisor": { codes: ["SUP1014"], hint: H.renameIt("workers-pool") },
  "quoted-name": { codes: ["SUP1014"], hint: H.renameIt("gitlab") },
  "digit-name": { codes: ["SUP1014"], hint: H.renameIt("service-2fa") },
  "unit-apart": { codes: ["SUP1010"], hint: H.joinDurationUnit("30s") },
  "unit-apart-timeout": { codes: ["SUP1010"], hint: H.joinDurationUnit("5s") },
  "unterminated-module": { codes: ["SUP1002"] },
  "unterminated-name": { codes: ["SUP1002"] },
  "trailing-dot-name": { codes: ["SUP1005"] },
  // A keyword starting the next line is the next setting, not the missing name.
  "trailing-comma": { codes: ["SUP1005"] },
  "misspelled-module": { codes: ["SUP4001"], hint: H.didYouMean("./services/cache.ts") },
  "misspelled-module-folder": { codes: ["SUP4001"], hint: H.didYouMean("./services/cache.ts") },
  // Keywords name services; the one mistake is the unknown name.
  "keyword-names": { codes: ["SUP2002"] },
};

const test = suite("one mistake, one error");

const names = readdirSync(DIR)
  .filter((f) => f.endsWith(".sup"))
  .map((f) => f.slice(0, -".sup".length))
  .sort();

test("every fixture has its expected count, and every count its fixture", () => {
  assert.equal(names, Object.keys(EXPECTED).sort());
});

for (const name of names) {
  test(name, () => {
    const fileName = `test/fixtures/errors/one-mistake/${name}.sup`;
    const source = readFileSync(join(REPO_ROOT, fileName), "utf8");
    const result = analyzeSource(source, fileName, DIR);
    const expected = EXPECTED[name];
    assert.ok(expected !== undefined, `${name} has no expected count`);
    assert.equal(result.diagnostics.map((d) => d.code), expected.codes);
    if (expected.hint !== undefined) assert.is(result.diagnostics[0]?.hint, expected.hint);
    const rendered = renderDiagnostics(result.diagnostics, new Map([[fileName, source]]), { color: false });
    const expectedPath = join(DIR, `${name}.expected.txt`);
    if (update) writeFileSync(expectedPath, rendered);
    assert.ok(existsSync(expectedPath), `missing ${expectedPath}: run UPDATE_GOLDEN=1 npm run test:unit`);
    assert.is(rendered, readFileSync(expectedPath, "utf8"));
  });
}

test.run();
