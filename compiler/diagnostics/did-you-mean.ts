// "did you mean" suggestions: the closest candidate by Damerau-Levenshtein distance (optimal
// string alignment: insert, delete, substitute, swap two neighbours), compared case-insensitively
// so that `sigterm` finds `SIGTERM`. Ties keep the candidates' order (declaration order).
import { H } from "./hints.ts";

export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a distance that grows with the word (1 for short words, len/3 beyond). */
export function findClosest(word: string, candidates: Iterable<string>): string | undefined {
  const needle = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    // Cheap reject before the quadratic distance: lengths differ by more than the limit.
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The did-you-mean hint for the closest candidate, if one is close enough. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const closest = findClosest(word, candidates);
  return closest === undefined ? undefined : H.didYouMean(closest);
}
