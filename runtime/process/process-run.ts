// One run of a program, from spawn to the end of its process group: its exit status, its output
// lines, and its stop (the stop signal to the group, then SIGKILL just before the stop timeout
// runs out). runtime/process/process-service.ts starts it and turns its end into the service's task.
//
// The SIGKILL rule. The runtime abandons a service when its stop timeout runs out, and an
// abandoned program would keep running. So the program gets SIGKILL a little *before* the
// timeout. The reserve is a tenth of the stop timeout, kept between 100ms and 500ms (and never
// more than half of it): 300ms -> SIGKILL at 200ms, 2s -> 1.8s, 5s -> 4.5s, 20s -> 19.5s. Death
// by SIGKILL is immediate, and 100ms leaves room for the event loop to see the exit even when it
// is busy or a GC pauses it, so the service is reported stopped (with an error saying it had to
// be killed), not abandoned, and nothing it forked survives. A supervisor's stop timeout or the grace period may
// still run out first; the runtime then gives up on the service as on any other, while this
// timer still kills the group at its time, and the process's exit kills any group left.
import type { ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { formatDuration } from "../logs/log.ts";
import { readLines } from "./output-lines.ts";
import { isGroupAlive, sendToGroup, trackGroup, untrackGroup } from "./process-group.ts";
import type { ProcessStatus } from "../api/process-types.ts";
import type { Clock, Timer } from "../api/types.ts";
import { realClock } from "../host/clock.ts";

/** How long before the stop timeout runs out SIGKILL comes, at least and at most. */
export const KILL_RESERVE_MIN_MS = 100;
export const KILL_RESERVE_MAX_MS = 500;
/**
 * Waiting on the operating system (a turn for libuv to release the process, the group emptying,
 * output trailing) is on real time whatever the app's clock: a virtual clock in a test moves only
 * when the test moves it, and the process ends in real time. Only the kill deadline, a budget, is
 * on the app's clock.
 */
const osClock: Clock = realClock;
/** How often a stopping group is checked for processes that outlived the program. */
const GROUP_POLL_MS = 50;
/** How long output may trail the end of the group before the pipes are closed. */
const OUTPUT_DRAIN_MS = 200;

/** When SIGKILL follows the stop signal; undefined for an infinite stop timeout. */
export function computeKillDelay(stopTimeoutMs: number): number | undefined {
  if (stopTimeoutMs === Infinity) return undefined;
  const reserve = Math.min(stopTimeoutMs / 2, Math.max(KILL_RESERVE_MIN_MS, Math.min(stopTimeoutMs / 10, KILL_RESERVE_MAX_MS)));
  return Math.max(0, stopTimeoutMs - reserve);
}

export type ProcessEnd = { readonly ok: true } | { readonly ok: false; readonly error: Error };

export interface RunConfig {
  readonly stopSignal: string;
  readonly stopTimeoutMs: number;
  readonly clock: Clock;
  /** A line for the lifecycle log, attributed to the service. */
  readonly log: (message: string) => void;
  readonly onStdoutLine?: (line: string) => void;
}

export class ProcessRun {
  readonly pid: number;
  #exited = false;
  #exitCode: number | null = null;
  #signal: string | null = null;
  #stopping = false;
  /** The program had not exited when SIGKILL was sent at the deadline. */
  #killedProgram = false;
  /** The program had exited, but processes it left in its group had to be killed. */
  #killedLeftovers = false;
  #killTimer: Timer | undefined;
  #pollTimer: Timer | undefined;
  #drainTimer: Timer | undefined;
  /** The child's 'close': it exited, its output was read to the end, and its handles are closed. */
  #closed = false;
  #settling = false;
  #end: ProcessEnd | undefined;
  #onEnd: ((end: ProcessEnd) => void)[] = [];

  constructor(
    private readonly child: ChildProcess,
    private readonly config: RunConfig,
  ) {
    this.pid = child.pid!;
    trackGroup(this.pid);
    readLines(child.stdout!, (line) => (config.log(line), config.onStdoutLine?.(line)));
    readLines(child.stderr!, (line) => config.log(`[stderr] ${line}`));
    child.on("exit", (code, signal) => this.#onExit(code, signal));
    // Ending on 'close' rather than on 'exit' keeps the last lines before the "stopped" line. Then
    // one more turn of the event loop: libuv releases the process handle in its close phase, after
    // 'close' (and after immediates), and until then the runtime's list of what the services left
    // open would name it.
    child.on("close", () => {
      osClock.setTimeout(() => {
        this.#closed = true;
        this.#finishIfDrained();
      }, 0);
    });
    // After a successful spawn, errors only concern signalling it, which is done directly.
    child.on("error", (error) => config.log(`error: ${error.message}`));
  }

  status(): ProcessStatus {
    return { running: !this.#exited, exitCode: this.#exitCode, signal: this.#signal };
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** Calls `fn` once the program and its group have ended and its output is read (at once if so). */
  whenEnded(fn: (end: ProcessEnd) => void): void {
    if (this.#end !== undefined) fn(this.#end);
    else this.#onEnd.push(fn);
  }

  /** The app reloads: `signal` to the group, unless the program has exited or is stopping. */
  reload(signal: string): boolean {
    if (this.#exited || this.#stopping) return false;
    this.config.log(`${signal} to process group ${this.pid} (reload)`);
    this.#signalGroup(signal);
    return true;
  }

  /** The service is stopping: the stop signal to the group, and SIGKILL before the budget ends. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#exited) return;
    const { stopSignal, clock, log } = this.config;
    const killDelay = computeKillDelay(this.config.stopTimeoutMs);
    if (killDelay === 0) {
      this.#kill();
      return;
    }
    log(`${stopSignal} to process group ${this.pid}`);
    this.#signalGroup(stopSignal);
    if (killDelay !== undefined) this.#killTimer = clock.setTimeout(() => this.#onKillDeadline(killDelay), killDelay);
  }

  #onKillDeadline(killDelay: number): void {
    this.#killTimer = undefined;
    if (!isGroupAlive(this.pid)) return;
    const what = this.#exited ? "processes it left in its group are" : "it is";
    this.config.log(`${what} still running ${formatDuration(killDelay)} after ${this.config.stopSignal}: SIGKILL to process group ${this.pid}`);
    this.#kill();
    // SIGKILL cannot be refused: once the program's own exit is seen, nothing is left to wait for.
    if (this.#exited) this.#settle();
  }

  #kill(): void {
    if (this.#exited) this.#killedLeftovers = true;
    else this.#killedProgram = true;
    this.#signalGroup("SIGKILL");
  }

  /**
   * Runs inside abort listeners and timers, where a throw would surface as an uncaught error: a
   * group that cannot be signalled (EPERM: a member changed its user) is logged instead, and the
   * stop timeout then decides.
   */
  #signalGroup(signal: string): void {
    try {
      sendToGroup(this.pid, signal);
    } catch (error) {
      this.config.log(`cannot send ${signal} to process group ${this.pid}: ${(error as Error).message}`);
    }
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exited = true;
    this.#exitCode = code;
    this.#signal = signal;
    if (!this.#stopping) {
      // A failure is logged by the runtime as a crash; a normal end would otherwise go unseen.
      if (code === 0) this.config.log("exited with code 0");
      // Ended by itself: whatever it left running belongs to no one, as with systemd's
      // KillMode=control-group. A restart would otherwise start a second set beside it.
      if (isGroupAlive(this.pid)) {
        this.config.log(`SIGKILL to what it left in process group ${this.pid}`);
        this.#signalGroup("SIGKILL");
      }
      this.#settle();
      return;
    }
    // How it ended says whether it honoured the stop signal; the log keeps that for later.
    this.config.log(code !== null ? `exited with code ${code}` : `killed by ${signal}`);
    // Stopping: what it forked gets the rest of the budget to exit, then the kill timer's SIGKILL.
    this.#waitForEmptyGroup();
  }

  #waitForEmptyGroup(): void {
    this.#pollTimer = undefined;
    if (this.#killedProgram || this.#killedLeftovers || !isGroupAlive(this.pid)) this.#settle();
    else this.#pollTimer = osClock.setTimeout(() => this.#waitForEmptyGroup(), GROUP_POLL_MS);
  }

  /** The group is gone: stop the timers, then give the output a moment to be read to its end. */
  #settle(): void {
    if (this.#settling) return;
    this.#settling = true;
    untrackGroup(this.pid);
    const { clock } = this.config;
    if (this.#killTimer !== undefined) clock.clearTimeout(this.#killTimer);
    if (this.#pollTimer !== undefined) osClock.clearTimeout(this.#pollTimer);
    if (!this.#closed) {
      // A process that escaped the group (setsid) may hold the pipes open: do not wait for it.
      this.#drainTimer = osClock.setTimeout(() => {
        this.child.stdout?.destroy();
        this.child.stderr?.destroy();
      }, OUTPUT_DRAIN_MS);
    }
    this.#finishIfDrained();
  }

  #finishIfDrained(): void {
    if (!this.#settling || !this.#closed || this.#end !== undefined) return;
    if (this.#drainTimer !== undefined) osClock.clearTimeout(this.#drainTimer);
    this.#end = this.#describeEnd();
    for (const fn of this.#onEnd.splice(0)) fn(this.#end);
  }

  #describeEnd(): ProcessEnd {
    const code = this.#exitCode;
    const signal = this.#signal;
    const { stopSignal, stopTimeoutMs } = this.config;
    const how = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
    if (!this.#stopping) return code === 0 ? { ok: true } : { ok: false, error: new Error(`the program ${how}`) };
    const within = formatDuration(computeKillDelay(stopTimeoutMs) ?? 0);
    if (this.#killedProgram) {
      return { ok: false, error: new Error(`the program did not exit within ${within} of ${stopSignal}: killed with SIGKILL`) };
    }
    if (this.#killedLeftovers) {
      return { ok: false, error: new Error(`processes the program left in its group did not exit within ${within} of ${stopSignal}: killed with SIGKILL`) };
    }
    if (isCleanStop(code, signal, stopSignal)) return { ok: true };
    return { ok: false, error: new Error(`the program ${how} after ${stopSignal}`) };
  }
}

/**
 * A clean stop: exit code 0, death by the stop signal itself, or 128 + its number (how shells
 * and the JVM report that signal). Any other code after the stop signal is an error, as systemd
 * treats it.
 */
export function isCleanStop(code: number | null, signal: string | null, stopSignal: string): boolean {
  if (code === 0 || signal === stopSignal) return true;
  const number = (constants.signals as Readonly<Record<string, number | undefined>>)[stopSignal];
  return code !== null && number !== undefined && code === 128 + number;
}

