// The ESLint plugin in a user's own setup: a scratch project with the eslint.config.js that
// docs/audit.md shows (test/audit/plugin/eslint.config.js), the corpus as its services, and the
// real ESLint CLI. It must report exactly what `supervise audit` reports: every mark, nothing else.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { AUDIT_RULES } from "../../compiler/audit/rules.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("audit/eslint-plugin");

const CORPUS = join(REPO_ROOT, "test", "audit", "corpus");
const CONFIG = join(REPO_ROOT, "test", "audit", "plugin", "eslint.config.js");
const TOOLCHAIN = join(REPO_ROOT, "audit-toolchain", "node_modules");

interface EslintFile {
  readonly filePath: string;
  readonly messages: readonly { readonly ruleId: string | null; readonly line: number; readonly message: string }[];
}

/** A project as a user has it: supervise, eslint and typescript-eslint installed, a tsconfig, the config. */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "supervise-eslint-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "supervise"), "dir");
  symlinkSync(join(REPO_ROOT, "node_modules", "eslint"), join(dir, "node_modules", "eslint"), "dir");
  symlinkSync(join(TOOLCHAIN, "typescript-eslint"), join(dir, "node_modules", "typescript-eslint"), "dir");
  symlinkSync(join(TOOLCHAIN, "typescript"), join(dir, "node_modules", "typescript"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
  const compilerOptions = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, allowJs: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["services"] }));
  copyFileSync(CONFIG, join(dir, "eslint.config.js"));
  mkdirSync(join(dir, "services"));
  for (const file of readdirSync(CORPUS).filter((f) => /\.(ts|mjs)$/.test(f))) {
    const text = readFileSync(join(CORPUS, file), "utf8").replace('"../../../runtime/api/types.ts"', '"supervise/runtime"');
    writeFileSync(join(dir, "services", file), text);
  }
  return dir;
}

function runEslint(dir: string): EslintFile[] {
  const bin = join(REPO_ROOT, "node_modules", "eslint", "bin", "eslint.js");
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [bin, "--format", "json", "services"], { cwd: dir, encoding: "utf8" });
  } catch (error) {
    // ESLint exits 1 when it reports errors; its JSON is still on stdout.
    stdout = (error as { stdout?: string }).stdout ?? "";
    if (stdout === "") throw error;
  }
  return JSON.parse(stdout) as EslintFile[];
}

const CODES = new Map(AUDIT_RULES.map((r) => [`supervise/${r.name}`, r.def.code]));

test("the documented config runs the rules on a user's services: every mark reported, nothing else", () => {
  const dir = makeProject();
  try {
    const results = runEslint(dir);
    assert.ok(results.length >= 18, `ESLint linted ${results.length} files`);
    for (const file of results) {
      const name = file.filePath.split(/[\\/]/).pop()!;
      const expected = readFileSync(join(CORPUS, name), "utf8")
        .split("\n")
        .flatMap((text, i) => [...(/\/\/ expect: (.*)$/.exec(text)?.[1]?.matchAll(/SUP\d{4}/g) ?? [])].map((m) => `${i + 1} ${m[0]}`))
        .sort();
      const actual = file.messages.map((m) => `${m.line} ${m.ruleId !== null ? CODES.get(m.ruleId) ?? m.ruleId : `parse error: ${m.message}`}`).sort();
      assert.equal(actual, expected, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the plugin's recommended config enables every rule at its catalogue severity", async () => {
  const { plugin } = await import("../../compiler/audit/plugin.ts");
  const rules = plugin.configs.recommended.rules ?? {};
  for (const rule of AUDIT_RULES) assert.is(rules[`supervise/${rule.name}`], rule.def.severity === "error" ? "error" : "warn");
  assert.is((plugin.configs.recommended.plugins ?? {})["supervise"], plugin);
});

test("dist/eslint-plugin.js imports nothing: it runs on the user's ESLint and typescript-eslint", () => {
  const text = readFileSync(join(REPO_ROOT, "dist", "eslint-plugin.js"), "utf8");
  assert.not.match(text, /^\s*import\s.*from\s/m);
  assert.not.match(text, /\brequire\(/);
  assert.not.ok(text.includes("chevrotain"), "the spec's front end is not part of the plugin");
});

test.run();
