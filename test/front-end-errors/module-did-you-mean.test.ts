// Did-you-mean for module paths, from the files near the one named: on an injected file system
// (a set of paths), so each case says exactly what exists.
import { posix } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import type { PathKind } from "../../compiler/analysis/registry.ts";
import { H } from "../../compiler/diagnostics/hints.ts";

const FILES = ["/p/package.json", "/p/services/cache.ts", "/p/services/db.ts", "/p/services/queue.mjs", "/p/services/README.md", "/p/lib/util.ts"];

function folders(): Set<string> {
  const dirs = new Set<string>();
  for (const f of FILES) for (let d = posix.dirname(f); d !== "/"; d = posix.dirname(d)) dirs.add(d);
  return dirs;
}

/** The hint of the one diagnostic a module path gets. */
function hintFor(path: string, options: { list?: boolean } = {}): string | undefined {
  const dirs = folders();
  const statPath = (p: string): PathKind => (FILES.includes(p) ? "file" : dirs.has(p) ? "directory" : "missing");
  const listDirectory = (dir: string): string[] => {
    const names = new Set<string>();
    for (const entry of [...FILES, ...dirs]) if (posix.dirname(entry) === dir) names.add(posix.basename(entry));
    return [...names];
  };
  const source = `app t {\n  service s { module "${path}" }\n}\n`;
  const result = analyzeSpec(source, "t.sup", {
    specDir: "/p",
    fileExists: (p) => statPath(p) !== "missing",
    statPath,
    ...(options.list === false ? {} : { listDirectory }),
  });
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP4001"], `${path}: one error`);
  return result.diagnostics[0]!.hint;
}

const test = suite("module paths: did you mean, from the files near it");

test("a misspelled file name finds the module file beside it", () => {
  assert.is(hintFor("./services/cahce.ts"), H.didYouMean("./services/cache.ts"));
  assert.is(hintFor("./services/qeueu.mjs"), H.didYouMean("./services/queue.mjs"));
});

test("a misspelled folder, and a file misspelled in it too", () => {
  assert.is(hintFor("./servces/db.ts"), H.didYouMean("./services/db.ts"));
  assert.is(hintFor("./servces/cahce.ts"), H.didYouMean("./services/cache.ts"));
  assert.is(hintFor("./lbi/util.ts"), H.didYouMean("./lib/util.ts"));
});

test("only module files are suggested, and nothing far off", () => {
  assert.is(hintFor("./services/README.ts"), H.modulePathsAreRelative());
  assert.is(hintFor("./services/payments.ts"), H.modulePathsAreRelative());
  assert.is(hintFor("./nowhere/cache.ts"), H.modulePathsAreRelative());
});

test("the same file with another extension still comes first", () => {
  assert.is(hintFor("./services/cache.js"), H.didYouMean("./services/cache.ts"));
});

test("without a way to list folders, no guess is made", () => {
  assert.is(hintFor("./services/cahce.ts", { list: false }), H.modulePathsAreRelative());
});

test.run();
