import { suite } from "uvu";
import * as assert from "uvu/assert";
import { analyzeSpec } from "../../compiler/driver/pipeline.ts";
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
  const result = analyzeSpec(inApp('service a { module "./a\\u0000.ts" }'), "x.sup", {
    specDir: "/s",
    fileExists: () => {
      throw new Error("ERR_INVALID_ARG_VALUE");
    },
  });
  assert.equal(result.diagnostics.map((d) => d.code), ["SUP4001"]);
});

modules.run();
