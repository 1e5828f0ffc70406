/**
 * A small line diff (longest common subsequence) for showing expected against actual JSON in a
 * failure. Inputs are a few dozen lines, so the quadratic table is fine; huge inputs fall back to
 * "all removed, all added" rather than spend the time.
 */
export type DiffLine = { op: ' ' | '-' | '+'; text: string };

const MAX_CELLS = 4_000_000;

export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) return [...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text }))];
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] });
      j++;
    } else if (j === m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      // On a tie, removals come first: a changed run reads as "was this, is now that".
      out.push({ op: '-', text: a[i++] });
    } else out.push({ op: '+', text: b[j++] });
  }
  return out;
}

/**
 * Unified-style text: `--- expected`, `+++ actual`, then the lines prefixed with ' ', '-' or '+'.
 * Long unchanged runs are cut to `context` lines either side.
 */
export function unifiedDiff(expected: string, actual: string, context = 3): string {
  const lines = diffLines(expected.split('\n'), actual.split('\n'));
  const out = ['--- expected', '+++ actual'];
  let k = 0;
  while (k < lines.length) {
    if (lines[k].op !== ' ') {
      out.push(lines[k].op + lines[k].text);
      k++;
      continue;
    }
    let end = k;
    while (end < lines.length && lines[end].op === ' ') end++;
    const run = lines.slice(k, end);
    const head = k === 0 ? 0 : context;
    const tail = end === lines.length ? 0 : context;
    if (run.length > head + tail + 1) {
      for (const l of run.slice(0, head)) out.push(' ' + l.text);
      out.push(` … ${run.length - head - tail} unchanged line${run.length - head - tail === 1 ? '' : 's'}`);
      for (const l of run.slice(run.length - tail)) out.push(' ' + l.text);
    } else for (const l of run) out.push(' ' + l.text);
    k = end;
  }
  return out.join('\n');
}
