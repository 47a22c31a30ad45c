// The generated files, the generated suite included, type-check in a project stricter than
// `--strict`: `exactOptionalPropertyTypes` and `noUncheckedIndexedAccess`, two flags careful
// projects turn on. The runtime they import is compiled from its sources in the same program
// (through `paths`), so the runtime's public types and code are held to the flags too.
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compileSource } from "../../compiler/driver/api.ts";
import { writeGeneratedFiles } from "../../compiler/emit/write-files.ts";
import { REPO_ROOT } from "../golden/specs.ts";
import { listProjectFiles, typeCheckProject, USER_TSCONFIG } from "./user-project.ts";

const WORK = join(REPO_ROOT, ".gen-tmp", `strict-flags-${process.pid}`);
const SHOP = join(REPO_ROOT, "examples", "shop");

const TSCONFIG = {
  ...USER_TSCONFIG,
  compilerOptions: {
    ...USER_TSCONFIG.compilerOptions,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    paths: {
      "supervise/runtime": [join(REPO_ROOT, "runtime", "index.ts")],
      "supervise/runtime/testing": [join(REPO_ROOT, "runtime", "testing", "index.ts")],
    },
  },
};

const test = suite("generated code under exactOptionalPropertyTypes and noUncheckedIndexedAccess");

test("examples/shop: main.ts, types.ts, plan.ts and the generated suite type-check, the runtime's sources with them", () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  cpSync(join(SHOP, "services"), join(WORK, "services"), { recursive: true });
  const spec = readFileSync(join(SHOP, "shop.sup"), "utf8");
  const output = compileSource(spec, "shop.sup", WORK, join(WORK, "gen"));
  assert.equal(output.diagnostics, []);
  writeGeneratedFiles(join(WORK, "gen"), output.files);
  const out = typeCheckProject(WORK, TSCONFIG, ["--listFiles"]);
  try {
    assert.is(out.split("\n").filter((line) => line.includes("error TS")).join("\n"), "");
  } finally {
    rmSync(WORK, { recursive: true, force: true });
  }
});

test("the program really included the generated suite and the runtime's sources", () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  cpSync(join(SHOP, "services"), join(WORK, "services"), { recursive: true });
  const output = compileSource(readFileSync(join(SHOP, "shop.sup"), "utf8"), "shop.sup", WORK, join(WORK, "gen"));
  writeGeneratedFiles(join(WORK, "gen"), output.files);
  try {
    const files = listProjectFiles(WORK, TSCONFIG);
    assert.ok(files.includes(join(WORK, "gen", "shutdown.test.ts")), files);
    assert.ok(files.includes(join(REPO_ROOT, "runtime", "testing", "contract-cases.ts")), files);
  } finally {
    rmSync(WORK, { recursive: true, force: true });
  }
});

test.run();
