// The scope every corpus service receives (the generated types are not committed for the corpus).
export type { ServiceScope as Scope } from "../../runtime/index.ts";
