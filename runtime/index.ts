export type * from "./types.ts";
export type * from "./plan.ts";
