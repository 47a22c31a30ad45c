// `supervise fmt` on real specs and on the cases its layout rules name: every example and every
// fixture that parses cleanly is a fixed point after one run and keeps its tree; the examples
// are already canonical; comments stay where they were; syntax errors are never formatted.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatSpec } from "../../compiler/tools/format-spec.ts";
import { REPO_ROOT } from "../golden/specs.ts";
import { astShape, parsesCleanly } from "./ast-shape.ts";

const format = suite("fmt");

function findSpecs(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return findSpecs(path);
      return name.endsWith(".sup") ? [path] : [];
    });
}

const fmt = (source: string): string => {
  const result = formatSpec(source, "t.sup");
  assert.ok(result.formatted !== undefined, result.diagnostics.map((d) => d.message).join("\n"));
  return result.formatted;
};

const specs = [...findSpecs(join(REPO_ROOT, "examples")), ...findSpecs(join(REPO_ROOT, "test", "fixtures"))];

format("round trips: every clean example and fixture is a fixed point after one run, with the same tree", () => {
  const clean = specs.filter((path) => parsesCleanly(readFileSync(path, "utf8")));
  assert.ok(clean.length >= 12, `only ${clean.length} specs`);
  for (const path of clean) {
    const source = readFileSync(path, "utf8");
    const once = fmt(source);
    assert.is(fmt(once), once, `${relative(REPO_ROOT, path)} is not idempotent`);
    assert.equal(astShape(once), astShape(source), `${relative(REPO_ROOT, path)} changed meaning`);
  }
});

format("the examples are already in the canonical layout", () => {
  for (const path of findSpecs(join(REPO_ROOT, "examples"))) {
    const source = readFileSync(path, "utf8");
    assert.is(fmt(source), source, relative(REPO_ROOT, path));
  }
});

format("a spec with syntax errors is not formatted; its errors come back sorted", () => {
  const result = formatSpec('app a {\n  grace 30\n  service db { module "./db.ts" \n}\n', "t.sup");
  assert.is(result.formatted, undefined);
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP1010", "SUP1006"]);
  // Errors the AST builder reports also stop it: a second app would otherwise be dropped.
  assert.is(formatSpec("app a { }\napp b { }\n", "t.sup").formatted, undefined);
});

format("indentation, spacing and one item per line", () => {
  const source = 'app  a{grace 30s\nsignals SIGTERM ,SIGINT needs x . y,z\n    shutdown b->c , d\nservice b{\nmodule "./b.ts" }}';
  assert.is(
    fmt(source),
    'app a {\n  grace 30s\n  signals SIGTERM, SIGINT\n  needs x.y, z\n  shutdown b -> c, d\n  service b {\n    module "./b.ts"\n  }\n}\n',
  );
});

format("a block written on one line stays on one line when it fits, holds only settings and no comments", () => {
  assert.is(fmt('app a {\n  service b { module "./b.ts" stop timeout 2s }\n}'), 'app a {\n  service b { module "./b.ts"  stop timeout 2s }\n}\n');
  const long = `app a {\n  service b { module "./${"x".repeat(80)}.ts" stop timeout 2s }\n}`;
  assert.is(fmt(long), `app a {\n  service b {\n    module "./${"x".repeat(80)}.ts"\n    stop timeout 2s\n  }\n}\n`);
  assert.is(fmt('app a {\n  service b { /* why */ module "./b.ts" }\n}'), 'app a {\n  service b { /* why */\n    module "./b.ts"\n  }\n}\n');
  assert.is(fmt("app a {\n  supervisor s {\n  }\n  supervisor t {}\n}"), "app a {\n  supervisor s {}\n  supervisor t {}\n}\n");
});

format("blank lines: at most one between items, none just inside braces or at the ends", () => {
  assert.is(fmt("\n\napp a {\n\n\n  grace 1s\n\n\n\n  signals SIGTERM\n\n}\n\n\n"), "app a {\n  grace 1s\n\n  signals SIGTERM\n}\n");
});

format("comments stay in place: leading on their own line, trailing at the end of theirs", () => {
  const source = [
    "// header",
    "",
    "/* block",
    "   comment */",
    "app a { // the app",
    "  // before grace",
    "  grace 1s /* inline */ // trailing",
    "  needs x, // why x",
    "    y",
    "  /* own line */ strategy one_for_all",
    "  // before the brace",
    "} // after",
    "// the end",
  ].join("\n");
  assert.is(
    fmt(source),
    [
      "// header",
      "",
      "/* block",
      "   comment */",
      "app a {  // the app",
      "  // before grace",
      "  grace 1s /* inline */  // trailing",
      "  needs x,               // why x",
      "      y",
      "  /* own line */ strategy one_for_all",
      "  // before the brace",
      "}  // after",
      "// the end",
      "",
    ].join("\n"),
  );
});

format("consecutive trailing comments at one level are aligned; a line without one ends the run", () => {
  const source = "app a {\n  grace 1s // a\n  signals SIGTERM, SIGINT // b\n  strategy one_for_one\n  intensity 1 per 5s // c\n}\n";
  assert.is(
    fmt(source),
    "app a {\n  grace 1s                 // a\n  signals SIGTERM, SIGINT  // b\n  strategy one_for_one\n  intensity 1 per 5s  // c\n}\n",
  );
});

format("line endings become LF, a byte-order mark and trailing spaces go, values stay as written", () => {
  assert.is(fmt("\uFEFFapp a {\r\n  grace 90s   \r\n  stop timeout 1m30s\r\n}\r\n"), "app a {\n  grace 90s\n  stop timeout 1m30s\n}\n");
  assert.is(fmt('app a { service b { module "./caf\\u00e9 \\"x\\".ts" } }'), 'app a {\n  service b { module "./caf\\u00e9 \\"x\\".ts" }\n}\n');
});

format.run();
