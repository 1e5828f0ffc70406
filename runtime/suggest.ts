/**
 * "Did you mean …?" for misspelt names: capabilities, commands, attributes, device and function
 * ids, handlers, keys of app.json, instance and scenario files. One module for the whole runtime, so
 * every unknown-name message finds its suggestion the same way.
 *
 * Two matchers, each with the message form its callers use:
 * - `suggest` / `didYouMean`: edit distance only; `; did you mean 'x'?` (devices, engine, scripts).
 * - `suggestName` / `didYouMeanName`: also identifiers with their words swapped, and stricter with
 *   short names; ` did you mean "x"?` (app.json and the files that configure an app).
 */

/**
 * Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, because the most
 * common typo ("swtich", `4465` for `4456`) is a swap, which plain Levenshtein counts as two edits.
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

/** The candidate (other than `name` itself) with the lowest score within `limit`; the first of equals. */
function closest(name: string, candidates: Iterable<string>, limit: number, score: (candidate: string) => number): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const s = score(candidate);
    if (s <= limit && s < bestScore) {
      best = candidate;
      bestScore = s;
    }
  }
  return best;
}

/**
 * The candidate closest to `name`, or undefined when nothing is plausibly meant. Case is ignored
 * when measuring (so `Switch` suggests `switch`); the allowance grows with the length of the name
 * so short names do not suggest unrelated short words.
 */
export function suggest(name: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const wanted = name.toLowerCase();
  const limit = maxDistance ?? Math.max(1, Math.floor(wanted.length / 3));
  return closest(name, candidates, limit, (candidate) => editDistance(wanted, candidate.toLowerCase()));
}

/** The words of an identifier, sorted and joined: `text_example`, `textExample` and `example-text` all give "example text". */
function wordKey(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-.]+/)
    .filter((w) => w.length > 0)
    .sort()
    .join(' ');
}

/**
 * Like `suggest`, for names of keys and inputs: swapped words count as a near miss
 * (`example_text` → `text_example`), which edit distance alone would call unrelated, and a name of
 * one character gets no suggestion, since one edit away from it is almost anything.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const words = wordKey(name);
  const limit = name.length <= 1 ? 0 : name.length <= 5 ? 1 : Math.max(2, Math.floor(name.length / 3));
  return closest(name, candidates, limit, (candidate) => {
    if (candidate.toLowerCase() === lower) return 0;
    if (words.length > 0 && wordKey(candidate) === words) return 0.5;
    return editDistance(lower, candidate.toLowerCase());
  });
}

/** `"; did you mean 'x'?"` or `""`, ready to append to a message that names the unknown thing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  return s === undefined ? '' : `; did you mean '${s}'?`;
}

/** `' did you mean "x"?'` (by `suggestName`) or `""`, for app.json messages that end in `;`. */
export function didYouMeanName(name: string, candidates: Iterable<string>): string {
  const s = suggestName(name, candidates);
  return s === undefined ? '' : ` did you mean "${s}"?`;
}

/** Joins a message and a follow-up without doubling punctuation after a "did you mean …?". */
export function joinSentences(first: string, second: string): string {
  return `${first}${first.endsWith('?') ? '' : '.'} ${second}.`;
}
