// The package.json of a project made by `supervise init`: written whole when there is none, else
// merged into the existing one by adding what is missing and never changing a value someone set.
// A value that contradicts what the project needs ("type": "commonjs", another `start` script,
// supervise as a devDependency that a production install would drop) is a conflict: init lists
// them all and writes nothing.

export interface ToolVersions {
  /** supervise's own version: the project depends on `^version`. */
  readonly supervise: string;
  /** Version ranges of the tools the scripts use (typescript, tsx, uvu, @types/node). */
  readonly devDependencies: Readonly<Record<string, string>>;
}

export interface PackageJsonPlan {
  /** The new text; undefined when there are conflicts or nothing to add. */
  readonly text: string | undefined;
  /** What was added to an existing file ("scripts.test", "devDependencies.tsx"...). */
  readonly added: readonly string[];
  readonly conflicts: readonly string[];
}

/** The project's scripts. The built app runs with plain node: npm, npx and tsx stay out of production. */
export function projectScripts(spec: string, gen: string): Record<string, string> {
  return {
    generate: `supervise compile ${spec} --out ${gen}`,
    dev: `supervise compile ${spec} --out ${gen} && node --import tsx ${gen}/main.ts`,
    test: `supervise fmt --check ${spec} && supervise check --deny-warnings ${spec} && supervise audit --deny-warnings ${spec} && supervise compile --check ${spec} --out ${gen} && tsc -p . && node --import tsx node_modules/uvu/bin.js ${gen} "\\.test\\.ts$"`,
    build: `supervise compile ${spec} --out ${gen} && tsc -p tsconfig.build.json`,
    start: `node dist/${gen}/main.js`,
  };
}

/** What `npm init -y` writes as the test script: a placeholder, replaced without a conflict. */
const NPM_PLACEHOLDER_TEST = 'echo "Error: no test specified" && exit 1';
const NODE_ENGINE = ">=20.11";

type Json = Record<string, unknown>;

export function composePackageJson(existing: string | undefined, name: string, scripts: Record<string, string>, tools: ToolVersions): PackageJsonPlan {
  if (existing === undefined) {
    const fresh = {
      name,
      version: "0.1.0",
      private: true,
      type: "module",
      engines: { node: NODE_ENGINE },
      scripts,
      dependencies: { supervise: `^${tools.supervise}` },
      devDependencies: sortKeys(tools.devDependencies),
    };
    return { text: JSON.stringify(fresh, null, 2) + "\n", added: [], conflicts: [] };
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(existing);
  } catch (error) {
    return { text: undefined, added: [], conflicts: [`package.json is not valid JSON (${(error as Error).message})`] };
  }
  if (!isObject(pkg)) return { text: undefined, added: [], conflicts: ["package.json does not hold an object"] };
  const added: string[] = [];
  const conflicts: string[] = [];
  const section = (key: string): Json | undefined => {
    const value = pkg[key];
    if (value === undefined) return (pkg[key] = {}) as Json;
    if (isObject(value)) return value;
    conflicts.push(`"${key}" in package.json is not an object`);
    return undefined;
  };

  if (pkg["type"] === undefined) {
    pkg["type"] = "module";
    added.push("type");
  } else if (pkg["type"] !== "module") {
    conflicts.push(`package.json has "type": ${JSON.stringify(pkg["type"])}; the generated code is ES modules: set "type": "module"`);
  }
  const engines = section("engines");
  if (engines !== undefined && engines["node"] === undefined) {
    engines["node"] = NODE_ENGINE;
    added.push("engines.node");
  }
  const scriptSection = section("scripts");
  for (const [key, command] of Object.entries(scriptSection === undefined ? {} : scripts)) {
    const current = scriptSection![key];
    if (current === command) continue;
    if (current === undefined || (key === "test" && current === NPM_PLACEHOLDER_TEST)) {
      scriptSection![key] = command;
      added.push(`scripts.${key}`);
    } else {
      conflicts.push(`package.json already has scripts.${key} ${JSON.stringify(current)}; init would set ${JSON.stringify(command)}`);
    }
  }
  const dependencies = section("dependencies");
  const devDependencies = section("devDependencies");
  if (dependencies !== undefined && devDependencies !== undefined) {
    if (devDependencies["supervise"] !== undefined && dependencies["supervise"] === undefined) {
      conflicts.push("supervise is a devDependency in package.json, but the built app imports supervise/runtime: move it to dependencies");
    } else if (dependencies["supervise"] === undefined) {
      dependencies["supervise"] = `^${tools.supervise}`;
      added.push("dependencies.supervise");
    }
    for (const [tool, range] of Object.entries(tools.devDependencies)) {
      if (dependencies[tool] !== undefined || devDependencies[tool] !== undefined) continue;
      devDependencies[tool] = range;
      added.push(`devDependencies.${tool}`);
    }
    if (pkg["devDependencies"] !== undefined) pkg["devDependencies"] = sortKeys(devDependencies as Record<string, string>);
  }
  for (const key of ["engines", "scripts", "dependencies", "devDependencies"]) {
    if (isObject(pkg[key]) && Object.keys(pkg[key]).length === 0) delete pkg[key];
  }
  if (conflicts.length > 0 || added.length === 0) return { text: undefined, added, conflicts };
  return { text: JSON.stringify(pkg, null, detectIndent(existing)) + "\n", added, conflicts };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Keeps the file's indentation (npm writes 2 spaces; some projects use tabs or 4). */
function detectIndent(text: string): string | number {
  const match = /^[{[]\r?\n([ \t]+)/.exec(text);
  return match?.[1] ?? 2;
}
