// docs/diagnostics.md cannot drift from the catalogue: every code has a section with its
// severity, and every example snippet produces its code with exactly the output shown.
// Refresh the shown output after a reviewed change: UPDATE_GOLDEN=1 npm run test:unit
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { CATALOGUE } from "../../compiler/diagnostics/catalogue.ts";
import { renderDiagnostics } from "../../compiler/diagnostics/render.ts";
import { renderSettingsTable } from "../../compiler/language/settings-table.ts";
import { EXAMPLE } from "./example.ts";
import { checkDeploymentFile } from "../../compiler/platform/drift.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const docsPath = join(root, "docs", "diagnostics.md");
const update = process.env["UPDATE_GOLDEN"] === "1";

/** Codes whose example cannot be a short snippet (see their sections). */
const NO_SNIPPET = new Set(["SUP1009", "SUP1013", "SUP9001", "SUP9002"]);

interface Section {
  readonly code: string;
  readonly body: string;
}

function readSections(text: string): Section[] {
  const parts = text.split(/^## /m).slice(1);
  return parts.map((part) => ({ code: /^(SUP\d{4})/.exec(part)?.[1] ?? "", body: part }));
}

const EXAMPLE_BLOCK = /```sup\n([\s\S]*?)\n```\n\n```text\n([\s\S]*?)```/;
/** A spec, then a deployment file it is checked against (`check --against`), then the output. */
const AGAINST_BLOCK = /```sup\n([\s\S]*?)\n```\n\n```(yaml|ini)\n([\s\S]*?)```\n\n```text\n([\s\S]*?)```/;

function renderAgainstExample(snippet: string, kind: string, file: string): { codes: string[]; rendered: string } {
  const spec = analyzeSpec(snippet, "shop.sup", { specDir: "/docs", fileExists: () => true });
  assert.ok(spec.app !== undefined, "the spec of a check --against example has no error");
  const name = kind === "ini" ? "shop.service" : "deploy.yaml";
  const diagnostics = checkDeploymentFile(spec.app, "shop.sup", name, file);
  const sources = new Map([["shop.sup", snippet], [name, file]]);
  return { codes: diagnostics.map((d) => d.code), rendered: renderDiagnostics(diagnostics, sources, { color: false }) };
}

/** The module files the examples of SUP4010 and SUP4011 read; every other module is not read. */
const EXAMPLE_MODULES: Readonly<Record<string, string>> = {
  "janitor.ts": "export async function run(scope: unknown) {}\nexport function stop() {}\n",
  "config.ts": "// settings for the api\nexport const start = { port: 8080 };\n",
};

function renderExample(snippet: string): { codes: string[]; rendered: string } {
  const result = analyzeSpec(snippet, "shop.sup", {
    specDir: "/docs",
    fileExists: (path) => !path.includes("missing"),
    // As the section of SUP4001 says: paths containing "missing" do not exist, paths without an extension are folders.
    statPath: (path) => (path.includes("missing") ? "missing" : extname(path) === "" ? "directory" : "file"),
    readFile: (path) => EXAMPLE_MODULES[basename(path)],
    // As the section of SUP4012 says: a bare program name is on PATH unless it contains "missing".
    searchPath: "/usr/bin",
  });
  return {
    codes: result.diagnostics.map((d) => d.code),
    rendered: renderDiagnostics(result.diagnostics, new Map([["shop.sup", snippet]]), { color: false }),
  };
}

const docs = suite("docs/diagnostics.md");

docs("codes in the catalogue are unique and well formed", () => {
  const codes = CATALOGUE.map((d) => d.code);
  assert.equal(codes, [...new Set(codes)].sort());
  for (const code of codes) assert.match(code, /^SUP[1-69]\d{3}$/);
});

docs("every message of every catalogue file is in M (no key of one range hides another's)", async () => {
  const folder = join(root, "compiler", "diagnostics");
  const files = readdirSync(folder).filter((f) => /^messages-.*\.ts$/.test(f));
  let defined = 0;
  for (const file of files) {
    const exports = (await import(join(folder, file))) as Record<string, Record<string, unknown>>;
    for (const part of Object.values(exports)) defined += Object.keys(part).length;
  }
  assert.ok(files.length >= 5, `expected the range files, found ${files.join(", ")}`);
  assert.is(CATALOGUE.length, defined);
});

docs("every code in the catalogue has a section, in order, with its severity", () => {
  const sections = readSections(readFileSync(docsPath, "utf8"));
  assert.equal(
    sections.map((s) => s.code),
    CATALOGUE.map((d) => d.code),
  );
  for (const def of CATALOGUE) {
    const section = sections.find((s) => s.code === def.code)!;
    assert.ok(section.body.includes(`Severity: **${def.severity}**.`), `${def.code} severity`);
  }
});

docs("every example produces its code, and the output shown is what the compiler prints", () => {
  let text = readFileSync(docsPath, "utf8");
  for (const section of readSections(text)) {
    // Service code: the examples are modules, audited by test/audit/docs-audit.test.ts.
    if (section.code.startsWith("SUP5")) continue;
    const against = AGAINST_BLOCK.exec(section.body);
    const match = against ?? EXAMPLE_BLOCK.exec(section.body);
    if (match === null) {
      assert.ok(NO_SNIPPET.has(section.code), `${section.code} needs an example`);
      continue;
    }
    const whole = match[0];
    const shown = against !== null ? against[4] : match[2];
    const { codes, rendered } = against !== null ? renderAgainstExample(against[1]!, against[2]!, against[3]!) : renderExample(match[1]!);
    assert.ok(codes.includes(section.code), `${section.code}: the example gave ${codes.join(", ") || "nothing"}`);
    if (update) {
      const fixed = whole!.replace(/```text\n[\s\S]*?```$/, "```text\n" + rendered + "```");
      text = text.replace(whole!, fixed);
    } else {
      assert.is(rendered, shown, `${section.code}: run UPDATE_GOLDEN=1 npm run test:unit after review`);
    }
  }
  if (update) writeFileSync(docsPath, text);
});

docs("every sup example in docs/language.md compiles without errors", () => {
  const text = readFileSync(join(root, "docs", "language.md"), "utf8");
  const blocks = [...text.matchAll(/```sup\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 5);
  assert.is(blocks[0], EXAMPLE, "the complete example is the one the tests use");
  for (const block of blocks) {
    const result = analyzeSpec(block, "language.sup", { specDir: "/docs", fileExists: () => true });
    assert.equal(result.diagnostics.map((d) => `${d.code} ${d.message}`), [], block);
  }
  // The phases the shutdown section promises for its example.
  const last = analyzeSpec(blocks[blocks.length - 1]!, "language.sup", { specDir: "/docs", fileExists: () => true });
  assert.equal(last.app!.root.shutdownPhases, [["web", "metrics"], ["api"], ["db", "cache"]]);
});

docs("the settings table in docs/language.md is the one the vocabulary renders", () => {
  const path = join(root, "docs", "language.md");
  const text = readFileSync(path, "utf8");
  const shown = /^\| Setting \|[^\n]*\n(?:\|[^\n]*\n)*/m.exec(text)?.[0];
  assert.ok(shown !== undefined, "docs/language.md has a settings table");
  const rendered = renderSettingsTable();
  if (update) writeFileSync(path, text.replace(shown, () => rendered));
  else assert.is(shown, rendered, "run UPDATE_GOLDEN=1 npm run test:unit after review");
});

docs.run();
