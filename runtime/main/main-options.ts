// What a generated program's command line and environment may change: only the log format, so
// that the same build logs for people on a terminal and for a log pipeline in production.
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
