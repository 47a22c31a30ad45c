// Properties of `supervise fmt` on random specs (test/tools/spec-arbitrary.ts): the output is a
// fixed point, and it parses to the same tree as the input. Seeded, so a failure reproduces.
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatSpec } from "../../compiler/tools/format-spec.ts";
import { astShape, parsesCleanly } from "./ast-shape.ts";
import { specText } from "./spec-arbitrary.ts";

const properties = suite("fmt properties");
const RUNS = { numRuns: 150, seed: 20240611 };

properties("the generator produces specs that parse cleanly", () => {
  fc.assert(fc.property(specText, (text) => parsesCleanly(text)), RUNS);
});

properties("fmt is idempotent", () => {
  fc.assert(
    fc.property(specText, (text) => {
      const once = formatSpec(text, "p.sup").formatted!;
      return formatSpec(once, "p.sup").formatted === once;
    }),
    RUNS,
  );
});

properties("a spec printed by fmt parses to the same tree, modulo spans", () => {
  fc.assert(
    fc.property(specText, (text) => {
      const formatted = formatSpec(text, "p.sup").formatted!;
      assert.equal(astShape(formatted), astShape(text));
    }),
    RUNS,
  );
});

properties("fmt keeps every comment", () => {
  const comments = (text: string): string[] => [...text.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\r\n]*/g)].map((m) => m[0].replace(/\r\n?/g, "\n").trimEnd());
  fc.assert(
    fc.property(specText, (text) => {
      assert.equal(comments(formatSpec(text, "p.sup").formatted!), comments(text));
    }),
    RUNS,
  );
});

properties.run();
