// What `supervise init` writes: a project that runs, tests and builds from the first `npm install`.
// The files live as templates under project/ (dist/scaffold/ once built), each named for its
// target plus `.tmpl`, so that the repository's own tsc, tests and npm never take them for its
// sources (and npm, which drops a package's .gitignore, keeps `gitignore.tmpl`). The only
// substitution is the app's name; package.json is composed as data (package-json.ts), because
// init merges it into one that may exist.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";

export interface ScaffoldFile {
  /** Relative to the project, POSIX separators. */
  readonly path: string;
  readonly content: string;
}

export const SPEC_FILE = "service.sup";
export const GEN_DIR = "gen";
const APP_NAME_PLACEHOLDER = /__APP__/g;
/** Dot files are stored without their dot: npm would leave a .gitignore out of the package. */
const DOT_FILES: ReadonlyMap<string, string> = new Map([
  ["gitignore", ".gitignore"],
  ["dockerignore", ".dockerignore"],
]);

/** The templates folder: next to this file in the sources, next to the bundled CLI in dist/. */
function findTemplatesDir(): string {
  for (const candidate of ["./project/", "./scaffold/"]) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error("the project templates of supervise init are missing from this installation");
}

function listTemplates(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listTemplates(`${dir}/${entry.name}`, posix.join(prefix, entry.name)) : [posix.join(prefix, entry.name)]))
    .sort();
}

/** Every templated file of the project, its app named `appName` (a valid spec identifier). */
export function renderScaffold(appName: string): ScaffoldFile[] {
  const dir = findTemplatesDir();
  return listTemplates(dir)
    .filter((path) => path.endsWith(".tmpl"))
    .map((template) => {
      const stem = template.slice(0, -".tmpl".length);
      const path = DOT_FILES.get(stem) ?? stem;
      return { path, content: readFileSync(`${dir}/${template}`, "utf8").replace(APP_NAME_PLACEHOLDER, appName) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The app's name when its folder's name will not do ("app" itself is a word of the language). */
export const FALLBACK_APP_NAME = "main";

/** A name made of what both the spec (an identifier) and npm (a package name) accept, or the fallback. */
export function toAppName(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+/g, "-")
    .replace(/-+$/, "")
    .slice(0, 64);
  return name === "" ? FALLBACK_APP_NAME : name;
}
