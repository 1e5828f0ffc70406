/**
 * "Did you mean …?" for misspelt names (capabilities, commands, attributes, device ids, keys).
 * Shared by the whole runtime so every unknown-name message reads the same way.
 */

/**
 * Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, because the most
 * common typo ("swtich") is a swap, which plain Levenshtein counts as two edits.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `name`, or undefined when nothing is plausibly meant. Case is ignored
 * when measuring (so `Switch` suggests `switch`); the allowance grows with the length of the name
 * so short names do not suggest unrelated short words.
 */
export function suggest(name: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const wanted = name.toLowerCase();
  const limit = maxDistance ?? Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = editDistance(wanted, candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `"; did you mean 'x'?"` or `""`, ready to append to a message that names the unknown thing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  return s === undefined ? '' : `; did you mean '${s}'?`;
}

/** Joins a message and a follow-up without doubling punctuation after a "did you mean …?". */
export function joinSentences(first: string, second: string): string {
  return `${first}${first.endsWith('?') ? '' : '.'} ${second}.`;
}
