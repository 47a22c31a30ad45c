// Generated code must type-check under `tsc --strict`, and typed scopes must turn a use of an
// undeclared dependency into a compile error. tsc (TypeScript 7, native) runs as a subprocess.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compileSource } from "../../compiler/driver/api.ts";
import { writeGeneratedFiles } from "../../compiler/emit/write-files.ts";
import { REPO_ROOT } from "../golden/specs.ts";
import { typeCheckProject } from "./user-project.ts";

// Inside the repo so that `supervise/runtime` resolves through the package's self-reference.
// Per process, so that two test runs on one checkout never share a directory.
const WORK = join(REPO_ROOT, ".gen-tmp", `typecheck-${process.pid}`);

const SPEC = `app typed {
  service db { module "./services/db.ts" }
  service cache { module "./services/cache.ts" }
  service api { module "./services/api.ts" needs db }
}
`;

const DB = `import type { DbScope } from "../gen/types.ts";
export async function start(_scope: DbScope) {
  return { query: async (sql: string) => [sql.length] };
}
`;
const CACHE = `import type { CacheScope } from "../gen/types.ts";
export function start(_scope: CacheScope) {
  return { get: (key: string) => key };
}
`;

function project(name: string, apiSource: string): string {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "services"), { recursive: true });
  writeFileSync(join(dir, "app.sup"), SPEC);
  writeFileSync(join(dir, "services", "db.ts"), DB);
  writeFileSync(join(dir, "services", "cache.ts"), CACHE);
  writeFileSync(join(dir, "services", "api.ts"), apiSource);
  const output = compileSource(SPEC, "app.sup", dir, join(dir, "gen"));
  assert.is(output.diagnostics.length, 0);
  writeGeneratedFiles(join(dir, "gen"), output.files);
  return dir;
}

const typecheck = suite("generated code under tsc --strict");

typecheck("a service that uses what it declared type-checks", () => {
  const dir = project("good", `import type { ApiScope } from "../gen/types.ts";
export async function start(scope: ApiScope) {
  const rows: number[] = await scope.deps.db.query("select 1");
  return { rows };
}
`);
  assert.is(typeCheckProject(dir), "");
});

typecheck("using an undeclared dependency is a compile error", () => {
  const dir = project("undeclared", `import type { ApiScope } from "../gen/types.ts";
export async function start(scope: ApiScope) {
  return { value: scope.deps.cache.get("k") };
}
`);
  const output = typeCheckProject(dir);
  assert.match(output, /services\/api\.ts\(3,\d+\): error TS2339: Property 'cache' does not exist/);
});

typecheck("using a dependency's handle the wrong way is a compile error", () => {
  const dir = project("misused", `import type { ApiScope } from "../gen/types.ts";
export async function start(scope: ApiScope) {
  const n: string = await scope.deps.db.query("select 1");
  return { n };
}
`);
  assert.match(typeCheckProject(dir), /services\/api\.ts\(3,\d+\): error TS2322/);
});

typecheck("a start function that expects another service's scope is a compile error in main.ts", () => {
  const dir = project("wrong-scope", `import type { ApiScope } from "../gen/types.ts";
export async function start(scope: ApiScope) {
  return { db: scope.deps.db };
}
`);
  writeFileSync(join(dir, "services", "cache.ts"), `import type { ApiScope } from "../gen/types.ts";
export function start(scope: ApiScope) {
  return { get: (key: string) => key + String(scope.deps.db) };
}
`);
  assert.match(typeCheckProject(dir), /gen\/main\.ts\(\d+,\d+\): error TS2322/);
});

typecheck("names special to JavaScript objects type-check as services, needs keys and supervisor children", () => {
  const spec = `app prototype {
  service __proto__ { module "./services/proto.ts" }
  supervisor constructor { service toString { module "./services/proto.ts" } }
  service valueOf { module "./services/user.ts"  needs __proto__, constructor }
}
`;
  const dir = join(WORK, "special-names");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "services"), { recursive: true });
  writeFileSync(join(dir, "services", "proto.ts"), `export function start() {\n  return { port: 1 };\n}\n`);
  writeFileSync(join(dir, "services", "user.ts"), `import type { ValueOfScope } from "../gen/types.ts";
export function start(scope: ValueOfScope) {
  const port: number = scope.deps.__proto__.port + scope.deps.constructor.toString.port;
  return { port };
}
`);
  const output = compileSource(spec, "app.sup", dir, join(dir, "gen"));
  assert.equal(output.diagnostics, []);
  writeGeneratedFiles(join(dir, "gen"), output.files);
  assert.is(typeCheckProject(dir), "");
});

typecheck.after(() => rmSync(WORK, { recursive: true, force: true }));
typecheck.run();
