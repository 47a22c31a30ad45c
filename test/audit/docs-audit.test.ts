// The audit's documentation cannot drift from the audit: each SUP5xxx section of
// docs/diagnostics.md shows a module and exactly what `supervise audit` prints for it, and each
// rule of docs/audit.md has a bad example it reports and a good one it does not.
// Refresh the shown output after a reviewed change: UPDATE_GOLDEN=1 npm run test:unit
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { auditModules } from "../../compiler/audit/run-audit.ts";
import { AUDIT_RULES } from "../../compiler/audit/rules.ts";
import { renderDiagnostics } from "../../compiler/diagnostics/render.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("audit/docs");
const update = process.env["UPDATE_GOLDEN"] === "1";
const NAME = "services/worker.ts";

/** Audits one module as `services/worker.ts` of a scratch project. */
function auditSnippet(text: string): Diagnostic[] {
  const dir = mkdtempSync(join(tmpdir(), "supervise-audit-doc-"));
  try {
    mkdirSync(join(dir, "services"));
    const path = join(dir, NAME);
    writeFileSync(path, text);
    return [...auditModules([{ path, name: NAME, text }], dir).diagnostics];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("every SUP5xxx example of docs/diagnostics.md gives its code, with exactly the output shown", () => {
  const path = join(REPO_ROOT, "docs", "diagnostics.md");
  let text = readFileSync(path, "utf8");
  const sections = text.split(/^## /m).filter((part) => part.startsWith("SUP5"));
  assert.ok(sections.length >= AUDIT_RULES.length);
  for (const section of sections) {
    const code = section.slice(0, 7);
    const match = /```ts\n([\s\S]*?)\n```\n\n```text\n([\s\S]*?)```/.exec(section);
    assert.ok(match !== null, `${code} has a module and its output`);
    const [whole, snippet, shown] = match;
    const diagnostics = auditSnippet(snippet! + "\n");
    assert.ok(diagnostics.some((d) => d.code === code), `${code}: the example gave ${diagnostics.map((d) => d.code).join(", ") || "nothing"}`);
    const rendered = renderDiagnostics(diagnostics, new Map([[NAME, snippet! + "\n"]]), { color: false });
    if (update) text = text.replace(whole!, whole!.replace(/```text\n[\s\S]*?```$/, "```text\n" + rendered + "```"));
    else assert.is(rendered, shown, `${code}: run UPDATE_GOLDEN=1 npm run test:unit after review`);
  }
  if (update) writeFileSync(path, text);
});

test("docs/audit.md: each rule has a bad example it reports and a good one with no finding", () => {
  const text = readFileSync(join(REPO_ROOT, "docs", "audit.md"), "utf8");
  for (const rule of AUDIT_RULES) {
    const section = text.split(/^### /m).find((part) => part.startsWith(`\`${rule.name}\``));
    assert.ok(section !== undefined, `docs/audit.md has a section for ${rule.name}`);
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.is(blocks.length, 2, `${rule.name}: a bad and a good example`);
    assert.equal([...new Set(auditSnippet(blocks[0]!).map((d) => d.code))], [rule.def.code], `${rule.name}: the bad example`);
    assert.equal(auditSnippet(blocks[1]!).map((d) => `${d.code} ${d.message}`), [], `${rule.name}: the good example`);
  }
});

test.run();
