// A generated program started through npm (`npm start`, `npm run …`) or npx runs below a shell and
// npm itself, and a stop signal sent to the top of that chain (what Docker, Kubernetes or systemd
// do) ends npm (exit 143) but is not passed on reliably: the app and the programs it runs keep
// running until the platform's kill. `runMain` warns once at start, with the command to use.
//
// npm, npx, yarn and pnpm all set npm_lifecycle_event and npm_lifecycle_script in the environment
// of what they start, and every process below inherits them: a test runner started by `npm test`
// that spawns the app is not the app being started by npm. So the warning needs the script npm
// ran to name this program's entry file. In an interactive terminal it stays quiet: Ctrl-C reaches
// every process of the foreground group, so the wrapper does no harm there (`npm run dev`).
import { basename, relative } from "node:path";

export interface LaunchContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The entry file (`process.argv[1]`), absolute. */
  readonly entry: string | undefined;
  /** The working directory, to show the entry relative to it. */
  readonly cwd: string;
  /** Whether stdin is a terminal. */
  readonly interactive: boolean;
}

export interface LauncherWarning {
  /** How it was started: "npm start", "npm run serve", "npx", "yarn run start"… */
  readonly launcher: string;
  /** The command that starts it directly. */
  readonly fix: string;
  readonly message: string;
}

/** The warning to print when this program was started by a package manager's wrapper, else undefined. */
export function detectLauncher(context: LaunchContext): LauncherWarning | undefined {
  const { env, entry } = context;
  const event = env["npm_lifecycle_event"];
  const script = env["npm_lifecycle_script"];
  if (context.interactive || entry === undefined || event === undefined || event === "" || script === undefined) return undefined;
  if (!script.includes(basename(entry))) return undefined;
  const launcher = describeLauncher(event, env["npm_config_user_agent"]);
  const shown = relative(context.cwd, entry) || entry;
  const path = shown.startsWith("..") ? entry : shown;
  const fix = `${/\.[mc]?ts$/.test(path) ? "node --import tsx" : "node"} ${quoteArgument(path)}`;
  const message =
    `started through ${launcher}, which does not pass a stop signal on reliably: SIGTERM would end ${launcher.split(" ")[0]} ` +
    `and leave this app running. Start it directly: ${fix} (in a container: CMD [${JSON.stringify("node")}, ${JSON.stringify(path)}], under --init or tini)`;
  return { launcher, fix, message };
}

function describeLauncher(event: string, userAgent: string | undefined): string {
  const tool = /^(npm|yarn|pnpm|bun)\//.exec(userAgent ?? "")?.[1] ?? "npm";
  if (event === "npx") return "npx";
  if (tool === "npm" && (event === "start" || event === "test" || event === "stop" || event === "restart")) return `npm ${event}`;
  return `${tool} run ${event}`;
}

function quoteArgument(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
