// The one catalogue of diagnostics: each code's message, with a code never reused for another
// meaning (retire it instead). Hints are in ./hints.ts (H) and related-note texts in ./notes.ts (N).
// Tests assert codes, not wording; docs/diagnostics.md documents every code (a test checks).
//
//   SUP1xxx  syntax: characters, tokens, literals, block structure
//   SUP2xxx  names, references and settings
//   SUP3xxx  ordering and timing
//   SUP4xxx  files
//   SUP9xxx  the compiler itself (a bug, never the user's mistake)
import { define, type MessageDef } from "./message.ts";

// The machinery lives in ./message.ts; callers keep importing it from here, beside M.
export { createDiagnostic, type Args, type DiagnosticExtras, type MessageDef } from "./message.ts";

/** `'db'` — every name, keyword and value is quoted the same way in messages. */
export function q(text: string): string {
  return `'${text}'`;
}

/** `a, b or c`: how messages list the choices a name has (the vocabulary's arrays). */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export const M = {
  // ---- SUP1xxx syntax ----
  unexpectedCharacter: define("SUP1001", "error", "unexpected character", (shown: string) => `unexpected character ${shown}`),
  unterminatedString: define("SUP1002", "error", "unterminated string", () => "unterminated string: add a closing '\"' on the same line"),
  unterminatedComment: define("SUP1003", "error", "unterminated block comment", () => "unterminated block comment: '/*' has no matching '*/'"),
  invalidEscape: define(
    "SUP1004",
    "error",
    "invalid escape sequence in a string",
    (escape: string) => `invalid escape sequence ${q(escape)} (use \\" \\\\ \\n \\t or \\uXXXX)`,
  ),
  expectedToken: define("SUP1005", "error", "expected something else here", (what: string) => what),
  unclosedBlock: define(
    "SUP1006",
    "error",
    "a block is not closed",
    (block: string, where: string) => `expected '}' to close ${block} opened at ${where}`,
  ),
  unknownSetting: define("SUP1007", "error", "unknown setting", (word: string, block: string) => `unknown setting ${q(word)} in ${block}`),
  outsideApp: define("SUP1008", "error", "unexpected input outside the app block", (what: string) => what),
  reservedWord: define(
    "SUP1009",
    "error",
    "a reserved word is used as a name",
    (word: string) => `${q(word)} is a reserved word and cannot be used as a name`,
  ),
  invalidDuration: define("SUP1010", "error", "invalid duration", (text: string, why: string) => `invalid duration ${q(text)}: ${why}`),
  invalidInteger: define("SUP1011", "error", "invalid whole number", (text: string, why: string) => `invalid number ${q(text)}: ${why}`),
  missingApp: define("SUP1012", "error", "the file has no app block", () => "expected an 'app' block, e.g. 'app shop { ... }'"),
  nestingTooDeep: define(
    "SUP1013",
    "error",
    "blocks are nested too deeply",
    (limit: number) => `blocks are nested more than ${limit} levels deep`,
  ),

  // ---- SUP2xxx names, references, settings ----
  duplicateName: define(
    "SUP2001",
    "error",
    "a name is declared twice in one supervisor",
    (name: string, scope: string) => `${q(name)} is already declared in ${scope}`,
  ),
  unknownReference: define(
    "SUP2002",
    "error",
    "a reference names nothing in scope",
    (name: string, where: string) => `unknown service or supervisor ${q(name)} in ${q(where)}`,
  ),
  ambiguousReference: define(
    "SUP2003",
    "error",
    "a reference matches in more than one enclosing scope",
    (name: string, count: number) => `${q(name)} is ambiguous: it matches ${count} declarations in enclosing scopes`,
  ),
  duplicateSetting: define(
    "SUP2004",
    "error",
    "a setting is given twice in one block",
    (setting: string, block: string) => `${q(setting)} is given twice in ${block}`,
  ),
  misplacedSetting: define(
    "SUP2005",
    "error",
    "a setting is not allowed in this block",
    (setting: string, allowedIn: string) => `${q(setting)} is only allowed in ${allowedIn}`,
  ),
  unknownSignal: define("SUP2006", "error", "unknown signal", (name: string) => `unknown signal ${q(name)}`),
  uncatchableSignal: define(
    "SUP2007",
    "error",
    "a signal that cannot be caught",
    (name: string) => `${name} cannot be caught, so it cannot start a graceful shutdown`,
  ),
  unknownStrategy: define(
    "SUP2008",
    "error",
    "unknown restart strategy",
    (name: string, strategies: readonly string[]) => `unknown strategy ${q(name)} (${orList(strategies)})`,
  ),
  unknownRestart: define(
    "SUP2009",
    "error",
    "unknown restart policy",
    (name: string, policies: readonly string[]) => `unknown restart policy ${q(name)} (${orList(policies)})`,
  ),
  missingModule: define("SUP2010", "error", "a service has no module or exec", (name: string) => `service ${q(name)} has no 'module' (or 'exec')`),
  duplicateDepKey: define(
    "SUP2011",
    "error",
    "two needs of one node get the same key in scope.deps",
    (key: string, first: string, second: string) =>
      `${q(first)} and ${q(second)} would both be 'scope.deps.${key}'`,
  ),
  identifierCollision: define(
    "SUP2012",
    "error",
    "two node ids map to the same TypeScript identifier",
    (id: string, other: string, ident: string) => `${q(id)} and ${q(other)} both become the TypeScript name ${q(ident)}`,
  ),
  multipleApps: define("SUP2013", "error", "more than one app in a file", () => "only one 'app' block is allowed per file"),
  misplacedBlock: define("SUP2014", "error", "a block is not allowed here", (what: string) => what),
  duplicateSignal: define("SUP2015", "warning", "a signal is listed twice", (name: string) => `${name} is listed twice`),
  duplicateNeed: define(
    "SUP2016",
    "warning",
    "a node needs the same thing twice",
    (node: string, target: string) => `${q(node)} needs ${q(target)} twice`,
  ),
  pathIntoService: define(
    "SUP2017",
    "error",
    "a dotted path reaches into a service",
    (service: string) => `${q(service)} is a service and has no children; only a supervisor can be reached into`,
  ),
  unsuitableSignal: define(
    "SUP2018",
    "error",
    "a signal that cannot sensibly start a shutdown",
    (name: string, why: string) => `${name} cannot start a shutdown: ${why}`,
  ),
  inspectorSignal: define(
    "SUP2019",
    "warning",
    "SIGUSR1 is reserved by Node.js for the inspector",
    () => "SIGUSR1 is reserved by Node.js to start the debugger; handling it may interfere with debugging",
  ),
  unknownPlatform: define(
    "SUP2020",
    "error",
    "unknown deploy platform",
    (name: string, platforms: readonly string[]) => `unknown platform ${q(name)} in 'deploy' (${orList(platforms)})`,
  ),
  platformSignalUnhandled: define(
    "SUP2021",
    "warning",
    "the platform stops the app with a signal it does not handle",
    (platform: string, signal: string) => `${platform} stops the app with ${signal}, which 'signals' does not list`,
  ),
  emptySupervisor: define("SUP2022", "warning", "a supervisor has no children", (block: string) => `${block} has no children: it starts and stops nothing`),
  settingWithoutEffect: define("SUP2023", "warning", "a setting has no effect", (setting: string, why: string) => `${q(setting)} has no effect: ${why}`),
  execAndModule: define(
    "SUP2024",
    "error",
    "a service has both a module and an exec",
    (name: string) => `service ${q(name)} has both 'module' and 'exec'; a service is either a module or a program`,
  ),
  processSettingWithoutExec: define(
    "SUP2025",
    "error",
    "a process setting in a service that runs a module",
    (setting: string, name: string) => `${q(setting)} only applies to a service that runs a program ('exec'), and ${q(name)} runs a module`,
  ),
  emptyCommand: define("SUP2026", "error", "an exec command line is empty", () => "the command line of 'exec' names no program"),
  unsplittableCommand: define(
    "SUP2027",
    "error",
    "an exec command line cannot be split into arguments",
    (why: string) => `cannot split the command line of 'exec': ${why}`,
  ),
  shellSyntax: define(
    "SUP2028",
    "error",
    "shell syntax in an exec command line, where no shell runs",
    (text: string, meaning: string) => `${q(text)} in 'exec' is shell syntax (${meaning}), but no shell is invoked`,
  ),
  unsuitableStopSignal: define(
    "SUP2029",
    "error",
    "a stop signal that cannot stop a program",
    (name: string, why: string) => `${name} cannot be a stop signal: ${why}`,
  ),
  invalidEnvName: define(
    "SUP2030",
    "error",
    "an invalid environment variable name",
    (name: string) => `${q(name)} is not a valid environment variable name`,
  ),
  duplicateEnv: define("SUP2031", "error", "an environment variable is set twice", (name: string) => `environment variable ${q(name)} is set twice`),
  unknownReadySource: define(
    "SUP2032",
    "error",
    "unknown readiness source",
    (name: string) => `unknown source ${q(name)} in 'ready when': only 'stdout' is watched`,
  ),

  // ---- SUP3xxx ordering and timing ----
  dependencyCycle: define("SUP3001", "error", "dependency cycle", (cycle: string) => `dependency cycle: ${cycle}`),
  needsOwnLineage: define("SUP3002", "error", "a node needs itself, an ancestor or a descendant", (what: string) => what),
  shutdownBeforeDependent: define(
    "SUP3003",
    "error",
    "shutdown order stops something before a node that needs it",
    (stopped: string, dependent: string) =>
      `'shutdown' stops ${q(stopped)} before ${q(dependent)}, which needs it`,
  ),
  shutdownMissingChild: define(
    "SUP3004",
    "error",
    "a shutdown line leaves a child out",
    (child: string, block: string) => `'shutdown' of ${block} does not list ${q(child)}`,
  ),
  shutdownDuplicate: define("SUP3005", "error", "a shutdown line lists a child twice", (child: string) => `${q(child)} is listed twice in 'shutdown'`),
  shutdownNotChild: define(
    "SUP3006",
    "error",
    "a shutdown line names something that is not a child",
    (name: string, block: string) => `${q(name)} is not a child of ${block}; 'shutdown' orders only its own children`,
  ),
  multipleShutdowns: define("SUP3007", "error", "more than one shutdown line", (block: string) => `${block} has more than one 'shutdown' line`),
  infinityNotAllowed: define(
    "SUP3008",
    "error",
    "infinity where a finite duration is required",
    (what: string) => `'infinity' is not allowed for ${what}; only 'stop timeout' may be infinite`,
  ),
  nonPositiveDuration: define(
    "SUP3009",
    "error",
    "a duration that must be positive is zero",
    (what: string) => `${what} must be greater than zero`,
  ),
  zeroStopTimeout: define(
    "SUP3010",
    "warning",
    "stop timeout 0 gives a node no time to stop",
    (name: string) => `'stop timeout 0' gives ${q(name)} no time to stop; it is abandoned as soon as it is asked to stop`,
  ),
  durationTooLong: define(
    "SUP3011",
    "error",
    "a duration is longer than a timer can wait",
    (text: string) => `${q(text)} is longer than the longest timer Node.js supports (596h31m23s647ms)`,
  ),
  stopTimeoutExceedsGrace: define(
    "SUP3012",
    "warning",
    "a stop timeout is longer than the app's grace",
    (name: string, timeout: string, grace: string) =>
      `stop timeout ${timeout} of ${q(name)} is longer than the app's grace ${grace}; the shutdown will be cut short`,
  ),
  shutdownExceedsGrace: define(
    "SUP3013",
    "error",
    "the worst-case shutdown takes longer than the grace",
    (total: string, path: string, grace: string) => `the shutdown may take ${total}, longer than the grace: ${path} = ${total} > grace ${grace}`,
  ),
  infinityOnlyBoundedByGrace: define(
    "SUP3014",
    "error",
    "an infinite stop timeout that only the grace bounds",
    (name: string, grace: string) =>
      `${q(name)} may take forever to stop ('stop timeout infinity') and no enclosing supervisor bounds it: only the grace ${grace} ends the shutdown`,
  ),
  supervisorBudgetOverrun: define(
    "SUP3015",
    "error",
    "a supervisor's children cannot stop within its stop timeout",
    (name: string, demand: string, path: string, budget: string) =>
      `the children of ${q(name)} may need ${demand} to stop, longer than its stop timeout: ${path} = ${demand} > stop timeout ${budget}`,
  ),
  platformKillsFirst: define(
    "SUP3016",
    "error",
    "the shutdown does not finish before the platform kills the process",
    (platform: string, kill: string, figures: string) => `${platform} sends SIGKILL ${kill} after its stop signal, before the app can finish: ${figures} > ${kill}`,
  ),
  restartStorm: define(
    "SUP3017",
    "warning",
    "a nested supervisor may restart more often than an enclosing one allows",
    (name: string, allowed: string, outside: string, ancestor: string, ancestorAllows: string) =>
      `${q(name)} may restart ${allowed}, and each restart also restarts ${q(outside)}; ${ancestor} allows only ${ancestorAllows}`,
  ),
  stopLongerThanPeriod: define(
    "SUP3018",
    "warning",
    "a child takes longer to stop than its supervisor's intensity period",
    (child: string, stop: string, supervisor: string, period: string) =>
      `${q(child)} may take ${stop} to stop, longer than the intensity period of ${supervisor} (${period}): when it stops that slowly, its restarts never add up within one period and a crash loop never ends`,
  ),
  noRestartsAllowed: define(
    "SUP3019",
    "info",
    "intensity 0: a supervisor never restarts a child",
    (supervisor: string) => `${supervisor} allows no restarts (intensity 0): the first failure of a permanent or transient child makes it give up`,
  ),
  backoffReversed: define(
    "SUP3020",
    "error",
    "a backoff range whose minimum is above its maximum",
    (min: string, max: string) => `'backoff ${min}..${max}' starts above its maximum: the first delay must not be longer than the last`,
  ),

  // ---- SUP4xxx files ----
  moduleNotFound: define("SUP4001", "error", "a module file does not exist", (path: string) => `module file ${q(path)} does not exist`),
  moduleNotRelative: define(
    "SUP4002",
    "error",
    "a module path is not relative",
    (path: string) => `module path ${q(path)} must start with './' or '../' (relative to the spec file)`,
  ),
  cwdNotRelative: define(
    "SUP4003",
    "error",
    "a working directory is not relative",
    (path: string) => `cwd ${q(path)} must be relative to the spec file ('.', './dir' or '../dir')`,
  ),
  cwdNotFound: define("SUP4004", "error", "a working directory does not exist", (path: string, why: string) => `cwd ${q(path)} ${why}`),
  programNotFound: define(
    "SUP4005",
    "warning",
    "the program of an exec does not exist",
    (program: string, dir: string) => `program ${q(program)} does not exist (relative to ${q(dir)}, the service's working directory)`,
  ),
  moduleNotAFile: define(
    "SUP4006",
    "error",
    "a module path names a directory or something else that is not a regular file",
    (path: string, kind: "directory" | "other") =>
      `module path ${q(path)} names ${kind === "directory" ? "a directory" : "something that is not a regular file"}, not a module file`,
  ),
  moduleExtension: define(
    "SUP4007",
    "error",
    "a module file is not one the runtime can import",
    (path: string, extension: string, allowed: readonly string[]) =>
      `module file ${q(path)} ${extension === "" ? "has no extension" : `is a ${q(extension)} file`}: the runtime imports only ${orList(allowed)} files`,
  ),
  moduleOutsideProject: define(
    "SUP4008",
    "error",
    "a module path leads outside the project",
    (path: string, project: string) => `module path ${q(path)} leads outside the project (${q(project)})`,
  ),
  moduleBackslash: define(
    "SUP4009",
    "error",
    "a module path holds a backslash",
    (path: string) => `module path ${q(path)} holds '\\': an import path is a URL, where '\\' means '/'`,
  ),

  // ---- SUP9xxx the compiler itself ----
  internalError: define(
    "SUP9001",
    "error",
    "internal compiler error",
    (detail: string) => `internal compiler error: ${detail} (please report this with the spec that caused it)`,
  ),
  checkFailed: define(
    "SUP9002",
    "error",
    "internal error in one check",
    (check: string, detail: string) => `internal compiler error in check ${q(check)}: ${detail} (please report this with the spec that caused it)`,
  ),
} as const;

/** Every code, sorted; docs and tests enumerate this. */
export const CATALOGUE: readonly MessageDef<readonly never[]>[] = (Object.values(M) as MessageDef<readonly never[]>[])
  .slice()
  .sort((a, b) => a.code.localeCompare(b.code));
