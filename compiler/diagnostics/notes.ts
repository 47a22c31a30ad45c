// Every related-note text: the "note:" lines under a diagnostic that point at other places in
// the spec. Call sites pass the names and figures, and the span the note points at; the wording
// lives here, with the hints (compiler/diagnostics/hints.ts). A test keeps every entry in use.
import { q } from "./catalogue.ts";

export const N = {
  // ---- where something is declared or first written ----
  declaredHere: (id: string) => `${q(id)} is declared here`,
  /** `service 'db' is declared here`, `supervisor 'workers' is declared here`. */
  kindDeclaredHere: (kind: string, id: string) => `${kind} ${q(id)} is declared here`,
  appDeclaredHere: (name: string) => `app ${q(name)} is declared here`,
  appIsNamed: (name: string) => `the app is named ${q(name)}`,
  firstDeclaredHere: (name: string) => `the first ${q(name)} is declared here`,
  firstIsHere: () => "the first is here",
  supervisorNeedsIt: (supervisor: string) => `supervisor ${q(supervisor)} needs it here`,
  /** A setting or line written twice: `the first 'stop timeout' is here`. */
  firstSettingHere: (words: string) => `the first ${q(words)} is here`,
  settingIsHere: (words: string) => `${q(words)} is here`,
  firstListedHere: () => "first listed here",
  listedInSignals: () => "a shutdown signal: listed in 'signals' here",
  firstSetHere: () => "first set here",
  braceIndentedLikeOuterBlock: () => "this '}' is indented like an outer block",

  // ---- needs and shutdown order ----
  needsHere: (owner: string, target: string) => `${q(owner)} needs ${q(target)} here`,
  startsAfterHere: (owner: string, target: string) => `${q(owner)} starts after ${q(target)} here`,
  needsInsideHere: (dependent: string, supervisor: string) => `${q(dependent)} needs something inside ${q(supervisor)} here`,
  stopsInLaterPhase: (name: string) => `${q(name)} stops here, in a later phase`,

  // ---- timing, restarts and deploy ----
  graceSetHere: () => "the grace is set here",
  platformChosenHere: () => "the platform is chosen here",
  givenToStopChildren: (supervisor: string, figure: string) => `${q(supervisor)} is given ${figure} to stop its children`,
  mayTakeToStop: (node: string, figure: string) => `${q(node)} may take ${figure} to stop`,
  mayTakeToStopByDefault: (node: string, figure: string) => `${q(node)} may take ${figure} to stop (the default stop timeout)`,
  /** `app 'shop' allows 3 restarts per 1m`; `supervisor` is already described (`app 'shop'`). */
  allowsRestarts: (supervisor: string, max: number, period: string, isDefault: boolean) =>
    `${supervisor} allows ${max} restart${max === 1 ? "" : "s"} per ${period}${isDefault ? " (the default)" : ""}`,
} as const;
