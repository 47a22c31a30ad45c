import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
import type { PathKind } from "../../compiler/analysis/registry.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { analyze, codesWithText, inApp } from "./helpers.ts";

const modules = suite("checks: module files");

modules("SUP4002: module paths must be relative to the spec", () => {
  assert.equal(codesWithText(inApp('service a { module "services/a.ts" }')), ['SUP4002:"services/a.ts"']);
  assert.equal(codesWithText(inApp('service a { module "/abs/a.ts" }')), ['SUP4002:"/abs/a.ts"']);
  assert.equal(codesWithText(inApp('service a { module "" }')), ['SUP4002:""']);
  assert.is(analyze(inApp('service a { module "services/a.ts" }')).diagnostics[0]!.hint, "write './services/a.ts'");
});

modules("SUP4001: a module file that does not exist, resolved against specDir", () => {
  const seen: string[] = [];
  const result = analyzeSpec(inApp('service a { module "../lib/a.ts" }'), "x.sup", {
    specDir: "/work/spec",
    fileExists: (path) => {
      seen.push(path);
      return false;
    },
  });
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP4001"]);
  assert.equal(seen[0], "/work/lib/a.ts");
});

modules("SUP4001 suggests the file that does exist under another extension", () => {
  const result = analyzeSpec(inApp('service a { module "./a.js" }'), "x.sup", {
    specDir: "/s",
    fileExists: (path) => path === "/s/a.ts",
  });
  assert.equal(result.diagnostics.map((d) => [d.code, d.hint]), [["SUP4001", "did you mean './a.ts'?"]]);
});

modules("a fileExists that throws counts as missing, never as a crash", () => {
  const result = analyzeSpec(inApp('service a { module "./a.ts" }'), "x.sup", {
    specDir: "/s",
    fileExists: () => {
      throw new Error("ERR_INVALID_ARG_VALUE");
    },
  });
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP4001"]);
});

/** A file system on strings: each path maps to what it names; everything else is missing. */
function fakeFiles(entries: Record<string, PathKind>): (path: string) => PathKind {
  const table = new Map(Object.entries(entries));
  return (path) => table.get(path) ?? "missing";
}

/** The diagnostics of one service whose module is `modulePath`, on a file system made of `files`. */
function checkModule(modulePath: string, files: Record<string, PathKind>, extra: { projectRoot?: string } = {}): Diagnostic[] {
  const statPath = fakeFiles(files);
  const options = { specDir: "/p/spec", fileExists: (path: string) => statPath(path) !== "missing", statPath, ...extra };
  return [...analyzeSpec(inApp(`service a { module "${modulePath}" }`), "x.sup", options).diagnostics];
}

function moduleCodes(modulePath: string, files: Record<string, PathKind>): string[] {
  return checkModule(modulePath, files).map((d) => d.code);
}

const PROJECT = { "/p/package.json": "file" } as const;

modules("SUP4006: a directory, or anything else that is not a regular file, is not a module", () => {
  assert.equal(moduleCodes("./services", { ...PROJECT, "/p/spec/services": "directory" }), ["SUP4006"]);
  assert.equal(moduleCodes("./fifo.ts", { ...PROJECT, "/p/spec/fifo.ts": "other" }), ["SUP4006"]);
  const withIndex = checkModule("./services/", { "/p/spec/services": "directory", "/p/spec/services/index.ts": "file" });
  assert.equal(withIndex.map((d) => [d.code, d.hint]), [["SUP4006", "did you mean './services/index.ts'?"]]);
});

modules("SUP4007: only .ts, .mts, .js and .mjs files are modules", () => {
  for (const ext of [".ts", ".mts", ".js", ".mjs"]) assert.equal(moduleCodes(`./a${ext}`, { ...PROJECT, [`/p/spec/a${ext}`]: "file" }), []);
  for (const path of ["./a.json", "./a.tsx", "./a.cjs", "./a.d", "./a"]) {
    assert.equal(moduleCodes(path, { ...PROJECT, [`/p/spec/${path.slice(2)}`]: "file" }), ["SUP4007"], path);
  }
  const beside = checkModule("./db", { "/p/spec/db": "file", "/p/spec/db.mjs": "file" });
  assert.equal(beside.map((d) => [d.code, d.hint]), [["SUP4007", "did you mean './db.mjs'?"]]);
});

modules("SUP4008: a module path must stay inside the project (the nearest folder with a package.json)", () => {
  const files = { ...PROJECT, "/etc/passwd.ts": "file", "/p/lib/a.ts": "file", "/p/spec/a.ts": "file", "/q/a.ts": "file" } as const;
  assert.equal(moduleCodes("../../../../etc/passwd.ts", files), ["SUP4008"]);
  assert.equal(moduleCodes("../../q/a.ts", files), ["SUP4008"]);
  assert.equal(moduleCodes("../lib/a.ts", files), [], "a sibling folder of the spec inside the project");
  assert.equal(moduleCodes("./x/../a.ts", files), []);
  // Without a package.json above it, the project is the spec's own folder.
  assert.equal(moduleCodes("../lib/a.ts", { "/p/lib/a.ts": "file" }), ["SUP4008"]);
  assert.match(checkModule("../../q/a.ts", files)[0]!.message, /outside the project \('\.\.'\)/);
});

modules("SUP4009: a module path with a backslash, which the import would read as '/'", () => {
  // The file literally named x\..\..\evil.ts exists, but main.ts would import ../../evil.js.
  // In the spec a backslash is written doubled, as in any string literal.
  const files = { ...PROJECT, "/p/spec/x\\..\\..\\evil.ts": "file", "/p/spec/services/db.ts": "file" } as const;
  assert.equal(moduleCodes(String.raw`./x\\..\\..\\evil.ts`, files), ["SUP4009"]);
  assert.equal(moduleCodes(String.raw`./services\\db.ts`, files), ["SUP4009"]);
  assert.equal(moduleCodes("./services/db.ts", files), []);
});

modules("an injected projectRoot wins over the package.json search", () => {
  const diagnostics = checkModule("../lib/a.ts", { ...PROJECT, "/p/lib/a.ts": "file" }, { projectRoot: "/p/spec" });
  assert.equal(diagnostics.map((d) => d.code), ["SUP4008"]);
});

modules("a statPath that throws counts as missing; the new errors keep the model (the model tier still runs)", () => {
  assert.equal(
    analyzeSpec(inApp('service a { module "./a.ts" }'), "x.sup", {
      specDir: "/s",
      fileExists: () => true,
      statPath: () => {
        throw new Error("ENOTDIR");
      },
    }).diagnostics.map((d) => d.code),
    ["SUP4001"],
  );
  const source = `app t {\n  grace 1s\n  service a { module "./a" stop timeout 5s }\n}\n`;
  const result = analyzeSpec(source, "t.sup", { specDir: "/s", fileExists: () => true, statPath: fakeFiles({ "/s/a": "file" }) });
  assert.equal(result.diagnostics.map((d) => d.code).sort(), ["SUP3013", "SUP4007"]);
});

modules.run();
