// `supervise audit` without any ESLint setup of the user's: the audit's rules run through ESLint's
// own Linter on typescript-eslint's parser, given one TypeScript program built here for all the
// service modules at once (type information for the rules that need it, one type-check instead
// of one per file). Findings become diagnostics of the one catalogue, located in the module.
//
// Loaded lazily by the driver (a separate chunk of the bundle): `check` and `compile` never load
// typescript, ESLint or typescript-eslint.
import { dirname, parse, resolve } from "node:path";
import { Linter, parser, ts, type TSESLint } from "supervise-audit-toolchain";
import { M, createDiagnostic } from "../diagnostics/catalogue.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { LineMap } from "../diagnostics/source-text.ts";
import { AUDIT_RULES, PLUGIN_NAME } from "./rules.ts";
import { plugin } from "./plugin.ts";

export interface AuditModule {
  /** Absolute path, as the program and the parser see it. */
  readonly path: string;
  /** How diagnostics name it (relative to the working directory). */
  readonly name: string;
  readonly text: string;
}

export interface AuditResult {
  readonly diagnostics: readonly Diagnostic[];
}

const RULES_BY_ID = new Map(AUDIT_RULES.map((r) => [`${PLUGIN_NAME}/${r.name}`, r]));

/** Options of the project's tsconfig.json when there is one (its file list is not used), else defaults. */
function compilerOptions(fromDir: string): ts.CompilerOptions {
  const defaults: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts"],
    strict: true,
    allowImportingTsExtensions: true,
  };
  const configPath = ts.findConfigFile(fromDir, ts.sys.fileExists);
  let options = defaults;
  if (configPath !== undefined) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (parsed !== undefined) options = parsed.options;
  }
  // The audit reads JavaScript modules too, and never writes anything. `types: []` loads only the
  // declarations the modules import (node:http pulls in its part of @types/node), not every
  // package under node_modules/@types: half the files, and the rules need no more.
  return { ...options, types: [], allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, incremental: false, composite: false };
}

function linterConfig(program: ts.Program): TSESLint.FlatConfig.ConfigArray {
  return [
    {
      files: ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.tsx", "**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
      languageOptions: { parser, parserOptions: { programs: [program], sourceType: "module" } },
      linterOptions: { reportUnusedDisableDirectives: "off" },
      plugins: { [PLUGIN_NAME]: plugin as never },
      rules: Object.fromEntries(AUDIT_RULES.map((r) => [`${PLUGIN_NAME}/${r.name}`, "error"])),
    },
  ];
}

function toDiagnostic(module: AuditModule, map: LineMap, message: Linter.LintMessage): Diagnostic {
  const offset = (line: number, column: number): number => map.lineStart(line) + Math.max(0, column - 1);
  const start = offset(message.line, message.column);
  const end = message.endLine !== undefined ? offset(message.endLine, message.endColumn ?? message.column) : start + 1;
  const span = { start, end: Math.max(end, start + 1) };
  const rule = message.ruleId !== null ? RULES_BY_ID.get(message.ruleId) : undefined;
  if (rule === undefined) return createDiagnostic(M.moduleUnreadable, module.name, span, [message.message]);
  if (message.messageId === "failed") return createDiagnostic(M.checkFailed, module.name, { start: 0, end: 0 }, [`${PLUGIN_NAME}/${rule.name}`, message.message]);
  // The message was formatted by the rule from the same catalogue entry; keep its code and severity.
  return { ...createDiagnostic(rule.def, module.name, span, [] as never), message: message.message, hint: rule.hint };
}

/** Audits the modules; `projectDir` is where a tsconfig.json is looked for. */
export function auditModules(modules: readonly AuditModule[], projectDir: string): AuditResult {
  if (modules.length === 0) return { diagnostics: [] };
  const program = ts.createProgram(
    modules.map((m) => m.path),
    compilerOptions(projectDir ?? dirname(modules[0]!.path)),
  );
  // From the filesystem root: a module may sit outside the spec's folder, and ESLint ignores files
  // outside its working directory.
  const linter = new Linter({ configType: "flat", cwd: parse(resolve(projectDir)).root });
  const config = linterConfig(program);
  const diagnostics: Diagnostic[] = [];
  for (const module of modules) {
    const map = new LineMap(module.text);
    for (const message of linter.verify(module.text, config as never, { filename: module.path })) diagnostics.push(toDiagnostic(module, map, message));
  }
  return { diagnostics };
}
