// Names and orders that must not depend on the spec's words or on the machine: services named like
// the runtime's types still type-check, and diagnostics come out in one order under every locale.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compileSource } from "../../compiler/driver/api.ts";
import { writeGeneratedFiles } from "../../compiler/emit/write-files.ts";
import { sortDiagnostics, type Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { REPO_ROOT } from "../golden/specs.ts";
import { typeCheckProject } from "../typecheck/user-project.ts";

const WORK = join(REPO_ROOT, ".gen-tmp", `reliability-names-${process.pid}`);

/** Compiles `spec` into a fresh project and returns tsc's output ("" when it type-checks). */
function compileAndTypeCheck(name: string, spec: string): string {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "services"), { recursive: true });
  writeFileSync(join(dir, "services", "s.ts"), "export function start() {\n  return { port: 1 };\n}\n");
  writeFileSync(join(dir, "w.mjs"), "");
  const output = compileSource(spec, "app.sup", dir, join(dir, "gen"));
  assert.equal(output.diagnostics.map((d) => d.code), []);
  writeGeneratedFiles(join(dir, "gen"), output.files);
  return typeCheckProject(dir);
}

const names = suite("names of the runtime's types");

names.after(() => rmSync(WORK, { recursive: true, force: true }));

// Each pair gives a generated type the name of one the runtime exports (TS2440 before).
for (const [first, second] of [["process", "Service"], ["Process", "_service"], ["_process", "service_"]] as const) {
  names(`services named ${first} (a program) and ${second} type-check`, () => {
    const spec = `app a {
  service ${second} { module "./services/s.ts" }
  service ${first} { exec "node ./w.mjs"  ready when stdout "ready"  needs ${second} }
  service user { module "./services/s.ts"  needs ${first}, ${second} }
}
`;
    assert.is(compileAndTypeCheck(first, spec), "");
  });
}

names.run();

const order = suite("diagnostics order");

function diagnostic(message: string, fileName = "a.sup"): Diagnostic {
  return { code: "SUP2002", severity: "error", message, fileName, span: { start: 0, end: 1 } } as Diagnostic;
}

order("ties are broken by code points, not by the locale's collation", () => {
  // Collation puts 'apple' before 'Banana' and 'a.sup' before 'B.sup'; code points do the opposite.
  const sorted = sortDiagnostics([diagnostic("apple"), diagnostic("Banana"), diagnostic("é"), diagnostic("z")]);
  assert.equal(sorted.map((d) => d.message), ["Banana", "apple", "z", "é"]);
  const byFile = sortDiagnostics([diagnostic("m", "a.sup"), diagnostic("m", "B.sup")]);
  assert.equal(byFile.map((d) => d.fileName), ["B.sup", "a.sup"]);
});

order.run();
