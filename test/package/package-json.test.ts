// composePackageJson: a new project's package.json, and the merge into an existing one that adds
// what is missing and never changes a value someone set.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { composePackageJson, projectScripts, type ToolVersions } from "../../compiler/scaffold/package-json.ts";

const test = suite("package: package.json of a project");
const TOOLS: ToolVersions = { supervise: "0.3.1", devDependencies: { uvu: "^0.5.6", tsx: "^4.1.0", typescript: "^7.0.2", "@types/node": "^20.19.0" } };
const SCRIPTS = projectScripts("service.sup", "gen");

test("a new project gets everything, supervise as a production dependency", () => {
  const plan = composePackageJson(undefined, "notes", SCRIPTS, TOOLS);
  assert.equal(plan.conflicts, []);
  const pkg = JSON.parse(plan.text!);
  assert.is(pkg.name, "notes");
  assert.is(pkg.type, "module");
  assert.equal(pkg.dependencies, { supervise: "^0.3.1" });
  assert.equal(Object.keys(pkg.devDependencies), ["@types/node", "tsx", "typescript", "uvu"]);
  assert.equal(pkg.scripts, SCRIPTS);
  assert.ok(plan.text!.endsWith("}\n"));
});

test("the scripts: tests fmt --check, check, compile --check, tsc and the generated suites; start is plain node", () => {
  assert.match(SCRIPTS.test!, /^supervise fmt --check service\.sup && supervise check --deny-warnings service\.sup && supervise audit --deny-warnings service\.sup && supervise compile --check service\.sup --out gen && tsc -p \. && node --import tsx node_modules\/uvu\/bin\.js gen /);
  assert.is(SCRIPTS.start, "node dist/gen/main.js");
  assert.match(SCRIPTS.build!, /tsc -p tsconfig\.build\.json$/);
  for (const command of Object.values(SCRIPTS)) assert.not.match(command, /\bnpx\b/);
});

test("what `npm install supervise.tgz` leaves is completed, its dependency kept as written", () => {
  const existing = JSON.stringify({ dependencies: { supervise: "file:../supervise-0.3.1.tgz" } }, null, 2) + "\n";
  const plan = composePackageJson(existing, "notes", SCRIPTS, TOOLS);
  assert.equal(plan.conflicts, []);
  const pkg = JSON.parse(plan.text!);
  assert.equal(pkg.dependencies, { supervise: "file:../supervise-0.3.1.tgz" });
  assert.is(pkg.type, "module");
  assert.equal(pkg.scripts, SCRIPTS);
  assert.ok(plan.added.includes("devDependencies.tsx") && plan.added.includes("scripts.start") && plan.added.includes("type"));
  assert.not.ok(plan.added.includes("dependencies.supervise"));
});

test("npm init's placeholder test script is replaced; its type commonjs is a conflict, nothing written", () => {
  const npmInit = { name: "x", version: "1.0.0", main: "index.js", scripts: { test: 'echo "Error: no test specified" && exit 1' }, type: "commonjs" };
  const plan = composePackageJson(JSON.stringify(npmInit, null, 2), "x", SCRIPTS, TOOLS);
  assert.is(plan.text, undefined);
  assert.is(plan.conflicts.length, 1);
  assert.match(plan.conflicts[0]!, /"type": "commonjs".*set "type": "module"/);
  const { type: _type, ...withoutType } = npmInit;
  const merged = composePackageJson(JSON.stringify(withoutType, null, 2), "x", SCRIPTS, TOOLS);
  assert.equal(merged.conflicts, []);
  assert.is(JSON.parse(merged.text!).scripts.test, SCRIPTS.test);
});

test("a script of the same name with another command is a conflict naming both", () => {
  const plan = composePackageJson(JSON.stringify({ type: "module", scripts: { start: "node server.js", build: "make" } }), "x", SCRIPTS, TOOLS);
  assert.is(plan.text, undefined);
  assert.equal(plan.conflicts.length, 2);
  assert.match(plan.conflicts.join("\n"), /scripts\.build "make"/);
  assert.match(plan.conflicts.join("\n"), /scripts\.start "node server\.js"; init would set "node dist\/gen\/main\.js"/);
});

test("supervise as a devDependency is a conflict: a production install would drop the runtime", () => {
  const plan = composePackageJson(JSON.stringify({ devDependencies: { supervise: "^0.3.0" } }), "x", SCRIPTS, TOOLS);
  assert.is(plan.text, undefined);
  assert.match(plan.conflicts[0]!, /devDependency.*move it to dependencies/);
});

test("tools present in either section are kept at their version", () => {
  const plan = composePackageJson(JSON.stringify({ dependencies: { typescript: "5.9.3" }, devDependencies: { tsx: "4.0.0" } }), "x", SCRIPTS, TOOLS);
  const pkg = JSON.parse(plan.text!);
  assert.is(pkg.dependencies.typescript, "5.9.3");
  assert.is(pkg.devDependencies.tsx, "4.0.0");
  assert.is(pkg.devDependencies.typescript, undefined);
  assert.is(pkg.devDependencies.uvu, "^0.5.6");
});

test("a package.json that already has everything is left alone", () => {
  const full = composePackageJson(undefined, "x", SCRIPTS, TOOLS).text!;
  const plan = composePackageJson(full, "x", SCRIPTS, TOOLS);
  assert.equal([plan.text, plan.added, plan.conflicts], [undefined, [], []]);
});

test("the file's indentation is kept; invalid JSON or a non-object is a conflict, not a throw", () => {
  const plan = composePackageJson('{\n\t"name": "x"\n}\n', "x", SCRIPTS, TOOLS);
  assert.match(plan.text!, /^\{\n\t"name": "x",\n\t"type": "module"/);
  assert.match(composePackageJson("{ nope", "x", SCRIPTS, TOOLS).conflicts[0]!, /^package\.json is not valid JSON/);
  assert.equal(composePackageJson("[1]", "x", SCRIPTS, TOOLS).conflicts, ["package.json does not hold an object"]);
  assert.equal(composePackageJson('{"scripts": 3}', "x", SCRIPTS, TOOLS).conflicts, ['"scripts" in package.json is not an object']);
});

test.run();
