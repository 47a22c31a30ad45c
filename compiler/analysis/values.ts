// Values of single settings: signals, strategy and restart names, durations. These look at one
// setting at a time, so they also run on a tree recovered from syntax errors.
import type { Block, Duration, Name, Setting } from "../language/ast.ts";
import { forEachBlock, type Accept, type Check } from "./context.ts";
import { didYouMean, findClosest } from "../diagnostics/did-you-mean.ts";
import { M, q } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import { RESTART_POLICIES, SETTINGS, settingWords, SHUTDOWN_SIGNALS, STRATEGIES, UNCATCHABLE_SIGNALS } from "../language/vocabulary.ts";

const UNCATCHABLE: ReadonlySet<string> = new Set(UNCATCHABLE_SIGNALS);
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

export function checkSignal(signal: Name, accept: Accept): void {
  const name = signal.text;
  if ((SHUTDOWN_SIGNALS as readonly string[]).includes(name)) {
    if (name === "SIGUSR1") accept(M.inspectorSignal, signal.span, []);
    return;
  }
  if (UNCATCHABLE.has(name)) {
    accept(M.uncatchableSignal, signal.span, [name], { hint: H.useSigterm() });
    return;
  }
  const reason = UNSUITABLE.get(name);
  if (reason !== undefined) {
    accept(M.unsuitableSignal, signal.span, [name, reason]);
    return;
  }
  const suggestion = suggestSignal(name, SHUTDOWN_SIGNALS, SHUTDOWN_SIGNALS);
  accept(M.unknownSignal, signal.span, [name], {
    hint: suggestion !== undefined ? H.didYouMean(suggestion) : H.listShutdownSignals(SHUTDOWN_SIGNALS),
  });
}

/**
 * The signal meant by an unknown name: `term` and `sigterm` are SIGTERM when `known` has it;
 * otherwise the closest of `closestAmong`, if any is close.
 */
export function suggestSignal(name: string, known: readonly string[], closestAmong: readonly string[]): string | undefined {
  const upper = name.toUpperCase();
  const prefixed = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  return known.find((s) => s === prefixed) ?? findClosest(prefixed, closestAmong);
}

const checkSignals: Check = {
  name: "signals",
  tier: "local",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind !== "signals") continue;
        const seen = new Map<string, Name>();
        for (const signal of s.signals) {
          const first = seen.get(signal.text);
          if (first !== undefined) {
            accept(M.duplicateSignal, signal.span, [signal.text], { related: [{ message: N.firstListedHere(), span: first.span }] });
            continue;
          }
          seen.set(signal.text, signal);
          checkSignal(signal, accept);
        }
      }
    });
  },
};

/** The settings whose value is one name from a fixed list: that list, and the message for another name. */
const NAMED_VALUES = {
  strategy: { names: STRATEGIES, message: M.unknownStrategy },
  restart: { names: RESTART_POLICIES, message: M.unknownRestart },
} as const;

const checkEnumValues: Check = {
  name: "strategy and restart values",
  tier: "local",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block) => {
      for (const s of block.settings) {
        if (s.kind !== "strategy" && s.kind !== "restart") continue;
        const { names, message } = NAMED_VALUES[s.kind];
        if ((names as readonly string[]).includes(s.value.text)) continue;
        const hint = didYouMean(s.value.text, names);
        accept(message, s.value.span, [s.value.text, names], hint !== undefined ? { hint } : {});
      }
    });
  },
};

type DurationSetting = Extract<Setting, { value: Duration }>;

/** The settings whose value is one duration, by the vocabulary. */
function isDurationSetting(s: Setting): s is DurationSetting {
  return SETTINGS[s.kind].value === "duration";
}

/** Checks one duration; `what` names it in messages ("'grace'", "the period of 'intensity'"). */
function checkDuration(value: Duration, what: string, infiniteAllowed: boolean, accept: Accept): void {
  if (Number.isNaN(value.ms)) return; // invalid literal, already reported
  if (value.ms === Infinity) {
    if (!infiniteAllowed) accept(M.infinityNotAllowed, value.span, [what]);
    return;
  }
  if (value.ms === 0 && !infiniteAllowed) accept(M.nonPositiveDuration, value.span, [what]);
  if (value.ms > MAX_TIMER_MS) accept(M.durationTooLong, value.span, [value.text], infiniteAllowed ? { hint: H.useInfinity() } : {});
}

/** Both bounds finite and positive, the first no longer than the last. */
function checkBackoff(backoff: Extract<Setting, { kind: "backoff" }>, accept: Accept): void {
  checkDuration(backoff.min, "the first delay of 'backoff'", false, accept);
  checkDuration(backoff.max, "the longest delay of 'backoff'", false, accept);
  const { min, max } = backoff;
  if (Number.isFinite(min.ms) && Number.isFinite(max.ms) && min.ms > max.ms) {
    accept(M.backoffReversed, { start: min.span.start, end: max.span.end }, [min.text, max.text], { hint: H.swapBackoff(min.text, max.text) });
  }
}

const checkDurations: Check = {
  name: "durations",
  tier: "local",
  run(ctx, accept) {
    forEachBlock(ctx.app, (block: Block) => {
      for (const s of block.settings) {
        if (isDurationSetting(s)) {
          checkDuration(s.value, q(settingWords(s.kind)), SETTINGS[s.kind].infinite === true, accept);
          if (s.kind === "stop-timeout" && s.value.ms === 0) accept(M.zeroStopTimeout, s.value.span, [block.name.text]);
          continue;
        }
        switch (s.kind) {
          case "intensity":
            checkDuration(s.period, "the period of 'intensity'", false, accept);
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
            const withoutDuration: "signals" | "strategy" | "module" | "restart" | "needs" | "exec" | "stop-signal" | "ready-when" | "env" | "cwd" | "after" | "replicas" | "reload" | "reload-signal" | "health-port" | "health-host" = s.kind;
            void withoutDuration;
          }
        }
      }
    });
  },
};

export const CHECKS: readonly Check[] = [checkSignals, checkEnumValues, checkDurations];
