// Every hint a diagnostic can carry: the line under the source excerpt that says what to do.
// Each is a function named for what it tells the user; call sites pass only the names and
// figures, so the wording lives here next to the catalogue (compiler/diagnostics/catalogue.ts) and
// the related-note texts (compiler/diagnostics/notes.ts). A test keeps every entry in use.
import { orList, q } from "./catalogue.ts";

const RUN_A_SHELL = `to use a shell, run one: exec "sh -c '...'"`;

/** What a string slot holds, by the grammar rule that expects it; module paths otherwise. */
const QUOTED_WHAT: Readonly<Record<string, string>> = {
  execSetting: "command line",
  readySetting: "text",
  envVariable: "value",
  cwdSetting: "directory",
};

/** `'a' or 'b'`: the paths that would name what the user meant. */
function quotedAlternatives(paths: readonly string[]): string {
  return paths.map(q).join(" or ");
}

export const H = {
  // ---- names and references ----
  /** The one did-you-mean wording, for every misspelled name, value, path or setting. */
  didYouMean: (closest: string) => `did you mean ${q(closest)}?`,
  renameOneOfThem: () => "rename one of them",
  renameOneNeed: () => "a node cannot need two things with the same name; rename one of them",
  renameInheritedNeed: () => "a supervisor's needs are in its children's deps: rename one of the two, or move the supervisor's need to the children that use it",
  cannotNeedOwnChild: (child: string, owner: string) => `${q(child)} is inside ${q(owner)} itself; a supervisor cannot need its own children`,
  writeThePathInScope: (paths: readonly string[]) => `it is not in scope here; write the path: ${quotedAlternatives(paths)}`,
  writeAPath: (paths: readonly string[]) => `write a path: ${quotedAlternatives(paths)}`,
  cannotWaitForSupervisor: () => "a node starts inside its supervisor; it cannot wait for it",
  cannotWaitForChildren: () => "a supervisor has started only when its children have; it cannot wait for them",

  // ---- syntax ----
  blockMissingBrace: (block: string, openedAt: string) =>
    `judging by indentation, ${block} (opened at ${openedAt}) may be the block missing its '}'`,
  separateListItems: (keyword: string) => `separate the items of ${q(keyword)} with ','`,
  separateEnvVariables: () => "separate the variables of 'env' with ','",
  writeATimeoutSetting: (settings: readonly string[]) => `write ${orList(settings.map(q))}`,
  /** `rule` is the grammar rule that expected the string. */
  putInDoubleQuotes: (rule: string) => `put the ${QUOTED_WHAT[rule] ?? "path"} in double quotes`,
  renameIt: (name: string) => `rename it ${name}`,
  joinDurationUnit: (joined: string) => `write ${q(joined)}`,
  addDurationUnit: (digits: string) => `write '${digits}s' for seconds or '${digits}ms' for milliseconds`,
  combineDurationUnits: () => "combine units instead, e.g. '1s500ms' for one and a half seconds",
  writeDaysInHours: () => "write days in hours, e.g. '24h'",

  // ---- placement and settings without effect ----
  useSupervisorToNest: () => "use 'supervisor' for a nested group of services",
  makeItASupervisor: (service: string) => `to group services, make ${q(service)} a supervisor`,
  oneShutdownLine: () => "list all phases in one line: 'shutdown a -> b, c'",
  removeSetting: (words: string) => `remove ${q(words)}`,
  removeStrategyOrAddSiblings: () => "remove 'strategy', or add the siblings it is meant to restart together",
  removeShutdownLine: () => "remove the 'shutdown' line",
  removeBackoffOrRestart: () => "remove 'backoff', or make the service transient or permanent",
  fillOrRemoveSupervisor: () => "add services to it, or remove it",

  // ---- values ----
  useSigterm: () => "use SIGTERM, which process managers send first",
  reloadWithOtherSignal: (free: readonly string[]) =>
    free.length > 0 ? `use a signal that does not stop the app, e.g. ${free.join(" or ")} (SIGHUP is the usual one)` : "remove it from 'signals', or reload with another signal",
  removeReplicasOrCount: (max: number) => `write a count from 1 to ${max}; without 'replicas', one instance runs`,
  addAppReload: () => "add 'reload SIGHUP' (or another signal) to the app: a program's reload signal is sent when the app reloads",
  listShutdownSignals: (signals: readonly string[]) => `signals that can start a shutdown: ${signals.join(", ")}`,
  useInfinity: () => "use 'infinity' for no limit",
  swapBackoff: (min: string, max: string) => `write 'backoff ${max}..${min}'`,

  // ---- modules and processes ----
  addExec: () => `add 'exec "<command line>"': the program this service runs`,
  addModuleOrExec: (service: string) =>
    `add 'module "./services/${service}.ts"' (a file that exports start()), or 'exec "<command line>"' to run a program`,
  writeRelativeModulePath: () => "write a path relative to the spec file, with '/' separators",
  renameForImport: () => "rename the file or folder: an imported path holds no '#', '?', '%' or control character",
  prefixDotSlash: (path: string) => `write './${path}'`,
  modulePathsAreRelative: () => "module paths are relative to the spec file",
  nameTheModuleFile: () => "name the file that exports start(), e.g. './services/db.ts'",
  writeAModuleFile: (allowed: readonly string[]) => `a module is a ${orList(allowed)} file that exports start(); to run anything else, use 'exec'`,
  keepModulesInProject: () =>
    "a module must be inside the project: the nearest folder above the spec that holds a package.json, else the spec's folder",
  exportStart: (scopeType: string) => `export it: 'export async function start(scope: ${scopeType}) { ... }' (the type is in the generated types.ts)`,
  makeStartAFunction: () => "'start' must be a function the runtime can call: start(scope) returns the service's handle",
  installOrQualifyProgram: () =>
    "install it where the service will run, or write its path; a warning only: PATH may differ on the machine that runs the app",
  keepModuleOrExec: () => "a module runs inside the supervisor; a program given by 'exec' runs as a child process: keep one",
  replaceModuleWithExec: () => `remove it, or replace 'module' with 'exec "<command line>"' to run a program`,
  useGracefulStopSignal: () => "use SIGTERM (the default), or the signal the program documents for a graceful stop",
  listCommonStopSignals: (signals: readonly string[]) => `signals programs commonly stop on: ${signals.join(", ")}`,
  mergeStderr: () => `only stdout is watched; to watch stderr, merge it: exec "sh -c 'exec <program> 2>&1'"`,
  writeReadyWhen: () => `write 'ready when stdout "<text>"'`,
  /** `suggested`: the name with every character that is not allowed replaced by '_'. */
  useEnvNameCharacters: (suggested: string) => `use letters, digits and '_' (not starting with a digit), e.g. ${q(suggested)}`,

  // ---- command lines and working directories ----
  closeTheQuote: () => "close it; to pass a quote character itself, put it inside the other kind of quotes",
  doubleTheBackslash: () => "to pass a backslash itself, double it in the command line (written \\\\\\\\ in the spec's string)",
  setWithEnv: (name: string, value: string) => `set it with 'env ${name} "${value}"'`,
  commentInSpec: () => "write comments after the setting, in the spec: // ...",
  singleQuoteExpansion: (text: string) => `put it in single quotes to pass it as it is (${q(text)}); ${RUN_A_SHELL}`,
  quoteShellSyntax: (text: string) => `put it in quotes to pass it as it is (${q(text)}); ${RUN_A_SHELL}`,
  writeTheProgram: () => `write the program and its arguments, e.g. exec "node worker.mjs"`,
  leaveCwdOut: () => "leave 'cwd' out to run in the spec's directory",
  /** `path`: the written path without its leading '/'. */
  relativeCwd: (path: string) => `write './${path}' (relative to the spec file, with '/' separators)`,
  cwdIsRelative: () => "the working directory is relative to the spec file",
  programPathLookup: () =>
    "a program path with '/' is relative to the working directory ('cwd', else the spec's directory); a bare name is looked up in PATH",

  // ---- ordering ----
  breakTheCycle: () => "remove one of these needs; a supervisor's needs also apply to everything inside it",
  listEveryChildOnce: () => "list every child once; children in one phase stop in parallel, separated by ','",
  stopEarlier: (dependent: string, needed: string) => `stop ${q(dependent)} in an earlier phase than ${q(needed)}`,

  // ---- timing and restarts ----
  finiteStopTimeout: (service: string) => `give ${q(service)} a finite stop timeout, or put it in a supervisor with one`,
  raiseSupervisorStopTimeout: (supervisor: string, demand: string) =>
    `raise the stop timeout of ${q(supervisor)} to at least ${demand}, or shorten the stop timeouts on this path`,
  raiseGrace: (total: string) => `raise 'grace' to at least ${total}, or shorten the stop timeouts on this path`,
  writeGrace: (defaultGrace: string, total: string) =>
    `the grace defaults to ${defaultGrace}; write 'grace ${total}' in the app block, or shorten the stop timeouts on this path`,
  raiseGraceOrLowerStopTimeout: () => "raise 'grace' in the app block or lower this stop timeout",
  lowerNestedIntensity: (nested: string, max: number, dependent: string) =>
    `lower the intensity of ${q(nested)} to ${max} or less, so that ${q(dependent)} is not restarted more often than its own supervisor allows`,
  lengthenIntensityPeriod: (supervisor: string, stop: string) =>
    `make the intensity period of ${supervisor} longer than ${stop}, or shorten this stop timeout`,
  allowRestartsInPlace: () => "this escalates every failure at once, as OTP's intensity 0 does; allow 1 or more to restart children in place",

  // ---- deploy ----
  addPlatformSignal: (signal: string) => `add ${signal} to 'signals', or the process only stops at SIGKILL`,
  /**
   * Fit the shutdown in the platform's wait: shorten whatever decides the figure (the grace when
   * it cuts the shutdown, else the path) when there is `room` left, or wait longer.
   */
  fitThePlatformWait: (cut: "grace" | "path", room: string | undefined, setting: string, platform: string, wait: string) => {
    const shorten = cut === "grace" ? `lower 'grace' to ${room} or less` : `shorten the stop timeouts on this path to ${room} in all`;
    return `${room !== undefined ? `${shorten}, or ` : ""}set ${setting} to ${wait} and write 'deploy ${platform} timeout ${wait}'`;
  },

  // ---- service code (the audit) ----
  checkTheSignal: () => "check the signal in the loop, `while (!signal.aborted)`, or pass it to what the loop awaits",
  passTheSignal: () => "pass the signal, `await setTimeout(ms, undefined, { signal })`, or wait with `await scope.sleep(ms)` and then check `signal.aborted`",
  rethrowTheAbort: () => "end the loop when stopping: `if (signal.aborted) throw err;` (or `break`) first thing in the catch",
  releaseInAFinalizer: () => "release it in a finalizer registered right after it, `scope.defer(() => x.close())`, or hand the scope's signal to it (`{ signal }`)",
  runItAsATask: () => "run it as a task the service owns, `scope.go(\"name\", (signal) => work(signal))`, or await it",
  linkTheController: () => "link it: `scope.defer(() => controller.abort())`, or combine the signals: `AbortSignal.any([signal, controller.signal])`",
  deferBeforeAwait: () => "register the finalizer right after the resource is created, before the first await",
  awaitInsteadOfSpinning: () => "wait instead of spinning: await the event (`await once(emitter, \"ready\", { signal })`) or poll with `await scope.sleep(ms)`",
  // ---- health, drain and deployment files ----
  addHealthPort: () => "add 'health port <number>' to the app block, or remove 'health host'",
  shortenDrain: () => "shorten 'drain' or raise 'grace': the drain and the whole stop must fit in the grace",
  fitDrainInGrace: (total: string, drainRoom: string) => `raise 'grace' to at least ${total}, or shorten 'drain' to ${drainRoom} or less`,
  raisePlatformWait: (setting: string, needed: string) => `set ${setting} to at least ${needed}, or lower 'grace' in the spec (supervise deploy writes a file that fits)`,
  sendHandledSignal: (setting: string, signal: string) => `set ${setting} to ${signal}, or add the signal to 'signals' in the spec`,
  runNodeDirectly: (main: string) => `run node itself (\`node ${main}\`), under tini or \`init: true\` when it is PID 1`,
  lengthenStartProbe: (needed: string) => `let the probe fail for at least ${needed} (initialDelaySeconds + periodSeconds x failureThreshold), or use a startupProbe on /startupz`,
  probeMoreOften: (drain: string) => `make periodSeconds x failureThreshold + timeoutSeconds at most ${drain}, or lengthen 'drain' in the spec`,
  probeTheEndpoint: (expected: string) => `ask for ${expected} on the health port`,
  useKillModeMixed: () => "set KillMode=mixed: the stop signal goes to node alone, which stops its programs in order, and SIGKILL reaches what is left",
} as const;
