// Paths that a URL reads differently from the file system ('#', '?', '%', line breaks): a module
// path is resolved one way by the checks, tsc and Node.js, or refused; the folders of the spec and
// of --out may hold anything.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { locateSpecDir } from "../../runtime/process/spec-dir.ts";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compileSource, UsageError } from "../../compiler/driver/api.ts";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const WORK = join(REPO_ROOT, ".gen-tmp", `reliability-paths-${process.pid}`);
const HOSTILE = ['q"uote', "new\nline", "ha#sh", "pct%41", "que?ry", "sp ace", "back`tick${x}"];

const test = suite("paths read as URLs");

test.after(() => rmSync(WORK, { recursive: true, force: true }));

function makeProject(folder: string, spec: string): string {
  const dir = join(WORK, folder);
  mkdirSync(join(dir, "services"), { recursive: true });
  writeFileSync(join(dir, "services", "s.ts"), "export function start() {\n  return 1;\n}\n");
  writeFileSync(join(dir, "app.sup"), spec);
  return dir;
}

const MODULES = `app a {\n  service s { module "./services/s.ts" }\n}\n`;
const PROCESSES = `app a {\n  service p { exec "node ./w.mjs"  ready when stdout "ready" }\n}\n`;

test("a module path holding '#', '?', '%' or a control character is SUP4013, whatever exists", () => {
  for (const path of ["./services/db#1.ts", "./services/db.ts?v=1", "./services/a%20b.ts", "./services/a\\tb.ts", "./services/a\\nb.ts"]) {
    const source = `app a {\n  service s { module "${path}" }\n}\n`;
    const result = analyzeSpec(source, "a.sup", { specDir: "/spec", fileExists: () => true });
    assert.equal(result.diagnostics.map((d) => d.code), ["SUP4013"], path);
  }
});

test("the spec's folder may hold anything when the output is inside it", () => {
  for (const folder of HOSTILE) {
    const dir = makeProject(folder, MODULES);
    const output = compileSource(MODULES, "app.sup", dir, join(dir, "gen"));
    assert.equal(output.diagnostics, []);
    const main = output.files.find((f) => f.path === "main.ts")!.content;
    assert.ok(main.includes(`import * as sModule from "../services/s.js";`), folder);
  }
});

test("modules imported through a folder whose name a URL reads differently: a usage error, nothing generated", () => {
  for (const folder of ["ha#sh", "pct%41", "que?ry", "new\nline"]) {
    const dir = makeProject(folder, MODULES);
    assert.throws(() => compileSource(MODULES, "app.sup", dir, join(WORK, "out", "gen")), (error: unknown) => error instanceof UsageError && /choose an --out/.test(String(error)));
  }
});

test("a process service's folder is found at run time through any folder name, --out anywhere", () => {
  for (const folder of HOSTILE) {
    const dir = makeProject(folder, PROCESSES);
    for (const out of [join(dir, "gen"), join(WORK, "out#1", "gen"), join(WORK, "o%41 ?", "gen")]) {
      const output = compileSource(PROCESSES, "app.sup", dir, out);
      assert.equal(output.diagnostics, []);
      const main = output.files.find((f) => f.path === "main.ts")!.content;
      const literal = /fromHere: (".*?"), specFile/.exec(main)?.[1];
      assert.ok(literal !== undefined, main);
      // What main.ts computes at run time, from where it is written.
      const specDir = locateSpecDir(pathToFileURL(join(out, "main.ts")), { fromHere: JSON.parse(literal!) as string, specFile: "app.sup" });
      assert.is(specDir, dir, `${JSON.stringify(folder)} -> ${out}`);
    }
  }
});

test.run();
