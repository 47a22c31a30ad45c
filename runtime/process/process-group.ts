// Process groups of the programs that process services run. Each program is spawned detached, so
// it leads a group of its own: a signal sent to the group (a negative pid) reaches the program
// and everything it forked, and a terminal's Ctrl-C reaches only the supervisor, which then stops
// the programs in the spec's order instead of all at once.
//
// Groups still alive when the supervisor's process exits (a second signal forced the exit, or
// the grace period ran out and the runtime gave up on a program) get SIGKILL from an `exit`
// handler: a detached group would otherwise outlive the supervisor that was responsible for it.
// Nothing can do this when the supervisor itself is killed with SIGKILL; platforms that kill a
// whole container or cgroup (Kubernetes, Docker, systemd) cover that case.

import { readdirSync, readFileSync } from "node:fs";

const live = new Set<number>();
let exitHandlerInstalled = false;

/** SIGKILL to every group still tracked; runs inside process 'exit', so synchronously. */
function killLiveGroups(): void {
  for (const pgid of live) sendToGroup(pgid, "SIGKILL");
  live.clear();
}

/** Remembers a group so that it is killed if the supervisor exits before it has ended. */
export function trackGroup(pgid: number): void {
  live.add(pgid);
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    process.on("exit", killLiveGroups);
  }
}

/** The group has ended (or was killed): forget it; the exit handler goes when none is left. */
export function untrackGroup(pgid: number): void {
  live.delete(pgid);
  if (live.size === 0 && exitHandlerInstalled) {
    exitHandlerInstalled = false;
    process.off("exit", killLiveGroups);
  }
}

/** How many groups are tracked (for tests: every run must leave none behind). */
export function countLiveGroups(): number {
  return live.size;
}

/**
 * Sends `signal` to the whole group. Returns false when the group no longer exists (ESRCH): the
 * program and everything it left behind are gone. Other failures (EPERM) are thrown.
 */
export function sendToGroup(pgid: number, signal: string): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/**
 * True while any process of the group is alive. Signal 0 checks without sending anything, but it
 * also finds zombies: processes that have exited and wait for a parent to collect their status.
 * When their parent (the program) is gone, they are collected by PID 1, unless PID 1 does not
 * do that (a container started without an init, or this supervisor itself running as PID 1), and
 * then they stay forever. So on Linux a group of nothing but zombies counts as ended.
 */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM: a member exists but is not ours to signal (it changed its user); it is alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return process.platform !== "linux" || hasLiveMember(pgid);
}

/** Reads /proc: some process of the group is not a zombie (or /proc cannot tell). */
function hasLiveMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^[0-9]+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // it exited meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}
