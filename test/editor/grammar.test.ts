// The TextMate grammar of editors/vscode/, checked with vscode-tmgrammar-test on the annotated
// samples in test/editor/tm-samples/ (each `^` line names the scope the text above it must have),
// and the extension's manifest pointing at files that exist.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";
import { KEYWORDS } from "../../compiler/syntax/tokens.ts";

const EXTENSION = join(REPO_ROOT, "editors", "vscode");
const test = suite("editors/vscode");

test("the grammar gives every annotated sample its scopes", () => {
  const run = spawnSync(
    process.execPath,
    [join(REPO_ROOT, "node_modules", "vscode-tmgrammar-test", "dist", "unit.js"), "-g", join(EXTENSION, "syntaxes", "supervise.tmLanguage.json"), "test/editor/tm-samples/*.sup"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  assert.is(run.status, 0, run.stdout + run.stderr);
  const output = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  assert.match(output, /keyword-names\.sup run successfuly/, output);
  assert.match(output, /shop\.sup run successfuly/);
});

test("the manifest contributes the language, its configuration and the grammar, and the client starts 'lsp --stdio'", () => {
  const manifest = JSON.parse(readFileSync(join(EXTENSION, "package.json"), "utf8")) as {
    main: string;
    contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { language: string; path: string; scopeName: string }[] };
  };
  const [language] = manifest.contributes.languages;
  const [grammar] = manifest.contributes.grammars;
  assert.equal(language!.extensions, [".sup"]);
  assert.is(grammar!.language, language!.id);
  for (const path of [manifest.main, language!.configuration, grammar!.path]) assert.ok(existsSync(join(EXTENSION, path)), path);
  const scopeName = (JSON.parse(readFileSync(join(EXTENSION, grammar!.path), "utf8")) as { scopeName: string }).scopeName;
  assert.is(scopeName, grammar!.scopeName);
  assert.match(readFileSync(join(EXTENSION, manifest.main), "utf8"), /args: \["lsp", "--stdio"\]/);
});

/** Keywords the grammar scopes by their own rules: blocks, the two name lists, and a constant. */
const OWN_RULES = new Set(["app", "service", "supervisor", "needs", "shutdown", "infinity"]);

test("the grammar's setting words are the lexer's keywords (UPDATE_GOLDEN=1 rewrites them)", () => {
  const path = join(EXTENSION, "syntaxes", "supervise.tmLanguage.json");
  const grammar = JSON.parse(readFileSync(path, "utf8")) as { repository: { settings: { match: string } } };
  const words = KEYWORDS.map((k) => k.name.toLowerCase()).filter((w) => !OWN_RULES.has(w));
  const expected = `\\b(${words.join("|")})\\b`;
  if (process.env["UPDATE_GOLDEN"] === "1" && grammar.repository.settings.match !== expected) {
    grammar.repository.settings.match = expected;
    writeFileSync(path, JSON.stringify(grammar, null, 2) + "\n");
  }
  assert.is(grammar.repository.settings.match, expected, "a keyword was added or removed: run UPDATE_GOLDEN=1 npm run test:unit");
});

test.run();
