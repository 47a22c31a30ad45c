// The one catalogue of diagnostics: each code's message, with a code never reused for another
// meaning (retire it instead). Hints are in ./hints.ts (H) and related-note texts in ./notes.ts (N).
// Tests assert codes, not wording; docs/diagnostics.md documents every code (a test checks).
// Each range has its own file, so a phase adds its messages without touching the others:
//
//   SUP1xxx  syntax: characters, tokens, literals, block structure     ./messages-syntax.ts
//   SUP2xxx  names, references and settings                            ./messages-names.ts
//   SUP3xxx  ordering and timing                                       ./messages-timing.ts
//   SUP4xxx  files                                                     ./messages-files.ts
//   SUP5xxx  service code (the audit of the user's modules)            ./messages-audit.ts
//   SUP6xxx  platforms: health, drain, deployment files and their drift ./messages-platform.ts
//   SUP9xxx  the compiler itself (a bug, never the user's mistake)     ./messages-compiler.ts
import type { MessageDef } from "./message.ts";
import { SYNTAX_MESSAGES } from "./messages-syntax.ts";
import { NAME_MESSAGES } from "./messages-names.ts";
import { TIMING_MESSAGES } from "./messages-timing.ts";
import { FILE_MESSAGES } from "./messages-files.ts";
import { AUDIT_MESSAGES } from "./messages-audit.ts";
import { PLATFORM_MESSAGES } from "./messages-platform.ts";
import { COMPILER_MESSAGES } from "./messages-compiler.ts";

// The machinery lives in ./message.ts and the quoting in ./quote.ts; callers import both from here, beside M.
export { createDiagnostic, type Args, type DiagnosticExtras, type MessageDef } from "./message.ts";
export { q, orList } from "./quote.ts";

export const M = {
  ...SYNTAX_MESSAGES,
  ...NAME_MESSAGES,
  ...TIMING_MESSAGES,
  ...FILE_MESSAGES,
  ...AUDIT_MESSAGES,
  ...PLATFORM_MESSAGES,
  ...COMPILER_MESSAGES,
} as const;

/** Every code, sorted; docs and tests enumerate this. */
export const CATALOGUE: readonly MessageDef<readonly never[]>[] = (Object.values(M) as MessageDef<readonly never[]>[])
  .slice()
  .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
