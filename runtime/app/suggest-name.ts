/**
 * "Did you mean" for misspelt names. Local to runtime/app for now; another module has its own
 * and the two are to be merged.
 */

/**
 * Edit distance counting a swap of two neighbouring characters as one edit (optimal string
 * alignment), since `4465` for `4456` and `lmap` for `lamp` are single slips of the finger.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Words of an identifier: `text_example`, `textExample` and `text-example` all give [text, example]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-.]+/)
    .filter((w) => w.length > 0)
    .sort();
}

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a likely typo.
 * Swapped words count as a near miss (`example_text` → `text_example`): edit distance alone would
 * call those two unrelated.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const nameWords = words(name).join(' ');
  // One edit away from a one-character name is almost anything, so those get no suggestion.
  const limit = name.length <= 1 ? 0 : name.length <= 5 ? 1 : Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    let score: number;
    if (c.toLowerCase() === lower) score = 0;
    else if (nameWords.length > 0 && words(c).join(' ') === nameWords) score = 0.5;
    else score = levenshtein(lower, c.toLowerCase());
    if (score <= limit && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** ` did you mean "x"?`, or an empty string, to append to a message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggestName(name, candidates);
  return s === undefined ? '' : ` did you mean "${s}"?`;
}
