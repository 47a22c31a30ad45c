// The language's names are defined once: the vocabulary (compiler/language/vocabulary.ts) and,
// for the names the runtime needs too, runtime/api/plan.ts. Everything else reads them from
// there, so a renamed or added value touches one array and not eight files. This suite keeps it
// so, and checks that the table agrees with what the checks and the model do with it.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  PLACED_KINDS,
  PLATFORMS,
  RESTART_POLICIES,
  SETTING_FIRST_WORDS,
  SETTINGS,
  STRATEGIES,
  UNCATCHABLE_SIGNALS,
} from "../../compiler/language/vocabulary.ts";
import { PLATFORMS as PLATFORM_FACTS } from "../../compiler/model/platforms.ts";
import * as D from "../../compiler/language/defaults.ts";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { parseSpec } from "../../compiler/syntax/parse-spec.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Every product file: the compiler, its templates and the runtime. */
function listProductFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listProductFiles(path) : [path];
  });
}

// The project templates of `supervise init` (*.tmpl) are a user's spec and code, like examples/.
const FILES = [...listProductFiles("compiler"), ...listProductFiles("runtime")].filter((path) => !path.endsWith(".tmpl")).map((path) => ({
  path: relative(root, join(root, path)),
  text: readFileSync(join(root, path), "utf8"),
}));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The files that spell `value`; `quotedOnly` counts only string literals (for ordinary words). */
function findSpellings(value: string, quotedOnly: boolean): string[] {
  const word = escapeRegExp(value);
  const pattern = quotedOnly ? new RegExp(`(["'\`])${word}\\1`) : new RegExp(`\\b${word}\\b`);
  return FILES.filter((f) => pattern.test(f.text)).map((f) => f.path);
}

const spelling = suite("vocabulary: each name spelled once");

spelling("strategies and uncatchable signals appear, comments included, in at most 2 product files", () => {
  // SIGKILL is also the signal the runtime and the platforms send to kill, a fact of its own.
  const names = [...STRATEGIES, ...UNCATCHABLE_SIGNALS.filter((s) => s !== "SIGKILL")];
  for (const name of names) {
    const files = findSpellings(name, false);
    assert.ok(files.length >= 1 && files.length <= 2, `${name} is spelled in ${files.join(", ")}`);
  }
});

spelling("restart policies and platforms, ordinary words in prose, are quoted in code in at most 2 product files", () => {
  for (const name of [...RESTART_POLICIES, ...PLATFORMS]) {
    const files = findSpellings(name, true);
    assert.ok(files.length >= 1 && files.length <= 2, `${name} is spelled in ${files.join(", ")}`);
  }
});

spelling("the counting finds a spelling that is there", () => {
  assert.equal(findSpellings("rest_for_one", false).sort(), ["runtime/api/plan.ts", "runtime/engine/restart.ts"]);
  assert.ok(findSpellings("temporary", true).includes("runtime/api/plan.ts"));
});

const table = suite("vocabulary: the table and the language agree");

table("every platform of the vocabulary has its facts, and no other", () => {
  assert.equal(
    PLATFORM_FACTS.map((p) => p.name),
    [...PLATFORMS],
  );
});

table("the defaults are the table's", () => {
  assert.is(D.DEFAULT_GRACE_MS, 30_000);
  assert.is(D.DEFAULT_SUPERVISOR_STOP_TIMEOUT_MS, Infinity);
  assert.is(D.DEFAULT_SERVICE_STOP_TIMEOUT_MS, 5_000);
  assert.equal(D.DEFAULT_INTENSITY, { max: 1, periodMs: 5_000 });
  assert.is(D.DEFAULT_STRATEGY, STRATEGIES[0]);
  assert.is(D.DEFAULT_RESTART, RESTART_POLICIES[0]);
});

table("every setting's first word can start a line: misplaced, it is reported as misplaced, not as unknown", () => {
  assert.ok(SETTING_FIRST_WORDS.includes("stop") && !SETTING_FIRST_WORDS.includes("timeout"));
  for (const kind of PLACED_KINDS) {
    const spec = SETTINGS[kind];
    const codes = analyzeSpec(`app a {\n  service s {\n    module "./s.ts"\n  }\n  ${spec.words} x\n}\n`, "a.sup", { specDir: "/", fileExists: () => true }).diagnostics.map(
      (d) => d.code,
    );
    assert.not.ok(codes.includes("SUP1007"), `'${spec.words}' is not known as a setting: ${codes.join(", ")}`);
  }
});

table("a repeatable setting may be given twice; any other is reported (SUP2004, or SUP3007 for shutdown)", () => {
  const twice = (line: string): string[] =>
    analyzeSpec(`app a {\n  supervisor g {\n    service s {\n      exec "./s"\n      ${line}\n      ${line}\n    }\n    ${line}\n    ${line}\n  }\n}\n`, "a.sup", {
      specDir: "/",
      fileExists: () => true,
    }).diagnostics.map((d) => d.code);
  assert.not.ok(twice('env A "1"').includes("SUP2004"));
  assert.ok(twice('cwd "."').includes("SUP2004"));
  assert.equal(
    PLACED_KINDS.filter((k) => SETTINGS[k].repeatable),
    ["needs", "env", "after"],
  );
});

table("a setting the table calls a duration holds one: the duration checks read its value", () => {
  const durations = PLACED_KINDS.filter((k) => SETTINGS[k].value === "duration");
  assert.equal(durations, ["grace", "start-timeout", "stop-timeout", "drain"]);
  for (const kind of durations) {
    const { words, blocks } = SETTINGS[kind];
    const source = blocks[0] === "app" ? `app a {\n  ${words} 7s\n}\n` : `app a {\n  ${blocks[0]} b {\n    ${words} 7s\n  }\n}\n`;
    const app = parseSpec(source, "a.sup").spec.app!;
    const block = blocks[0] === "app" ? app : app.children[0]!;
    const written = block.settings.find((s) => s.kind === kind);
    assert.is(written !== undefined && "value" in written ? (written.value as { ms?: number }).ms : undefined, 7_000, kind);
  }
});

spelling.run();
table.run();
