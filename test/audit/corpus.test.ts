// Precision of the audit on a corpus of buggy and clean service modules (test/audit/corpus/): each
// buggy file marks the lines a finding must be on (`// expect: SUP5001`), and every finding of the
// audit must be one of those marks, so a clean file must have none. Run through the driver's
// `auditSpecFile` on one spec naming every corpus module, as `supervise audit` does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { auditSpecFile } from "../../compiler/driver/api.ts";
import { LineMap } from "../../compiler/diagnostics/source-text.ts";
import { AUDIT_RULES } from "../../compiler/audit/rules.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("audit/corpus");

const CORPUS = join(REPO_ROOT, "test", "audit", "corpus");
const MODULES = readdirSync(CORPUS).filter((f) => /\.(ts|mjs)$/.test(f)).sort();

/** "line CODE" for every mark in a file. */
function expectedFindings(file: string): string[] {
  const lines = readFileSync(join(CORPUS, file), "utf8").split("\n");
  return lines.flatMap((text, i) => [...(/\/\/ expect: (.*)$/.exec(text)?.[1]?.matchAll(/SUP\d{4}/g) ?? [])].map((m) => `${i + 1} ${m[0]}`));
}

const audit = await auditSpecFile(join(CORPUS, "corpus.sup"));

function actualFindings(file: string): string[] {
  const name = audit.sources.has(`test/audit/corpus/${file}`) ? `test/audit/corpus/${file}` : undefined;
  assert.ok(name !== undefined, `${file} was audited`);
  const map = new LineMap(audit.sources.get(name)!);
  return audit.diagnostics.filter((d) => d.fileName === name).map((d) => `${map.position(d.span.start).line} ${d.code}`);
}

test("the spec naming the corpus is clean and every corpus module was audited", () => {
  assert.equal(audit.modules.length, MODULES.length);
  assert.equal(audit.diagnostics.filter((d) => !d.code.startsWith("SUP5")), []);
});

for (const file of MODULES) {
  test(`${file}: ${file.includes(".bad.") ? "each bug reported on its line, nothing else" : "no finding"}`, () => {
    const expected = expectedFindings(file).sort();
    if (file.includes(".bad.")) assert.ok(expected.length > 0, "a buggy file marks its bugs");
    else assert.equal(expected, [], "a clean file marks nothing");
    assert.equal(actualFindings(file).sort(), expected);
  });
}

test("every rule has a buggy file that it reports and a clean file of its own", () => {
  const marked = new Set(MODULES.flatMap(expectedFindings).map((f) => f.split(" ")[1]));
  for (const rule of AUDIT_RULES) {
    assert.ok(marked.has(rule.def.code), `${rule.def.code} (${rule.name}) is marked in some buggy file`);
    assert.ok(MODULES.includes(`${rule.name}.bad.ts`) && MODULES.includes(`${rule.name}.good.ts`), `${rule.name} has its pair`);
  }
});

test("findings carry the rule's hint and a span inside their line", () => {
  for (const d of audit.diagnostics) {
    const rule = AUDIT_RULES.find((r) => r.def.code === d.code);
    assert.ok(rule !== undefined && d.hint === rule.hint, `${d.code} carries its rule's hint`);
    assert.ok(d.span.end > d.span.start, `${d.code} has a non-empty span`);
  }
});

test("examples/shop: every module audited, no finding", async () => {
  const shop = await auditSpecFile(join(REPO_ROOT, "examples", "shop", "shop.sup"));
  assert.equal(shop.modules.length, 5);
  assert.equal(shop.diagnostics, []);
});

test.run();
