// SUP6xxx platforms: the health endpoints and the drain a spec declares (SUP60xx), and what an
// existing deployment file says against the spec (SUP62xx, located in that file). Part of the one
// catalogue (./catalogue.ts), which says how codes are assigned.
import { define } from "./message.ts";
import { orList, q } from "./quote.ts";

export const PLATFORM_MESSAGES = {
  unknownHealthSetting: define(
    "SUP6001",
    "error",
    "'health' followed by something other than 'port' or 'host'",
    (word: string, known: readonly string[]) => `'health ${word}' is not a setting: 'health' is followed by ${orList(known.map(q))}`,
  ),
  invalidHealthPort: define(
    "SUP6002",
    "error",
    "a health port that is not a TCP port number",
    (text: string) => `${q(text)} is not a port: 'health port' takes a number from 1 to 65535`,
  ),
  invalidHealthHost: define(
    "SUP6003",
    "error",
    "a health host that is not an address or a host name",
    (text: string, why: string) => `${q(text)} is not an address to listen on: ${why}`,
  ),
  healthHostWithoutPort: define(
    "SUP6004",
    "error",
    "'health host' without 'health port'",
    () => "'health host' says where the health endpoints listen, but no 'health port' turns them on",
  ),
  drainNotShorterThanGrace: define(
    "SUP6005",
    "error",
    "the drain takes the whole grace",
    (drain: string, grace: string) => `'drain ${drain}' leaves no time to stop: the grace (${grace}) counts from the first signal and includes the drain`,
  ),
  drainExceedsGrace: define(
    "SUP6006",
    "error",
    "the drain plus the worst-case stop exceeds the grace",
    (drain: string, path: string, total: string, grace: string) => `the drain (${drain}) and the worst-case stop (${path}) take ${total}, more than the grace (${grace})`,
  ),
  unreadableManifest: define(
    "SUP6201",
    "error",
    "a deployment file that cannot be read as YAML or as a systemd unit",
    (why: string) => `cannot read this file: ${why}`,
  ),
  waitShorterThanShutdown: define(
    "SUP6202",
    "error",
    "the platform kills the app before its shutdown can end",
    (setting: string, value: string, needed: string, figures: string) => `${setting} is ${value}, but the app may need ${needed} to stop (${figures})`,
  ),
  stopSignalUnhandled: define(
    "SUP6203",
    "error",
    "the platform stops the app with a signal the spec does not handle",
    (setting: string, signal: string, handled: readonly string[]) => `${setting} sends ${signal}, but the app only shuts down on ${orList(handled)}: it would run until killed`,
  ),
  packageManagerEntrypoint: define(
    "SUP6204",
    "error",
    "the app is started through npm, npx, yarn or pnpm",
    (tool: string) => `the app is started through ${q(tool)}, which does not pass the stop signal on reliably: the services are killed without their ordered stop`,
  ),
  probeFailsDuringStart: define(
    "SUP6205",
    "error",
    "a probe gives up before the services may have started",
    (probe: string, allows: string, start: string) => `the ${probe} gives up after ${allows}, but starting every service may take ${start}: the platform would restart an app that is still starting`,
  ),
  readinessPassesDuringDrain: define(
    "SUP6206",
    "warning",
    "the readiness probe may still pass when the stop begins",
    (allows: string, drain: string) => `the readiness probe may take ${allows} to notice the app is not ready, longer than the drain (${drain}): traffic may still arrive when the services stop`,
  ),
  probeNotOnHealth: define(
    "SUP6207",
    "error",
    "a probe asks for an endpoint the app does not serve",
    (probe: string, target: string, expected: string) => `the ${probe} asks for ${target}, but the app answers it on ${expected}`,
  ),
  killModeSignalsEveryProgram: define(
    "SUP6208",
    "warning",
    "systemd signals every program of the app at once",
    (mode: string) => `KillMode=${mode} sends the stop signal to every program of the app at once, outside the spec's stop order`,
  ),
  nothingToCheck: define(
    "SUP6209",
    "warning",
    "a deployment file with nothing the check knows",
    (target: string | undefined) =>
      target !== undefined
        ? `nothing here is named ${q(target)} (--target): no workload, container or compose service of that name`
        : "nothing here runs an app: no Kubernetes workload, no compose service and no systemd [Service] section",
  ),
} as const;
