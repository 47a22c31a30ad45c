// The shape of the source tree, as docs/architecture.md describes it: a folder per phase, and
// imports that only go down. A folder may import itself and the folders of lower layers, never a
// folder of its own layer (peers stay independent) nor one above it. The compiler may read the
// runtime's public types (runtime/api) and the contract types of runtime/testing, nothing else.
//
// Import specifiers are read from the text: the product's own files use only static
// `import … from "./x.ts"` and `export … from` forms (and a few `import("…")` types), which a
// small pattern finds reliably; a specifier it cannot place fails the test rather than passing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../golden/specs.ts";

const test = suite("architecture/layers");

/** Layers from the bottom; a folder name in a nested array shares its layer with the others. */
const LAYERS: readonly (readonly string[])[] = [
  ["runtime/api"],
  ["runtime/host"],
  ["runtime/logs", "runtime/health"],
  ["runtime/engine", "runtime/process"],
  ["runtime/main"],
  ["runtime/testing"],
  ["runtime"],
  ["compiler/diagnostics"],
  ["compiler/language"],
  ["compiler/syntax"],
  ["compiler/model"],
  ["compiler/analysis", "compiler/emit", "compiler/tools", "compiler/scaffold", "compiler/audit", "compiler/platform"],
  ["compiler/driver"],
  ["compiler/lsp"],
];

/** What a compiler folder may take from below the compiler: the runtime's data shapes. */
const COMPILER_MAY_IMPORT_FROM_RUNTIME: ReadonlySet<string> = new Set(["runtime/api", "runtime/testing"]);

const MAX_FILES_PER_FOLDER = 20;
const MAX_LINES_PER_FILE = 400;

const layerOf = new Map<string, number>();
LAYERS.forEach((folders, layer) => folders.forEach((folder) => layerOf.set(folder, layer)));

function listSources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, dir))) {
    const path = posix.join(dir, entry);
    if (statSync(join(REPO_ROOT, path)).isDirectory()) found.push(...listSources(path));
    else if (/\.(ts|mts)$/.test(entry) && !entry.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

const SOURCES = [...listSources("compiler"), ...listSources("runtime")];

/** Relative specifiers of every import, re-export and `import("…")` type in a file. */
function readImports(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)"(\.{1,2}\/[^"]*)"/gm)) found.push(m[1]!);
  return found;
}

interface Edge {
  readonly file: string;
  readonly target: string;
}

function collectEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of SOURCES) {
    for (const specifier of readImports(file)) edges.push({ file, target: posix.normalize(posix.join(posix.dirname(file), specifier)) });
  }
  return edges;
}

/** Why an import breaks the layering, or undefined when it is allowed. */
function judgeImport({ file, target }: Edge): string | undefined {
  const from = posix.dirname(file);
  const to = posix.dirname(target);
  if (from === to || target === "package.json") return undefined;
  const fromLayer = layerOf.get(from);
  const toLayer = layerOf.get(to);
  if (fromLayer === undefined) return `${from} is in no layer (add it to LAYERS and to docs/architecture.md)`;
  if (toLayer === undefined) return `${to} is in no layer`;
  if (from.startsWith("runtime") && to.startsWith("compiler")) return "the runtime never imports the compiler";
  if (from.startsWith("compiler") && to.startsWith("runtime") && !COMPILER_MAY_IMPORT_FROM_RUNTIME.has(to)) return `the compiler reads only ${[...COMPILER_MAY_IMPORT_FROM_RUNTIME].join(" and ")}`;
  if (toLayer === fromLayer) return `${from} and ${to} are peers: neither imports the other`;
  if (toLayer > fromLayer) return `${to} is above ${from}`;
  return undefined;
}

test("every product folder is in a layer", () => {
  const folders = new Set(SOURCES.map((f) => posix.dirname(f)));
  const unplaced = [...folders].filter((f) => !layerOf.has(f));
  assert.equal(unplaced, []);
});

test("imports only go down", () => {
  const edges = collectEdges();
  assert.ok(edges.length > 100, `found only ${edges.length} imports: the pattern no longer matches the sources`);
  const broken = edges.flatMap((edge) => {
    const why = judgeImport(edge);
    return why === undefined ? [] : [`${edge.file} imports ${edge.target}: ${why}`];
  });
  assert.equal(broken, []);
});

test("the layering rule rejects upward, sideways and cross-product imports", () => {
  assert.ok(judgeImport({ file: "compiler/language/defaults.ts", target: "compiler/model/model.ts" })?.includes("above"));
  assert.ok(judgeImport({ file: "compiler/tools/format-spec.ts", target: "compiler/emit/render.ts" })?.includes("peers"));
  assert.ok(judgeImport({ file: "runtime/engine/scope.ts", target: "compiler/language/ast.ts" })?.includes("never"));
  assert.ok(judgeImport({ file: "compiler/emit/emit-model.ts", target: "runtime/engine/scope.ts" })?.includes("only"));
  assert.is(judgeImport({ file: "compiler/emit/emit-model.ts", target: "runtime/api/plan.ts" }), undefined);
  assert.is(judgeImport({ file: "compiler/driver/cli.ts", target: "compiler/diagnostics/render.ts" }), undefined);
});

test(`no product folder holds more than ${MAX_FILES_PER_FOLDER} source files`, () => {
  const counts = new Map<string, number>();
  for (const file of SOURCES) counts.set(posix.dirname(file), (counts.get(posix.dirname(file)) ?? 0) + 1);
  const crowded = [...counts].filter(([, n]) => n > MAX_FILES_PER_FOLDER).map(([folder, n]) => `${folder}: ${n}`);
  assert.equal(crowded, []);
});

test(`no source or test file is over ${MAX_LINES_PER_FILE} lines`, () => {
  const files = [...SOURCES, ...listSources("test").filter((f) => !f.includes("/fixtures/") && !f.includes("/gen")), ...listSources("bench")];
  const long = files.flatMap((file) => {
    const lines = readFileSync(join(REPO_ROOT, file), "utf8").split("\n").length - 1;
    return lines > MAX_LINES_PER_FILE ? [`${relative(".", file)}: ${lines}`] : [];
  });
  assert.equal(long, []);
});

test.run();
