// The generation id: one per set, in every file, derived from the contents only.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compileSource } from "../../compiler/driver/api.ts";
import { readGeneration } from "../../compiler/emit/generation.ts";

const test = suite("emit/generation");

function compile(source: string): ReadonlyMap<string, string> {
  const output = compileSource(source, "app.sup", "/project", "/project/gen");
  assert.equal(output.diagnostics, []);
  return new Map(output.files.map((f) => [f.path, f.content]));
}

const SPEC = `app hello { service greeter { exec "true" } }\n`;

test("every file of a set carries the same id, in its header, the plan and main.ts's call", () => {
  const files = compile(SPEC);
  const id = readGeneration(files.get("plan.ts")!)!;
  assert.match(id, /^[0-9a-f]{16}$/);
  for (const [path, content] of files) assert.is(readGeneration(content), id, path);
  assert.match(files.get("plan.ts")!, `\n  generation: "${id}",\n`);
  assert.match(files.get("main.ts")!, `runMain(plan, bindings, { generation: "${id}" });`);
  assert.not.match([...files.values()].join(""), "\u0000");
});

test("the id follows the contents: the same spec gives it again, another spec another one", () => {
  const id = (source: string): string | undefined => readGeneration(compile(source).get("main.ts")!);
  assert.is(id(SPEC), id(SPEC));
  assert.is.not(id(SPEC), id(SPEC.replace('"true"', '"false"')));
});

test("a user's string spelling the placeholder stays as written", () => {
  const files = compile(`app hello { service greeter { exec "true"  ready when stdout "\\u0000generation\\u0000" } }\n`);
  assert.match(files.get("plan.ts")!, '"\\u0000generation\\u0000"');
});

test.run();
