// Values of single settings: signals, strategy and restart names, durations. These look at one
// setting at a time, so they also run on a tree recovered from syntax errors.
import type { Block, Duration, Name, Setting } from "../language/ast.ts";
import { forEachBlock, type Accept, type Check } from "./context.ts";
import { findClosest } from "../diagnostics/did-you-mean.ts";
import { M } from "../diagnostics/catalogue.ts";

export const STRATEGIES = ["one_for_one", "one_for_all", "rest_for_one"] as const;
export const RESTART_POLICIES = ["permanent", "transient", "temporary"] as const;

/** Signals that may start a graceful shutdown (Node can install a handler for each, on Linux and macOS). */
export const SHUTDOWN_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"] as const;

const UNCATCHABLE = new Set(["SIGKILL", "SIGSTOP"]);
const UNSUITABLE: ReadonlyMap<string, string> = new Map([
  ...["SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGCONT"].map((s) => [s, "it is used for job control"] as const),
  ...["SIGWINCH", "SIGCHLD", "SIGURG", "SIGIO", "SIGPOLL", "SIGPIPE", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ", "SIGPWR", "SIGINFO", "SIGLOST", "SIGSYS", "SIGTRAP", "SIGSTKFLT", "SIGUNUSED"].map(
    (s) => [s, "it reports an event, it does not ask the process to stop"] as const,
  ),
  ...["SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGABRT"].map((s) => [s, "it reports a crash, after which Node.js cannot safely run a handler"] as const),
  ["SIGBREAK", "it exists only on Windows"],
]);

/** setTimeout fires at once for delays above 2^31-1 ms, so no finite duration may exceed it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function checkSignal(signal: Name, accept: Accept): void {
  const name = signal.text;
  if ((SHUTDOWN_SIGNALS as readonly string[]).includes(name)) {
    if (name === "SIGUSR1") accept(M.inspectorSignal, signal.span, []);
    return;
  }
  if (UNCATCHABLE.has(name)) {
    accept(M.uncatchableSignal, signal.span, [name], { hint: "use SIGTERM, which process managers send first" });
    return;
  }
  const reason = UNSUITABLE.get(name);
  if (reason !== undefined) {
    accept(M.unsuitableSignal, signal.span, [name, reason]);
    return;
  }
  const upper = name.toUpperCase();
  const prefixed = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  const suggestion = SHUTDOWN_SIGNALS.find((s) => s === prefixed) ?? findClosest(prefixed, SHUTDOWN_SIGNALS);
  accept(M.unknownSignal, signal.span, [name], {
    hint: suggestion !== undefined ? `did you mean '${suggestion}'?` : `signals that can start a shutdown: ${SHUTDOWN_SIGNALS.join(", ")}`,
  });
}

const checkSignals: Check = {
  name: "signals",
  local: true,
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind !== "signals") continue;
        const seen = new Map<string, Name>();
        for (const signal of s.signals) {
          const first = seen.get(signal.text);
          if (first !== undefined) {
            accept(M.duplicateSignal, signal.span, [signal.text], { related: [{ message: "first listed here", span: first.span }] });
            continue;
          }
          seen.set(signal.text, signal);
          checkSignal(signal, accept);
        }
      }
    });
  },
};

function suggest(word: string, options: readonly string[]): string | undefined {
  const closest = findClosest(word, options);
  return closest !== undefined ? `did you mean '${closest}'?` : undefined;
}

const checkEnumValues: Check = {
  name: "strategy and restart values",
  local: true,
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind === "strategy" && !(STRATEGIES as readonly string[]).includes(s.value.text)) {
          const hint = suggest(s.value.text, STRATEGIES);
          accept(M.unknownStrategy, s.value.span, [s.value.text], hint !== undefined ? { hint } : {});
        } else if (s.kind === "restart" && !(RESTART_POLICIES as readonly string[]).includes(s.value.text)) {
          const hint = suggest(s.value.text, RESTART_POLICIES);
          accept(M.unknownRestart, s.value.span, [s.value.text], hint !== undefined ? { hint } : {});
        }
      }
    });
  },
};

/** Checks one duration; `what` names it in messages ("'grace'", "the period of 'intensity'"). */
function checkDuration(value: Duration, what: string, infiniteAllowed: boolean, accept: Accept): void {
  if (Number.isNaN(value.ms)) return; // invalid literal, already reported
  if (value.ms === Infinity) {
    if (!infiniteAllowed) accept(M.infinityNotAllowed, value.span, [what]);
    return;
  }
  if (value.ms === 0 && !infiniteAllowed) accept(M.nonPositiveDuration, value.span, [what]);
  if (value.ms > MAX_TIMER_MS) accept(M.durationTooLong, value.span, [value.text], infiniteAllowed ? { hint: "use 'infinity' for no limit" } : {});
}

/** Both bounds finite and positive, the first no longer than the last. */
function checkBackoff(backoff: Extract<Setting, { kind: "backoff" }>, accept: Accept): void {
  checkDuration(backoff.min, "the first delay of 'backoff'", false, accept);
  checkDuration(backoff.max, "the longest delay of 'backoff'", false, accept);
  const { min, max } = backoff;
  if (Number.isFinite(min.ms) && Number.isFinite(max.ms) && min.ms > max.ms) {
    accept(M.backoffReversed, { start: min.span.start, end: max.span.end }, [min.text, max.text], { hint: `write 'backoff ${max.text}..${min.text}'` });
  }
}

const checkDurations: Check = {
  name: "durations",
  local: true,
  run(ctx, accept) {
    forEachBlock(ctx.app, (block: Block) => {
      for (const s of block.settings) {
        switch (s.kind) {
          case "grace":
            checkDuration(s.value, "'grace'", false, accept);
            break;
          case "start-timeout":
            checkDuration(s.value, "'start timeout'", false, accept);
            break;
          case "intensity":
            checkDuration(s.period, "the period of 'intensity'", false, accept);
            break;
          case "stop-timeout":
            checkDuration(s.value, "'stop timeout'", true, accept);
            if (s.value.ms === 0) accept(M.zeroStopTimeout, s.value.span, [block.name.text]);
            break;
          case "deploy":
            if (s.timeout !== undefined) checkDuration(s.timeout, "the timeout of 'deploy'", false, accept);
            break;
          case "backoff":
            checkBackoff(s, accept);
            break;
          default: {
            // The settings without a duration. A new kind of setting is a compile error here until
            // it is checked above or listed here.
            const withoutDuration: "signals" | "strategy" | "module" | "restart" | "needs" | "exec" | "stop-signal" | "ready-when" | "env" | "cwd" = s.kind;
            void withoutDuration;
          }
        }
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkSignals, checkEnumValues, checkDurations];
