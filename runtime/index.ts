// The public surface generated code and services import as `supervise/runtime`. Everything else
// in this folder is internal; docs/runtime.md describes what is here.
export type * from "./api/types.ts";
export type * from "./api/plan.ts";
export type * from "./api/events.ts";
export type * from "./api/process-types.ts";
export type { Host } from "./host/host.ts";
export type { Bindings, Reloads } from "./engine/plan-index.ts";
export type { LifecycleLog } from "./logs/log.ts";
export { runApp, runMain, type MainOptions, type RunOptions } from "./main/run-app.ts";
export { realHost } from "./host/host.ts";
export type { WatchdogSettings } from "./host/watchdog.ts";
export { bindProcess, type ProcessOptions } from "./process/process-service.ts";
export { locateSpecDir, type SpecDirHints } from "./process/spec-dir.ts";
export { realClock } from "./host/clock.ts";
export { formatDuration, describeReason, summarize } from "./logs/log.ts";
