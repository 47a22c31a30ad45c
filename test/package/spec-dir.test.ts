// locateSpecDir: exec services find the spec's directory from the generated main file in the
// sources (gen/main.ts) and once compiled to another folder (dist/gen/main.js).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { locateSpecDir } from "../../runtime/process/spec-dir.ts";
import { compileSource } from "../../compiler/driver/api.ts";

const test = suite("package: the spec's directory at run time");
let root = "";
test.before(() => {
  root = mkdtempSync(join(tmpdir(), "supervise-specdir-"));
  for (const dir of ["app/gen", "app/dist/app/gen", "app/scripts", "loose/gen"]) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "package.json"), "{}\n");
  writeFileSync(join(root, "app", "service.sup"), "app a {}\n");
  writeFileSync(join(root, "loose", "service.sup"), "app a {}\n");
});
test.after(() => rmSync(root, { recursive: true, force: true }));

const HINTS = { fromHere: "../", specFile: "service.sup", fromPackageRoot: "app/" };

test("in the sources: beside the generated file, as a URL or a path", () => {
  assert.is(locateSpecDir(pathToFileURL(join(root, "app", "gen", "main.ts")).href, HINTS), join(root, "app"));
  assert.is(locateSpecDir(join(root, "app", "gen", "main.ts"), HINTS), join(root, "app"));
});

test("compiled to dist/: from the package root, not from dist/", () => {
  const main = pathToFileURL(join(root, "app", "dist", "app", "gen", "main.js"));
  assert.is(locateSpecDir(main, HINTS), join(root, "app"));
  assert.is(locateSpecDir(main, { fromHere: "../", specFile: "service.sup" }), join(root, "app", "dist", "app"));
});

test("without a usable package root, the path beside the file is kept", () => {
  const main = pathToFileURL(join(root, "app", "dist", "app", "gen", "main.js"));
  assert.is(locateSpecDir(main, { ...HINTS, fromPackageRoot: "missing/" }), join(root, "app", "dist", "app"));
  assert.is(locateSpecDir(pathToFileURL(join(root, "loose", "gen", "main.ts")), { ...HINTS, fromPackageRoot: "loose/" }), join(root, "loose"));
});

test("compile names the way from the package root only when the spec has one above it", () => {
  const spec = 'app a {\n  service t { exec "node t.mjs" }\n}\n';
  const mainOf = (specDir: string): string => compileSource(spec, "service.sup", specDir, join(specDir, "gen")).files.find((f) => f.path === "main.ts")!.content;
  assert.match(mainOf(join(root, "app")), /locateSpecDir\(import\.meta\.url, \{ fromHere: "\.\.\/", specFile: "service\.sup", fromPackageRoot: "app\/" \}\)/);
  const outside = mkdtempSync(join(tmpdir(), "supervise-nopkg-"));
  try {
    const main = mainOf(outside);
    assert.match(main, /locateSpecDir\(import\.meta\.url, \{ fromHere: "\.\.\/", specFile: "service\.sup" \}\)/);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test.run();
