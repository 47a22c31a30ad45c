// The values a spec gets when it does not say otherwise, read off the vocabulary
// (vocabulary.ts), which also says where each comes from. Durations are milliseconds.
import { findDefault, SETTINGS } from "./vocabulary.ts";

export const DEFAULT_GRACE_MS = findDefault(SETTINGS.grace, "app");
export const DEFAULT_SIGNALS = findDefault(SETTINGS.signals, "app");
export const DEFAULT_STRATEGY = findDefault(SETTINGS.strategy, "supervisor");
export const DEFAULT_INTENSITY = findDefault(SETTINGS.intensity, "supervisor");
export const DEFAULT_START_TIMEOUT_MS = findDefault(SETTINGS["start-timeout"], "service");
export const DEFAULT_SERVICE_STOP_TIMEOUT_MS = findDefault(SETTINGS["stop-timeout"], "service");
export const DEFAULT_SUPERVISOR_STOP_TIMEOUT_MS = findDefault(SETTINGS["stop-timeout"], "supervisor");
export const DEFAULT_RESTART = findDefault(SETTINGS.restart, "service");
export const DEFAULT_STOP_SIGNAL = findDefault(SETTINGS["stop-signal"], "service");
export const DEFAULT_CWD = findDefault(SETTINGS.cwd, "service");
export const DEFAULT_REPLICAS = findDefault(SETTINGS.replicas, "service");
export const DEFAULT_DRAIN_MS = findDefault(SETTINGS.drain, "app");
