// Renders the emit model through the handlebars templates. Templates are compiled once, with
// `strict` (a missing field is an error, not an empty string), `noEscape` (HTML escaping is
// wrong for TypeScript: values arrive already escaped from compiler/identifiers.ts) and
// `knownHelpersOnly` (templates can use #each and #if, nothing else).
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import type { EmitModel } from "./emit-model.ts";

export interface GeneratedFile {
  /** Path relative to the output directory, POSIX separators. */
  readonly path: string;
  readonly content: string;
}

/** The files every compile writes, in this order. */
const OUTPUTS = [
  { path: "plan.ts", template: "plan.ts.hbs" },
  { path: "types.ts", template: "types.ts.hbs" },
  { path: "main.ts", template: "main.ts.hbs" },
  { path: "shutdown.test.ts", template: "shutdown.test.ts.hbs" },
] as const;

type Render = (model: EmitModel) => string;
let compiled: Map<string, Render> | undefined;

function loadTemplates(): Map<string, Render> {
  if (compiled) return compiled;
  // Resolved from this file: compiler/ in the sources, dist/ in the bundled CLI; both sit one
  // level below the package root, next to templates/.
  const dir = new URL("../templates/", import.meta.url);
  const handlebars = Handlebars.create();
  compiled = new Map();
  for (const { template } of OUTPUTS) {
    const source = readFileSync(new URL(template, dir), "utf8");
    compiled.set(template, handlebars.compile<EmitModel>(source, { strict: true, noEscape: true, knownHelpersOnly: true }));
  }
  return compiled;
}

export function renderFiles(model: EmitModel): GeneratedFile[] {
  const templates = loadTemplates();
  return OUTPUTS.map(({ path, template }) => ({ path, content: normalizeOutput(templates.get(template)!(model)) }));
}

/** LF only, no trailing spaces, exactly one trailing newline: the same spec gives the same bytes. */
function normalizeOutput(text: string): string {
  // The templates already write LF lines without trailing blanks: scan for what would need a
  // change (plain substring searches) and run a regex only when something does.
  let normal = text;
  if (normal.includes("\r")) normal = normal.replace(/\r\n?/g, "\n");
  if (hasTrailingBlank(normal)) normal = normal.replace(/[ \t]+$/gm, "");
  let end = normal.length;
  while (end > 0 && normal.charCodeAt(end - 1) === 10) end--;
  return end === normal.length - 1 ? normal : normal.slice(0, end) + "\n";
}

/** A space or tab before a line end (as `$` in a multiline regex sees one: LF, CR, U+2028, U+2029) or at the very end. */
function hasTrailingBlank(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  if (last === 32 || last === 9) return true;
  for (const blank of [" ", "\t"]) for (const end of ["\n", "\r", "\u2028", "\u2029"]) if (text.includes(blank + end)) return true;
  return false;
}
