// The shape of a parsed spec without positions: two specs that differ only in layout (spacing,
// line breaks, comments) have equal shapes. Used to check that `supervise fmt` keeps meaning.
import type { Block } from "../../compiler/language/ast.ts";
import { parseSpec } from "../../compiler/syntax/parse-spec.ts";

const POSITION_KEYS = new Set(["span", "keywordSpan"]);

function stripPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripPositions);
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (!POSITION_KEYS.has(key)) result[key] = stripPositions(inner);
  return result;
}

/** The app block without spans; NaN durations compare equal through JSON as null. */
export function astShape(source: string): unknown {
  const app: Block | undefined = parseSpec(source, "shape.sup").spec.app;
  return JSON.parse(JSON.stringify(stripPositions(app)));
}

/** True when the spec parses without any error (a formatter input). */
export function parsesCleanly(source: string): boolean {
  return !parseSpec(source, "clean.sup").diagnostics.some((d) => d.severity === "error");
}
