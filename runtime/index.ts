// The public surface generated code and services import as `supervise/runtime`. Everything else
// in this folder is internal; docs/runtime.md describes what is here.
export type * from "./types.ts";
export type * from "./plan.ts";
export type * from "./events.ts";
export type * from "./process-types.ts";
export type { Host } from "./host.ts";
export type { Bindings } from "./plan-index.ts";
export type { LifecycleLog } from "./log.ts";
export { runApp, runMain, type MainOptions, type RunOptions } from "./run-app.ts";
export { realHost } from "./host.ts";
export { bindProcess, type ProcessOptions } from "./process-service.ts";
export { realClock } from "./clock.ts";
export { formatDuration, describeReason, summarize } from "./log.ts";
