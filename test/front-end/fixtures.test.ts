// Error fixtures: test/fixtures/errors/<name>.sup in, the rendered diagnostics (no colour) in
// <name>.expected.txt, compared byte for byte. After reviewing a change in output, accept it
// with: UPDATE_GOLDEN=1 npm run test:unit
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSource } from "../../compiler/driver/api.ts";
import { CATALOGUE } from "../../compiler/diagnostics/catalogue.ts";
import { renderDiagnostics } from "../../compiler/diagnostics/render.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = join(root, "test", "fixtures", "errors");
const update = process.env["UPDATE_GOLDEN"] === "1";

const fixtures = suite("error fixtures");

const names = readdirSync(dir)
  .filter((f) => f.endsWith(".sup"))
  .map((f) => f.slice(0, -".sup".length))
  .sort();

fixtures("there are fixtures", () => {
  assert.ok(names.length >= 5);
});

for (const name of names) {
  fixtures(name, () => {
    const fileName = `test/fixtures/errors/${name}.sup`;
    const source = readFileSync(join(root, fileName), "utf8");
    // Through the API's own file-system wiring: module paths are judged as the CLI judges them.
    const result = analyzeSource(source, fileName, dir);
    const rendered = renderDiagnostics(result.diagnostics, new Map([[fileName, source]]), { color: false });
    const expectedPath = join(dir, `${name}.expected.txt`);
    if (update) writeFileSync(expectedPath, rendered);
    assert.ok(existsSync(expectedPath), `missing ${expectedPath}: run UPDATE_GOLDEN=1 npm run test:unit`);
    assert.ok(result.diagnostics.length > 0, "an error fixture must produce diagnostics");
    assert.is(rendered, readFileSync(expectedPath, "utf8"));
  });
}

/**
 * Codes no spec can produce: the compiler failing itself, retired codes (SUP1009: keywords are
 * contextual), and what `check --against` finds in a deployment file (SUP62xx), rendered with
 * their files in docs/diagnostics.md and test/platform/.
 */
const NOT_FROM_A_SPEC = new Set(["SUP1009", "SUP9001", "SUP9002", ...CATALOGUE.map((d) => d.code).filter((code) => code.startsWith("SUP62"))]);

fixtures("every code in the catalogue is rendered by some fixture", () => {
  const rendered = names.map((name) => readFileSync(join(dir, `${name}.expected.txt`), "utf8")).join("\n");
  // Service code (SUP5xxx) comes from modules, not specs: its examples in docs/diagnostics.md are
  // rendered byte for byte by test/audit/docs-audit.test.ts.
  const missing = CATALOGUE.map((d) => d.code).filter((code) => !NOT_FROM_A_SPEC.has(code) && !code.startsWith("SUP5") && !rendered.includes(` ${code}: `));
  assert.equal(missing, [], "add a fixture in test/fixtures/errors/ that produces these codes");
});

fixtures.run();
