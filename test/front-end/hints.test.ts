// Hints and related notes: their wording lives only in compiler/diagnostics/hints.ts and
// notes.ts, every entry there is used by some check or syntax error (no dead wording that a
// reader would take for a live message), and the call sites hold no wording of their own.
//
// Uses are read from the text: a call site writes `H.name(` or `N.name(`, never a computed
// key, so a plain pattern finds every one; comment lines are left out so that a mention in a
// comment does not count as a use.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { H } from "../../compiler/diagnostics/hints.ts";
import { N } from "../../compiler/diagnostics/notes.ts";
import { didYouMean } from "../../compiler/diagnostics/did-you-mean.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("diagnostics/hints and notes");

const WORDING_FILES: ReadonlySet<string> = new Set(["compiler/diagnostics/hints.ts", "compiler/diagnostics/notes.ts"]);

/** Where a check or a syntax error builds a diagnostic: no hint or note text may be written here. */
const CALL_SITE_FOLDERS = ["compiler/analysis", "compiler/syntax", "compiler/model", "compiler/language", "compiler/audit"];

function listSources(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) files.push(...listSources(path));
    else if (entry.endsWith(".ts")) files.push(path);
  }
  return files;
}

/** The compiler's sources outside the wording files, with comment lines blanked out. */
function readCallSites(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const path of listSources(join(REPO_ROOT, "compiler"))) {
    const name = relative(REPO_ROOT, path).split("\\").join("/");
    if (WORDING_FILES.has(name)) continue;
    const code = readFileSync(path, "utf8")
      .split("\n")
      .map((line) => (/^\s*(\/\/|\/\*\*?|\*)/.test(line) ? "" : line))
      .join("\n");
    sources.set(name, code);
  }
  return sources;
}

function findUnused(table: string, entries: object, sources: ReadonlyMap<string, string>): string[] {
  const all = [...sources.values()].join("\n");
  return Object.keys(entries).filter((key) => !new RegExp(`\\b${table}\\.${key}\\(`).test(all));
}

test("every hint is used by a call site", () => {
  const sources = readCallSites();
  assert.ok(Object.keys(H).length > 40, "the hints were found");
  assert.equal(findUnused("H", H, sources), []);
});

test("every related note is used by a call site", () => {
  const sources = readCallSites();
  assert.ok(Object.keys(N).length > 15, "the notes were found");
  assert.equal(findUnused("N", N, sources), []);
});

test("the unused check sees an entry that no call site uses", () => {
  const sources = readCallSites();
  assert.equal(findUnused("H", { ...H, neverWritten: () => "" }, sources), ["neverWritten"]);
});

test("call sites write no hint or note text of their own", () => {
  const offending: string[] = [];
  for (const [name, code] of readCallSites()) {
    if (!CALL_SITE_FOLDERS.some((folder) => name.startsWith(`${folder}/`))) continue;
    code.split("\n").forEach((line, i) => {
      if (/\b(hint|message)\s*:\s*["'`]/.test(line) || /did you mean/i.test(line)) offending.push(`${name}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.equal(offending, []);
});

test("one did-you-mean wording, for suggestions made by search and by lookup", () => {
  assert.is(H.didYouMean("cache"), "did you mean 'cache'?");
  assert.is(didYouMean("cach", ["db", "cache"]), H.didYouMean("cache"));
  assert.is(didYouMean("zzzzzz", ["db", "cache"]), undefined);
});

test("hints and notes quote names the way messages do", () => {
  assert.is(H.writeAPath(["w.cache", "t.cache"]), "write a path: 'w.cache' or 't.cache'");
  assert.is(H.writeATimeoutSetting(["start timeout", "stop timeout"]), "write 'start timeout' or 'stop timeout'");
  assert.is(N.allowsRestarts("app 'shop'", 1, "5s", true), "app 'shop' allows 1 restart per 5s (the default)");
  assert.is(N.allowsRestarts("supervisor 'w'", 3, "1m", false), "supervisor 'w' allows 3 restarts per 1m");
});

test("the platform hint shortens what decides the figure, when there is room left", () => {
  assert.is(
    H.fitThePlatformWait("grace", "25s", "terminationGracePeriodSeconds", "kubernetes", "31s"),
    "lower 'grace' to 25s or less, or set terminationGracePeriodSeconds to 31s and write 'deploy kubernetes timeout 31s'",
  );
  assert.match(H.fitThePlatformWait("path", "5s", "x", "compose", "12s"), /^shorten the stop timeouts on this path to 5s in all, or set x/);
  assert.is(H.fitThePlatformWait("path", undefined, "x", "compose", "12s"), "set x to 12s and write 'deploy compose timeout 12s'");
});

test.run();
