// Restart backoff: how long a supervisor waits, once a crashed node and its restart set have
// stopped, before starting them again. OTP restarts at once and relies on the intensity alone;
// a service whose database is down then burns through its intensity in milliseconds and takes
// its supervisor with it. systemd (RestartSec, RestartSteps) and suture (FailureBackoff) slow a
// crash loop down instead; this does the same, exponentially.
//
// The delay before the k-th consecutive restart of a node is minMs·2^(k-1), capped at maxMs,
// with "equal jitter": half of that step is kept, the other half is random. Full jitter (a
// random delay between 0 and the step) spreads peers best but may restart at once, which is
// exactly what backoff is meant to prevent; equal jitter keeps at least half the step, and peers
// that crashed together (a shared database went away) still spread out. The result is kept
// within [minMs, maxMs], so the first delay is exactly minMs and the spec's bounds always hold.
import type { NodeRt } from "./node-state.ts";
import type { BackoffPlan } from "../api/plan.ts";

/** Milliseconds to wait before restart number `attempt` (1 for the first in a row). */
export function computeRestartDelay(backoff: BackoffPlan, attempt: number, random: () => number): number {
  const { minMs, maxMs } = backoff;
  // Past 2^52 the step is beyond any cap anyway; the exponent is bounded so it never overflows to NaN.
  const step = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 52));
  const r = Math.min(1, Math.max(0, random()));
  const jittered = step / 2 + (r * step) / 2;
  return Math.round(Math.min(maxMs, Math.max(minMs, jittered)));
}

/** The backoff that applies when `child` of `supervisor` restarts: its own, else its supervisor's. */
export function findBackoff(supervisor: NodeRt, child: NodeRt): BackoffPlan | undefined {
  return (child.isService ? child.service.backoff : undefined) ?? supervisor.supervisor.backoff;
}

/**
 * The number of this restart in a row for `child`, counting it. A node that stayed up for at
 * least the backoff's cap before it ended starts a new series: it ran longer than the longest
 * delay it would be given, so this end is a fresh failure, not the next turn of a crash loop.
 */
export function countConsecutiveRestart(child: NodeRt, backoff: BackoffPlan | undefined, endedAt: number): number {
  if (backoff !== undefined && child.upSince !== undefined && endedAt - child.upSince >= backoff.maxMs) child.consecutiveRestarts = 0;
  return ++child.consecutiveRestarts;
}

/** Why a backoff from a plan cannot be used, or undefined when it can. */
export function checkBackoff(backoff: unknown): string | undefined {
  if (backoff === undefined) return undefined;
  const b = backoff as Partial<BackoffPlan> | null;
  const isFiniteDuration = (ms: unknown): ms is number => typeof ms === "number" && Number.isFinite(ms) && ms >= 0;
  if (typeof b !== "object" || b === null || !isFiniteDuration(b.minMs) || !isFiniteDuration(b.maxMs)) {
    return "backoff must be { minMs, maxMs } with finite durations in ms";
  }
  if (b.minMs > b.maxMs) return `backoff minMs (${b.minMs}) must not exceed maxMs (${b.maxMs})`;
  return undefined;
}
