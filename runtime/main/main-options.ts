// What a generated program's command line and environment may change: the log format, so that the
// same build logs for people on a terminal and for a log pipeline in production, and the watchdog.
// `runMain` reads these; `runApp` takes options only, so tests and embedders stay in control.

export type LogFormat = "text" | "json";

const FORMATS: readonly LogFormat[] = ["text", "json"];
export const LOG_FORMAT_FLAG = "--log-format";
export const LOG_FORMAT_VARIABLE = "SUPERVISE_LOG_FORMAT";

export type LogFormatChoice = { readonly format: LogFormat } | { readonly problem: string };

function parseFormat(value: string, source: string): LogFormatChoice {
  if ((FORMATS as readonly string[]).includes(value)) return { format: value as LogFormat };
  return { problem: `invalid ${source} ${JSON.stringify(value)}: expected ${FORMATS.map((f) => `"${f}"`).join(" or ")}` };
}

/**
 * `--log-format json` or `--log-format=json` on the command line (the last one wins), else the
 * SUPERVISE_LOG_FORMAT environment variable, else text. Other arguments belong to the app and are
 * left alone. A value that is not a format is a problem, not a silent fallback to text.
 */
export function readLogFormat(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LogFormatChoice {
  let fromArgv: LogFormatChoice | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    if (arg.startsWith(`${LOG_FORMAT_FLAG}=`)) fromArgv = parseFormat(arg.slice(LOG_FORMAT_FLAG.length + 1), LOG_FORMAT_FLAG);
    else if (arg === LOG_FORMAT_FLAG) {
      const value = argv[i + 1];
      fromArgv = value === undefined || value.startsWith("--") ? { problem: `${LOG_FORMAT_FLAG} needs a value: "text" or "json"` } : parseFormat(value, LOG_FORMAT_FLAG);
      i++;
    }
    if (fromArgv !== undefined && "problem" in fromArgv) return fromArgv;
  }
  if (fromArgv !== undefined) return fromArgv;
  const fromEnv = env[LOG_FORMAT_VARIABLE];
  return fromEnv === undefined || fromEnv === "" ? { format: "text" } : parseFormat(fromEnv, LOG_FORMAT_VARIABLE);
}

export const WATCHDOG_VARIABLE = "SUPERVISE_WATCHDOG";
export const BLOCKED_WARNING_VARIABLE = "SUPERVISE_BLOCKED_WARNING";

export type WatchdogChoice = { readonly settings: { readonly blockedMs?: number } | false } | { readonly problem: string };

/**
 * SUPERVISE_WATCHDOG=off turns the watchdog off (`on`, the default, keeps it);
 * SUPERVISE_BLOCKED_WARNING=<ms> (a whole number of milliseconds) also reports, while the app
 * runs, an event loop blocked longer than that. A value that means nothing is a problem.
 */
export function readWatchdog(env: Readonly<Record<string, string | undefined>>): WatchdogChoice {
  const mode = env[WATCHDOG_VARIABLE];
  if (mode === "off") return { settings: false };
  if (mode !== undefined && mode !== "" && mode !== "on") return { problem: `invalid ${WATCHDOG_VARIABLE} ${JSON.stringify(mode)}: expected "on" or "off"` };
  const warning = env[BLOCKED_WARNING_VARIABLE];
  if (warning === undefined || warning === "") return { settings: {} };
  if (!/^[1-9][0-9]{0,8}$/.test(warning)) return { problem: `invalid ${BLOCKED_WARNING_VARIABLE} ${JSON.stringify(warning)}: expected a number of milliseconds, such as 500` };
  return { settings: { blockedMs: Number(warning) } };
}
