// What an editor sends while someone types is mostly broken text: every prefix and many random
// edits of the example, asked at many positions, must get an answer from the language server's
// functions, never an exception (an exception would turn into an error popup in the editor).
import { join } from "node:path";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { findTarget, indexSpec, occurrences, nodeOf } from "../../compiler/lsp/spec-index.ts";
import { hoverText } from "../../compiler/lsp/hover.ts";
import { complete } from "../../compiler/lsp/completion.ts";
import { quickFixOf } from "../../compiler/lsp/quick-fixes.ts";
import { REPO_ROOT } from "../golden/specs.ts";

const SPEC_PATH = join(REPO_ROOT, "examples", "shop", "shop.sup");
const EXAMPLE = readFileSync(SPEC_PATH, "utf8");

/** Every answer the server gives about `text`, at every `step`-th offset. */
function askEverything(text: string, step: number): void {
  const index = indexSpec(text, SPEC_PATH, "shop.sup");
  for (const d of index.diagnostics) quickFixOf(d, text);
  for (let offset = 0; offset <= text.length; offset += step) {
    const target = findTarget(index, offset);
    if (target !== undefined) hoverText(index, target);
    const node = nodeOf(target);
    if (node !== undefined) occurrences(index, node);
    complete(index, text, offset);
  }
}

const test = suite("lsp answers on broken text");

test("every prefix of the example (as if typed from the top)", () => {
  for (let end = 0; end <= EXAMPLE.length; end += 13) {
    const text = EXAMPLE.slice(0, end);
    try {
      askEverything(text, 7);
    } catch (error) {
      assert.unreachable(`prefix of ${end} characters threw: ${String(error)}`);
    }
  }
});

test("random deletions and insertions of the language's words and punctuation", () => {
  const pieces = ["{", "}", ",", ".", "->", "..", '"', "needs ", "service ", "signal ", "start ", "30 seconds", "x.y", "2fa", "\n", "//", "/*"];
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.nat(EXAMPLE.length), cut: fc.nat(12), insert: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 4 }),
      (edits) => {
        let text = EXAMPLE;
        for (const e of edits) {
          const at = Math.min(e.at, text.length);
          text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.cut));
        }
        askEverything(text, 11);
      },
    ),
    { numRuns: 80, seed: 14 },
  );
});

test.run();
