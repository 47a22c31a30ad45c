// SUP3xxx ordering and timing. Part of the one catalogue (./catalogue.ts), which says how codes are assigned.
import { define } from "./message.ts";
import { q } from "./quote.ts";

export const TIMING_MESSAGES = {
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
} as const;
