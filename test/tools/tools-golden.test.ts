// Golden outputs of `supervise graph` and `supervise plan` (and fmt of a messy spec), compared
// byte for byte with test/fixtures/tools/. After a reviewed change: UPDATE_GOLDEN=1 npm run test:unit
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { formatSpec } from "../../compiler/tools/format-spec.ts";
import { renderGraph } from "../../compiler/tools/render-graph.ts";
import { renderPlan } from "../../compiler/tools/render-plan.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const OUT = join(REPO_ROOT, "test", "fixtures", "tools");
const update = process.env["UPDATE_GOLDEN"] === "1";
const SPECS = ["examples/shop/shop.sup", "test/fixtures/golden/pipeline.sup", "test/fixtures/golden/minimal.sup", "test/fixtures/golden/polyglot.sup", "test/fixtures/tools/escaping.sup"];

const golden = suite("graph and plan golden outputs");

function compareGolden(file: string, actual: string): void {
  const path = join(OUT, file);
  if (update) writeFileSync(path, actual);
  assert.ok(existsSync(path), `missing ${file}: run UPDATE_GOLDEN=1 npm run test:unit`);
  assert.is(actual, readFileSync(path, "utf8"), `${file}: run UPDATE_GOLDEN=1 npm run test:unit after review`);
}

for (const spec of SPECS) {
  const name = basename(spec, ".sup");
  golden(name, () => {
    const analysis = analyzeSpec(readFileSync(join(REPO_ROOT, spec), "utf8"), spec, { specDir: "/", fileExists: () => true });
    assert.equal(analysis.diagnostics, [], "a golden spec has no diagnostics");
    const app = analysis.app!;
    compareGolden(`${name}.graph.mmd`, renderGraph(app, "mermaid"));
    compareGolden(`${name}.graph.dot`, renderGraph(app, "dot"));
    compareGolden(`${name}.plan.txt`, renderPlan(app, "text"));
    compareGolden(`${name}.plan.mmd`, renderPlan(app, "mermaid"));
  });
}

golden("fmt of a messy spec", () => {
  const formatted = formatSpec(readFileSync(join(OUT, "messy.sup"), "utf8"), "messy.sup").formatted!;
  compareGolden("messy.fmt.sup", formatted);
});

golden.run();
