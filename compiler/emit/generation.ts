// The generation id that ties a generated set together. Files are replaced one by one, so a
// crash between two renames, or a file copied from another compile, can leave a mix; every file
// carries the id of its set in its header, plan.ts carries it in the plan and main.ts hands it to
// the runtime, which refuses a plan from another set. The id is a hash of the set's contents, so
// the same spec still gives the same bytes: no timestamp, no path, no randomness.
import { createHash } from "node:crypto";
import { GENERATION_PLACEHOLDER } from "./emit-model.ts";
import type { GeneratedFile } from "./render.ts";
import { toStringLiteral } from "../language/identifiers.ts";

/** Hex digits of the id: 64 bits tell two compiles apart; the header stays short. */
const ID_LENGTH = 16;

/** Where the plan literal starts in plan.ts: its first key is the generation. */
const PLAN_START = "\nexport const plan: AppPlan = ";

/** Replaces the placeholder of every file of a rendered set with the set's id. */
export function stampGeneration(files: readonly GeneratedFile[]): GeneratedFile[] {
  const id = hashFiles(files);
  return files.map((file) => ({ path: file.path, content: stampFile(file, id) }));
}

function hashFiles(files: readonly GeneratedFile[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file.path).update("\0").update(file.content).update("\0");
  return hash.digest("hex").slice(0, ID_LENGTH);
}

/**
 * Templates place the placeholder as is (headers, main.ts); no other value can hold it (see
 * GENERATION_PLACEHOLDER). In plan.ts it went through the data literal, escaped, as the plan's
 * first key: that occurrence is found by position, since a user's string could spell it.
 */
function stampFile(file: GeneratedFile, id: string): string {
  let content = file.content.replaceAll(GENERATION_PLACEHOLDER, id);
  if (file.path !== "plan.ts") return content;
  const escaped = toStringLiteral(GENERATION_PLACEHOLDER);
  const at = content.indexOf(escaped, content.indexOf(PLAN_START));
  if (at < 0) throw new Error("internal: plan.ts has no generation");
  content = content.slice(0, at) + toStringLiteral(id) + content.slice(at + escaped.length);
  return content;
}

const GENERATION_LINE = /^\/\/ Generation ([0-9a-f]+):/m;

/** The generation id in a generated file's header, or undefined when it has none. */
export function readGeneration(content: string): string | undefined {
  return GENERATION_LINE.exec(content.slice(0, 400))?.[1];
}
