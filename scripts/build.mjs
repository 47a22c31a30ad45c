// Builds what `npm ci` must leave ready: the runtime as JavaScript + declarations (dist/runtime,
// imported by generated code as `supervise/runtime`) and the CLI bundled into one ESM file
// (dist/cli.js), because an unbundled chevrotain+handlebars+yargs CLI starts 3x slower.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist"), { recursive: true, force: true });

const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.runtime.json")], { stdio: "inherit" });

const cliEntry = join(root, "compiler", "driver", "cli.ts");
if (existsSync(cliEntry)) {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [cliEntry],
    outfile: join(root, "dist", "cli.js"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __supCreateRequire } from 'node:module';\nconst require = __supCreateRequire(import.meta.url);" },
    legalComments: "none",
    logLevel: "warning",
  });
  // The language server is a bundle of its own, which only `supervise lsp` loads (at run time,
  // beside dist/cli.js), so that the other commands' cold start does not grow with it.
  await esbuild.build({
    entryPoints: [join(root, "compiler", "lsp", "server.ts")],
    outfile: join(root, "dist", "lsp.js"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: "import { createRequire as __supCreateRequire } from 'node:module';\nconst require = __supCreateRequire(import.meta.url);" },
    legalComments: "none",
    logLevel: "warning",
  });
  // The bundled CLI reads its templates from dist/templates/, as the sources do from beside
  // compiler/emit/render.ts.
  cpSync(join(root, "compiler", "emit", "templates"), join(root, "dist", "templates"), { recursive: true });
}
