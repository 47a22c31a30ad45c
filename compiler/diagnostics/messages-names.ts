// SUP2xxx names, references, settings. Part of the one catalogue (./catalogue.ts), which says how codes are assigned.
import { define } from "./message.ts";
import { q, orList } from "./quote.ts";

export const NAME_MESSAGES = {
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
  inheritedDepKey: define(
    "SUP2033",
    "error",
    "a need gets the key of a need of an enclosing supervisor",
    (key: string, need: string, inherited: string, supervisor: string) =>
      `${q(need)} and ${q(inherited)} (needed by supervisor ${q(supervisor)}, so in its children's deps too) would both be 'scope.deps.${key}'`,
  ),
  reloadIsShutdownSignal: define(
    "SUP2034",
    "error",
    "the reload signal is also a shutdown signal",
    (signal: string) => `${signal} cannot reload the app: it is one of its shutdown signals ('signals')`,
  ),
  replicasOutOfRange: define(
    "SUP2035",
    "error",
    "a replica count is out of range",
    (count: string, max: number) => `'replicas ${count}' is out of range: a service runs 1 to ${max} instances`,
  ),
} as const;
