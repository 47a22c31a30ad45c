// Renders the emit model through the handlebars templates. Templates are compiled once, with
// `strict` (a missing field is an error, not an empty string), `noEscape` (HTML escaping is
// wrong for TypeScript: values arrive already escaped from compiler/language/identifiers.ts),
// `knownHelpersOnly` (templates can use #each and #if, nothing else) and `data: false` (no
// @index or @first: templates use none, and #each would build a data frame per iteration).
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
  { path: "services.test.ts", template: "services.test.ts.hbs" },
] as const;

/** The names of the files every compile writes, in order. */
export const GENERATED_FILES: readonly string[] = OUTPUTS.map((o) => o.path);

type Render = (model: EmitModel) => string;
let compiled: Map<string, Render> | undefined;

function loadTemplates(): Map<string, Render> {
  if (compiled) return compiled;
  // Resolved from this file: templates/ sits next to it in the sources (compiler/emit/), and
  // scripts/build.mjs copies it next to the bundled CLI (dist/).
  const dir = new URL("./templates/", import.meta.url);
  const handlebars = Handlebars.create();
  compiled = new Map();
  for (const { template } of OUTPUTS) {
    const source = normalizeTemplate(readFileSync(new URL(template, dir), "utf8"));
    compiled.set(template, handlebars.compile<EmitModel>(source, { strict: true, noEscape: true, knownHelpersOnly: true, data: false }));
  }
  return compiled;
}

export function renderFiles(model: EmitModel): GeneratedFile[] {
  const templates = loadTemplates();
  return OUTPUTS.map(({ path, template }) => ({ path, content: endWithOneNewline(templates.get(template)!(model)) }));
}

/**
 * LF only and no trailing blanks, applied to the template sources once. The values placed into
 * them cannot bring either back: every one comes from compiler/language/identifiers.ts, whose names are
 * identifiers, whose literals escape every line terminator, whose comments lose them, and whose
 * data literals break lines only after a bracket or comma. So the output (megabytes for a large
 * spec) is never scanned as a whole.
 */
export function normalizeTemplate(source: string): string {
  return source.replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "");
}

/** Exactly one trailing newline: the same spec gives the same bytes. Looks only at the end. */
function endWithOneNewline(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length - 1 ? text : text.slice(0, end) + "\n";
}
