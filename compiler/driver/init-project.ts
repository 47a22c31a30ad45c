// `supervise init [dir]`: a project that installs, tests, builds and runs, made from the templates
// of compiler/scaffold/, then its gen/ compiled as `supervise compile` would. It never overwrites:
// every file it would write, gen/, and each contradiction with an existing package.json are
// checked first, and if any is in the way it lists them all and writes nothing.
import { lstatSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { analyzeSource, compileSpecFile } from "./api.ts";
import { IoError, withIoErrors } from "./usage-errors.ts";
import { FALLBACK_APP_NAME, GEN_DIR, renderScaffold, SPEC_FILE, toAppName, type ScaffoldFile } from "../scaffold/scaffold.ts";
import { composePackageJson, projectScripts, type ToolVersions } from "../scaffold/package-json.ts";
import { replaceFileAtomically } from "../emit/write-files.ts";

/** The tools the project's scripts run, at the versions supervise itself is built and tested with. */
const PROJECT_TOOLS = ["@types/node", "tsx", "typescript", "uvu"] as const;

export interface InitResult {
  readonly dir: string;
  /** Files written, relative to dir, in order; package.json among them only when created. */
  readonly created: readonly string[];
  /** What was added to an existing package.json; undefined when init created it. */
  readonly packageJsonAdded: readonly string[] | undefined;
  /** The generated files, relative to dir. */
  readonly generated: readonly string[];
}

export function toolVersions(): ToolVersions {
  const dev: Readonly<Record<string, string>> = pkg.devDependencies;
  return { supervise: pkg.version, devDependencies: Object.fromEntries(PROJECT_TOOLS.map((tool) => [tool, dev[tool]!])) };
}

export function initProject(dir: string, tools: ToolVersions = toolVersions()): InitResult {
  const target = resolve(dir);
  // stat, not lstat: a symbolic link to a folder is that folder.
  const kind = withIoErrors("use", dir, () => statSync(target, { throwIfNoEntry: false }));
  if (kind !== undefined && !kind.isDirectory()) throw new IoError(`cannot create a project in '${dir}': it exists and is not a directory`);

  const appName = chooseAppName(basename(target), target);
  const files = renderScaffold(appName);
  const packagePath = join(target, "package.json");
  const existing = withIoErrors("read", packagePath, () => (isPresent(packagePath) ? readFileSync(packagePath, "utf8") : undefined));
  const packageJson = composePackageJson(existing, appName, projectScripts(SPEC_FILE, GEN_DIR), tools);

  const inTheWay = withIoErrors("look into", dir, () => [...files.map((f) => f.path), `${GEN_DIR}/`].filter((path) => isPresent(join(target, path))));
  const problems = [...inTheWay.map((path) => `${path} exists`), ...packageJson.conflicts];
  if (problems.length > 0) {
    throw new IoError(`refusing to change what is already in '${dir}'; nothing was written:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }

  const created: string[] = [];
  withIoErrors("write", dir, () => {
    for (const file of files) {
      writeNewFile(target, file);
      created.push(file.path);
    }
    if (existing === undefined) {
      writeNewFile(target, { path: "package.json", content: packageJson.text! });
      created.push("package.json");
    } else if (packageJson.text !== undefined) {
      // Through a symbolic link to the file it names, as fmt --write does.
      replaceFileAtomically(realpathSync(packagePath), packageJson.text);
    }
  });

  const compiled = compileSpecFile(join(target, SPEC_FILE), join(target, GEN_DIR));
  if (compiled.write === undefined || compiled.diagnostics.some((d) => d.severity === "error")) {
    // The templates are tested to compile; reaching this means this installation is damaged.
    throw new IoError(`the project in '${dir}' was written, but its ${SPEC_FILE} did not compile: run 'supervise check ${join(dir, SPEC_FILE)}'`);
  }
  return { dir, created, packageJsonAdded: existing === undefined ? undefined : packageJson.added, generated: compiled.write.written.map((p) => `${GEN_DIR}/${basename(p)}`) };
}

/**
 * The folder's name when the spec accepts it as the app's name, else the fallback (the spec
 * decides, so this follows the language). Missing module files (SUP4xxx) are expected: they are written after this check.
 */
function chooseAppName(folderName: string, target: string): string {
  const candidate = toAppName(folderName);
  const spec = renderScaffold(candidate).find((f) => f.path === SPEC_FILE)!;
  const { diagnostics } = analyzeSource(spec.content, SPEC_FILE, target);
  return diagnostics.some((d) => d.severity === "error" && !d.code.startsWith("SUP4")) ? FALLBACK_APP_NAME : candidate;
}

function isPresent(path: string): boolean {
  // lstat: a dangling symbolic link is in the way too.
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** Creates the file and its folders; `wx` never opens a file that appeared since the check. */
function writeNewFile(root: string, file: ScaffoldFile): void {
  const path = join(root, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.content, { encoding: "utf8", flag: "wx" });
}

/** What init did and what to run next, for people. */
export function describeInit(result: InitResult): string {
  const what = `created ${result.created.length} files and compiled ${SPEC_FILE} into ${GEN_DIR}/`;
  const lines = [result.dir === "." ? `${what[0]!.toUpperCase()}${what.slice(1)}:` : `${result.dir}: ${what}:`];
  for (const path of result.created) lines.push(`  ${path}`);
  for (const path of result.generated) lines.push(`  ${path}  (generated)`);
  if (result.packageJsonAdded !== undefined) lines.push(`package.json: added ${result.packageJsonAdded.length > 0 ? result.packageJsonAdded.join(", ") : "nothing (it had everything)"}`);
  lines.push("next:");
  if (result.dir !== ".") lines.push(`  cd ${result.dir}`);
  lines.push(
    "  npm install",
    "  npm test        # checks the spec, that gen/ is current, types, and the shutdown contract",
    "  npm run dev     # compiles and runs it; Ctrl-C stops it",
    "  npm run build   # compiles to dist/; in production run: node dist/gen/main.js",
  );
  return lines.join("\n") + "\n";
}
