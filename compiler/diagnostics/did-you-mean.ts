// "did you mean" suggestions: the closest candidate by Damerau-Levenshtein distance (optimal
// string alignment: insert, delete, substitute, swap two neighbours), compared case-insensitively
// so that `sigterm` finds `SIGTERM`. Ties keep the candidates' order (declaration order).
//
// Every answer is bounded, whatever the input: words longer than MAX_WORD_LENGTH get no
// suggestion (nobody misspells a 5,000-character name by one letter), and the distance is computed
// only inside the band of width `limit` around the diagonal, stopping as soon as a whole row
// exceeds the limit (Ukkonen's cut-off). One search then costs O(candidates × length × limit),
// with length and limit both capped, instead of O(candidates × length²) with no cap.
import { H } from "./hints.ts";

/** Longer words (and candidates) are never compared. */
export const MAX_WORD_LENGTH = 64;

// Three reusable rows (the swap looks two rows back); sized for the longest word compared.
let rowA = new Uint16Array(MAX_WORD_LENGTH + 2);
let rowB = new Uint16Array(MAX_WORD_LENGTH + 2);
let rowC = new Uint16Array(MAX_WORD_LENGTH + 2);

/**
 * The distance between `a` and `b` when it is at most `limit`, else `limit + 1`. Strings longer
 * than MAX_WORD_LENGTH are compared only for equality.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  if (a.length > MAX_WORD_LENGTH || b.length > MAX_WORD_LENGTH) return over;
  const cols = b.length + 1;
  if (rowA.length < cols) [rowA, rowB, rowC] = [new Uint16Array(cols), new Uint16Array(cols), new Uint16Array(cols)];
  let twoBack = rowA;
  let previous = rowB;
  let current = rowC;
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    // Cells outside the band count as "over the limit".
    current[0] = i;
    if (from > 1) current[from - 1] = over;
    let rowMin = from === 1 ? i : over;
    const ai = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      const up = j <= i - 1 + limit ? previous[j]! : over;
      let best = Math.min(up + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) best = Math.min(best, twoBack[j - 2]! + 1);
      if (best > over) best = over;
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (to < b.length) current[to + 1] = over;
    if (rowMin > limit) return over;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return Math.min(previous[b.length]!, over);
}

/** The full distance, for words of at most MAX_WORD_LENGTH characters. */
export function editDistance(a: string, b: string): number {
  return boundedEditDistance(a, b, Math.max(a.length, b.length));
}

/** The closest candidate within a distance that grows with the word (1 for short words, len/3 beyond). */
export function findClosest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_WORD_LENGTH) return undefined;
  const needle = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    // Cheap rejects before the distance: too long to compare, or lengths too far apart.
    if (candidate.length > MAX_WORD_LENGTH || Math.abs(candidate.length - word.length) > limit) continue;
    // Only a strictly closer candidate can replace the best so far, so the bound shrinks.
    const distance = boundedEditDistance(needle, candidate.toLowerCase(), bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return best;
}

/** The did-you-mean hint for the closest candidate, if one is close enough. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const closest = findClosest(word, candidates);
  return closest === undefined ? undefined : H.didYouMean(closest);
}
