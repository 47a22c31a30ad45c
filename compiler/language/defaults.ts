// The values a spec gets when it does not say otherwise; docs/language.md cites the source of
// each. Durations are milliseconds.
import type { RestartPolicy, Strategy } from "../model/model.ts";

/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_MS = 30_000;
export const DEFAULT_SIGNALS: readonly string[] = ["SIGTERM", "SIGINT"];
/** OTP supervisor defaults: one_for_one, intensity 1 per period 5 s. */
export const DEFAULT_STRATEGY: Strategy = "one_for_one";
export const DEFAULT_INTENSITY = { max: 1, periodMs: 5_000 } as const;
/** uber-go/fx's default StartTimeout. */
export const DEFAULT_START_TIMEOUT_MS = 15_000;
/** OTP's default shutdown for a worker child (5000 ms). */
export const DEFAULT_SERVICE_STOP_TIMEOUT_MS = 5_000;
/** OTP's default shutdown for a supervisor child (infinity); bounded by its parent and the grace. */
export const DEFAULT_SUPERVISOR_STOP_TIMEOUT_MS = Infinity;
/** OTP's default restart type. */
export const DEFAULT_RESTART: RestartPolicy = "permanent";
/** systemd's default KillSignal: what a process service receives first when it must stop. */
export const DEFAULT_STOP_SIGNAL = "SIGTERM";
/** A process service runs in the spec's directory unless `cwd` says otherwise. */
export const DEFAULT_CWD = ".";
