// supervise init, in process: what it writes, that the project checks clean and its gen/ is
// current, and that it never overwrites: anything in the way is listed and nothing is written.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { describeInit, initProject, toolVersions } from "../../compiler/driver/init-project.ts";
import { auditSpecFile, checkGeneratedFiles, checkSpecFile, formatSpecFile } from "../../compiler/driver/api.ts";
import { IoError } from "../../compiler/driver/usage-errors.ts";
import { toAppName } from "../../compiler/scaffold/scaffold.ts";
import pkg from "../../package.json" with { type: "json" };
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("package: supervise init");
let base = "";
test.before(() => {
  base = mkdtempSync(join(tmpdir(), "supervise-init-"));
});
test.after(() => rmSync(base, { recursive: true, force: true }));

/** Every file below dir with its content, to prove a refused init changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = entry.isSymbolicLink() ? "(link)" : readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

test("a new folder gets a project whose spec checks without a warning and whose gen/ is current", () => {
  const dir = join(base, "notes-app");
  const result = initProject(dir);
  const files = Object.keys(snapshot(dir)).sort();
  for (const expected of [".dockerignore", ".gitignore", "Dockerfile", "package.json", "service.sup", "tsconfig.json", "tsconfig.build.json", "scripts/ticker.mjs", "gen/main.ts", "gen/types.ts", "gen/plan.ts", "gen/shutdown.test.ts"]) {
    assert.ok(files.includes(expected), `${expected} in ${files.join(", ")}`);
  }
  assert.not.ok(files.some((f) => f.endsWith(".tmpl")));
  assert.equal(result.generated.slice().sort(), ["gen/main.ts", "gen/plan.ts", "gen/shutdown.test.ts", "gen/types.ts"]);
  assert.is(result.packageJsonAdded, undefined);
  assert.equal(checkSpecFile(join(dir, "service.sup")).diagnostics, []);
  assert.is(formatSpecFile(join(dir, "service.sup")).changed, false, "the spec is in its canonical layout");
  assert.equal(checkGeneratedFiles(join(dir, "service.sup"), join(dir, "gen")).outdated, []);
  const spec = readFileSync(join(dir, "service.sup"), "utf8");
  assert.match(spec, /^app notes-app \{/m);
  assert.match(spec, /supervisor jobs \{/);
  assert.match(spec, /exec "node scripts\/ticker\.mjs"/);
  assert.match(spec, /needs store, jobs, ticker/);
  const project = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  assert.is(project.name, "notes-app");
  assert.equal(project.dependencies, { supervise: `^${pkg.version}` });
  assert.equal(project.devDependencies, toolVersions().devDependencies);
  assert.match(describeInit(result), /^.*notes-app: created 12 files and compiled service\.sup into gen\/:\n/);
});

test("the Dockerfile runs node itself under an init, never npm or tsx", () => {
  const dir = join(base, "docker");
  initProject(dir);
  const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
  assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
  assert.match(dockerfile, /^CMD \["node", "dist\/gen\/main\.js"\]$/m);
  assert.match(dockerfile, /^STOPSIGNAL SIGTERM$/m);
  const runStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const commands = runStage.split("\n").filter((line) => /^(CMD|ENTRYPOINT) /.test(line));
  assert.is(commands.length, 2);
  for (const line of commands) assert.not.match(line, /\b(npm|npx|tsx|sh)\b/);
  assert.match(readFileSync(join(dir, ".dockerignore"), "utf8"), /^node_modules$/m);
  assert.match(readFileSync(join(dir, ".gitignore"), "utf8"), /^dist\/$/m);
});

test("anything in the way is listed, and nothing is written, not even the missing files", () => {
  const dir = join(base, "taken");
  mkdirSync(join(dir, "services"), { recursive: true });
  writeFileSync(join(dir, "service.sup"), "my own spec\n");
  writeFileSync(join(dir, "services", "web.ts"), "export {};\n");
  symlinkSync(join(dir, "nowhere"), join(dir, "Dockerfile"));
  mkdirSync(join(dir, "gen"));
  const before = snapshot(dir);
  let error: unknown;
  try {
    initProject(dir);
  } catch (caught) {
    error = caught;
  }
  assert.instance(error, IoError);
  const message = (error as Error).message;
  assert.match(message, /^refusing to change what is already in '.*taken'; nothing was written:\n/);
  for (const path of ["service.sup", "services/web.ts", "Dockerfile", "gen/"]) assert.ok(message.includes(`  ${path} exists`), message);
  assert.not.ok(message.includes("tsconfig.json"));
  assert.equal(snapshot(dir), before);
  assert.is(statSync(join(dir, "gen")).isDirectory(), true);
});

test("an existing package.json is completed, or each contradiction listed with the files in the way", () => {
  const dir = join(base, "existing");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "existing", dependencies: { supervise: "file:../supervise.tgz" } }, null, 2) + "\n");
  const result = initProject(dir);
  assert.ok(result.packageJsonAdded!.includes("scripts.test"));
  assert.not.ok(result.created.includes("package.json"));
  assert.is(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies.supervise, "file:../supervise.tgz");

  const other = join(base, "commonjs");
  mkdirSync(other);
  writeFileSync(join(other, "package.json"), JSON.stringify({ type: "commonjs", scripts: { start: "node index.js" } }));
  writeFileSync(join(other, "tsconfig.json"), "{}\n");
  const before = snapshot(other);
  assert.throws(() => initProject(other), (e: Error) => /tsconfig\.json exists\n.*"type": "commonjs".*\n.*scripts\.start "node index\.js"/.test(e.message));
  assert.equal(snapshot(other), before);
});

test("a symbolic link to a folder is that folder", () => {
  const real = join(base, "real-folder");
  mkdirSync(real);
  symlinkSync(real, join(base, "linked-folder"));
  initProject(join(base, "linked-folder"));
  assert.is(statSync(join(real, "service.sup")).isFile(), true);
});

test("the README shows what init prints in a project made by `npm install supervise.tgz`", () => {
  const dir = join(base, "readme", "notes");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ dependencies: { supervise: "file:../supervise-0.1.0.tgz" } }, null, 2) + "\n");
  const printed = describeInit({ ...initProject(dir), dir: "." });
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const shown = /`npx supervise init` prints:\n\n```\n([\s\S]*?)```\n/.exec(readme)?.[1];
  assert.is(shown, printed);
});

test("a path that is a file is an I/O error naming it", () => {
  const file = join(base, "a-file");
  writeFileSync(file, "x");
  assert.throws(() => initProject(file), (e: Error) => e instanceof IoError && /cannot create a project in '.*a-file': it exists and is not a directory/.test(e.message));
});

test("the app is named after its folder when the spec accepts the name, else main", () => {
  assert.is(toAppName("My Shop (v2)"), "my-shop-v2");
  assert.is(toAppName("2024_notes"), "notes");
  assert.is(toAppName("---"), "main");
  assert.is(toAppName("日本"), "main");
  const dir = join(base, "needs");
  initProject(dir);
  // `needs` is a word of the language, and keywords are contextual: `app needs {` is a name.
  const spec = readFileSync(join(dir, "service.sup"), "utf8");
  assert.match(spec, /^app needs \{/m);
  assert.is(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name, "needs");
  assert.equal(checkSpecFile(join(dir, "service.sup")).diagnostics, []);
});

test("the scaffold's services pass the audit its npm test runs (no finding, not even a warning)", async () => {
  const dir = join(base, "audited");
  initProject(dir);
  const result = await auditSpecFile(join(dir, "service.sup"));
  assert.equal(result.diagnostics.map((d) => `${d.fileName}:${d.code}`), []);
  assert.is(result.modules.length, 4);
});

test.run();
