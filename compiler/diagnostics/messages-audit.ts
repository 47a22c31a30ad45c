// SUP5xxx service code: what `supervise audit` finds in the modules a spec names. Part of the one
// catalogue (./catalogue.ts), which says how codes are assigned. Each entry is one rule of the
// audit (compiler/audit/), named in the title after the failure it prevents; errors are code
// that makes a stop hang or the process freeze, warnings are what outlives a stop.
import { define } from "./message.ts";
import { q } from "./quote.ts";

/** Where the code runs, as a message says it: a task by its name, or the start function. */
function where(task: string | undefined): string {
  return task === undefined ? "start" : `task ${q(task)}`;
}

/** What a service opened, as the audit names it; the words are below. */
export type AuditResource = "interval" | "timer" | "server" | "socket" | "session" | "child-process" | "file-watcher" | "worker" | "listener";

const RESOURCE_WORDS: Readonly<Record<Exclude<AuditResource, "listener">, string>> = {
  interval: "an interval",
  timer: "a timer",
  server: "a server",
  socket: "a socket",
  session: "a session",
  "child-process": "a child process",
  "file-watcher": "a file watcher",
  worker: "a worker thread",
};

/** What a loop awaits that no signal cuts short. */
export type AuditTimer = "timers-promises" | "scheduler-wait" | "promise-timeout";

const TIMER_WORDS: Readonly<Record<AuditTimer, string>> = {
  "timers-promises": "'setTimeout' of node:timers/promises",
  "scheduler-wait": "'scheduler.wait'",
  "promise-timeout": "a promise around 'setTimeout'",
};

export const AUDIT_MESSAGES = {
  unstoppableLoop: define(
    "SUP5001",
    "error",
    "unstoppable loop: a task's loop neither reads its signal nor passes it on",
    (task: string) => `${where(task)}: this loop neither reads its signal nor passes it to what it awaits, so a stop waits for it until the stop timeout`,
  ),
  uncancellableWait: define(
    "SUP5002",
    "warning",
    "uncancellable wait: a task's loop awaits a timer that a stop cannot cut short",
    (task: string, timer: AuditTimer, through: string | undefined) =>
      `${where(task)}: this loop awaits ${through !== undefined ? `${q(through)}, which waits on ` : ""}${TIMER_WORDS[timer]} without the signal, so a stop waits it out`,
  ),
  swallowedAbort: define(
    "SUP5003",
    "error",
    "swallowed abort: a catch in a loop swallows the abort and the loop goes on",
    (task: string | undefined) =>
      `${where(task)}: this catch swallows the abort and the loop goes on: once stopped, it spins and the service never ends`,
  ),
  leakedResource: define(
    "SUP5004",
    "warning",
    "leaked resource: a timer, server, socket, child process or listener that outlives the service",
    (resource: AuditResource, emitter: string | undefined, task: string | undefined) =>
      `${resource === "listener" ? `a listener on ${q(emitter ?? "?")}` : RESOURCE_WORDS[resource]} created in ${where(task)} is neither released by a finalizer nor owned by the scope: it outlives the service`,
  ),
  floatingWork: define(
    "SUP5005",
    "warning",
    "floating work: a promise dropped where a task was meant",
    (callee: string, task: string | undefined) => `${where(task)}: the promise of ${q(callee)} is dropped: its work belongs to no task, so a stop neither waits for it nor sees it fail`,
  ),
  orphanController: define(
    "SUP5006",
    "warning",
    "orphan controller: an AbortController never linked to the scope's signal",
    (name: string) => `AbortController ${q(name)} is never linked to the scope's signal: what it controls goes on when the service stops`,
  ),
  lateFinalizer: define(
    "SUP5007",
    "warning",
    "late finalizer: a finalizer registered after an await that follows the resource it releases",
    (name: string, awaitLine: number) =>
      `the finalizer releasing ${q(name)} is registered after the await on line ${awaitLine}: a start that fails or is cancelled there leaves it open`,
  ),
  frozenLoop: define(
    "SUP5008",
    "error",
    "frozen loop: a synchronous loop waiting for state that only a callback could change",
    (place: "start" | "finalizer") =>
      `this synchronous loop in ${place === "start" ? "start" : "a finalizer"} waits for something that only a callback could change, and no callback runs while it spins: the process freezes and ignores its signals`,
  ),
  moduleUnreadable: define(
    "SUP5009",
    "error",
    "a service module the audit cannot parse",
    (problem: string) => `the audit cannot parse this module: ${problem}`,
  ),
} as const;
