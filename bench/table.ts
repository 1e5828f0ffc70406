/** The rows `npm run bench` prints: each figure with the target it is held to. */
export interface Row {
  figure: string;
  value: string;
  target: string;
  ok?: boolean;
}

export function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** p50 and p99 in ms of `runs` awaited calls of `once`, after `warm` untimed ones. */
export async function asyncTimings(once: () => Promise<unknown>, runs: number, warm: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < warm; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Median of `runs` timings of `fn` in ms (after `warm` untimed runs). */
export function medianMs(fn: () => void, runs: number, warm = 3): number {
  for (let i = 0; i < warm; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return percentile(times, 50);
}

export function printTable(rows: Row[], write: (s: string) => void): void {
  const headers = ['figure', 'value', 'target', ''];
  const data = rows.map((r) => [r.figure, r.value, r.target, r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
  const widths = headers.map((h, i) => Math.max(h.length, ...data.map((d) => d[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  write([line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...data.map(line)].join('\n') + '\n');
}
