// The bounded edit distance agrees with the textbook one wherever it answers, and a search stays
// cheap however long or numerous the words are.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { boundedEditDistance, findClosest, MAX_WORD_LENGTH } from "../../compiler/diagnostics/did-you-mean.ts";

const test = suite("did-you-mean bounds");

/** Optimal string alignment distance, the full matrix: the reference. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

test("the banded distance is the reference distance, capped at limit + 1", () => {
  const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d"), maxLength: 12 });
  fc.assert(
    fc.property(word, word, fc.nat({ max: 14 }), (a, b, limit) => {
      const expected = Math.min(referenceDistance(a, b), limit + 1);
      assert.is(boundedEditDistance(a, b, limit), expected, `${JSON.stringify(a)} ${JSON.stringify(b)} limit ${limit}`);
    }),
    { numRuns: 3000, seed: 15 },
  );
});

test("findClosest picks a candidate at the smallest distance, first in order on a tie", () => {
  const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "A"), minLength: 1, maxLength: 9 });
  fc.assert(
    fc.property(word, fc.array(word, { maxLength: 8 }), (needle, candidates) => {
      const limit = Math.max(1, Math.floor(needle.length / 3));
      let expected: string | undefined;
      let bestDistance = Infinity;
      for (const c of candidates) {
        if (c === needle) continue;
        const distance = referenceDistance(needle.toLowerCase(), c.toLowerCase());
        if (distance <= limit && distance < bestDistance) [expected, bestDistance] = [c, distance];
      }
      assert.is(findClosest(needle, candidates), expected);
    }),
    { numRuns: 3000, seed: 15 },
  );
});

test("long words get no suggestion, and similar long names are not compared", () => {
  const long = "a".repeat(MAX_WORD_LENGTH + 1);
  assert.is(findClosest(long, [long + "b", "a".repeat(5000)]), undefined);
  assert.is(findClosest("a".repeat(20000), ["a".repeat(19999) + "b"]), undefined);
  assert.is(findClosest("servce", ["a".repeat(100000), "service"]), "service");
});

test.run();
