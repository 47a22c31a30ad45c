// Signal names as the plan spells them, their numbers, and the exit code of a forced exit. Only
// catchable signals can start a shutdown: the uncatchable ones never reach a handler.
import { constants } from "node:os";
import type { Host } from "./host.ts";
import { UNCATCHABLE_SIGNALS } from "../api/plan.ts";

const UNCATCHABLE: ReadonlySet<string> = new Set(UNCATCHABLE_SIGNALS);

/** The signal's number on this platform, or undefined for a name Node does not know. */
export function findSignalNumber(signal: string): number | undefined {
  const table = constants.signals as Readonly<Record<string, number | undefined>>;
  return Object.hasOwn(table, signal) ? table[signal] : undefined;
}

/** 128 + n, the shell's convention for "terminated by signal n". */
export function computeSignalExitCode(signal: string): number {
  const number = findSignalNumber(signal);
  if (number === undefined) throw new Error(`unknown signal ${JSON.stringify(signal)}`);
  return 128 + number;
}

/** Why a signal name cannot be used, or undefined when it can. */
export function checkSignalName(signal: string): string | undefined {
  if (findSignalNumber(signal) === undefined) return `unknown signal ${JSON.stringify(signal)}`;
  if (UNCATCHABLE.has(signal)) return `${signal} cannot be caught, so it cannot start a shutdown`;
  return undefined;
}

/** Installs one handler for every signal; the returned function removes them all. */
export function installSignalHandlers(host: Host, signals: readonly string[], handler: (signal: string) => void): () => void {
  const removers = [...new Set(signals)].map((signal) => host.onSignal(signal, () => handler(signal)));
  return () => {
    for (const remove of removers.splice(0)) remove();
  };
}
