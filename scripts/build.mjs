// Builds what `npm ci` must leave ready: the runtime as JavaScript + declarations (dist/runtime,
// imported by generated code as `supervise/runtime`) and the CLI bundled into one ESM file
// (dist/cli.js), because an unbundled chevrotain+handlebars+yargs CLI starts 3x slower. Being
// bundled, the CLI's libraries are devDependencies: the published package has no dependency.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist"), { recursive: true, force: true });

const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.runtime.json")], { stdio: "inherit" });

const cliEntry = join(root, "compiler", "driver", "cli.ts");
if (existsSync(cliEntry)) {
  const esbuild = await import("esbuild");
  /** What every bundle shares: one ES module for the Node.js versions the package supports. */
  const NODE_ESM_BUNDLE = { bundle: true, platform: "node", format: "esm", target: "node20", legalComments: "none", logLevel: "warning" };
  await esbuild.build({
    entryPoints: { cli: cliEntry },
    outdir: join(root, "dist"),
    // The audit (typescript, ESLint, typescript-eslint: megabytes) is a chunk of its own, loaded
    // by `supervise audit` alone, so every other command starts as fast as before.
    splitting: true,
    // ESLint's loader of TypeScript config files, never reached through its Linter.
    external: ["jiti", "jiti/package.json"],
    chunkNames: "chunks/[name]-[hash]",
    ...NODE_ESM_BUNDLE,
    // typescript reads its lib.*.d.ts files beside __filename, which an ES module lacks: each
    // chunk gets its own, and the lib files are copied beside the audit chunk (below).
    banner: {
      js: [
        "#!/usr/bin/env node",
        "import { createRequire as __supCreateRequire } from 'node:module';",
        "import { fileURLToPath as __supFileURLToPath } from 'node:url';",
        "import { dirname as __supDirname } from 'node:path';",
        "const require = __supCreateRequire(import.meta.url);",
        "const __supFilename = __supFileURLToPath(import.meta.url);",
        "const __supDirnameValue = __supDirname(__supFilename);",
      ].join("\n"),
    },
    // Only free references are replaced; the compiler's own `__dirname` constants stay.
    define: { __filename: "__supFilename", __dirname: "__supDirnameValue" },
    // Whitespace only (names and stack traces stay readable): V8 compiles the 16 MB audit chunk
    // in about half the time.
    minifyWhitespace: true,
  });
  const tsLib = join(root, "audit-toolchain", "node_modules", "typescript", "lib");
  for (const file of readdirSync(tsLib)) {
    if (/^lib\..*\.d\.ts$/.test(file)) cpSync(join(tsLib, file), join(root, "dist", "chunks", file));
  }
  // supervise/eslint-plugin: the rules alone (they import only types), for a user's ESLint.
  await esbuild.build({
    entryPoints: [join(root, "compiler", "audit", "plugin.ts")],
    outfile: join(root, "dist", "eslint-plugin.js"),
    ...NODE_ESM_BUNDLE,
  });
  // The language server is a bundle of its own, which only `supervise lsp` loads (at run time,
  // beside dist/cli.js), so that the other commands' cold start does not grow with it. It never
  // audits: the audit's entry is left out (its megabytes of typescript and ESLint with it).
  await esbuild.build({
    entryPoints: [join(root, "compiler", "lsp", "server.ts")],
    outfile: join(root, "dist", "lsp.js"),
    ...NODE_ESM_BUNDLE,
    plugins: [leaveOut(/[\\/]audit[\\/]run-audit\.ts$/, "the language server does not audit")],
    banner: { js: "import { createRequire as __supCreateRequire } from 'node:module';\nconst require = __supCreateRequire(import.meta.url);" },
  });
  // The bundled CLI reads its templates from dist/templates/, as the sources do from beside
  // compiler/emit/render.ts.
  cpSync(join(root, "compiler", "emit", "templates"), join(root, "dist", "templates"), { recursive: true });
  // `supervise init` copies the project under compiler/scaffold/project/ as it is.
  cpSync(join(root, "compiler", "scaffold", "project"), join(root, "dist", "scaffold"), { recursive: true });
  // npm makes a bin executable when it links it at install time, not when a later build (a
  // `prepare` on the next `npm install`, `npm run build`) writes the file again: without this the
  // next call is `sh: 1: supervise: Permission denied`.
  chmodSync(join(root, "dist", "cli.js"), 0o755);
}

/** An esbuild plugin that replaces the modules whose path matches with one that throws `why` when loaded. */
function leaveOut(pattern, why) {
  return {
    name: "leave-out",
    setup(build) {
      build.onResolve({ filter: pattern }, (args) => ({ path: args.path, namespace: "left-out" }));
      build.onLoad({ filter: /.*/, namespace: "left-out" }, () => ({ contents: `throw new Error(${JSON.stringify(why)});`, loader: "js" }));
    },
  };
}
