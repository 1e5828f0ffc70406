/**
 * The platform store, both backends: open (schema included), one acknowledged write (a Thing
 * enrolled: a committed, synced transaction), and a point read of a bundle (the first from the
 * database, then from the bundle cache, as a replica serves repeated downloads).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore, type PlatformStore } from '../platform/store';
import { postgresBinDir, startPostgres } from '../test/support/postgres';
import { fmt, percentile, type Row } from './table';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function medianAsync(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await timed(() => fn(i)))[1]);
  return percentile(times.sort((a, b) => a - b), 50);
}

async function measure(label: string, location: string, rows: Row[]): Promise<void> {
  const [first, openMs] = await timed(() => openStore(location));
  const bundle = Buffer.alloc(256 * 1024, 7);
  const v = await first.deployAppVersion({ name: 'bench', version: '1.0.0', bundle, scriptNames: ['app.js'] });
  const writeMs = await medianAsync(30, (i) => first.enrollThing({ thingId: `bench-${i}`, model: 'plug' }));
  await first.close();
  const [store, reopenMs]: [PlatformStore, number] = await timed(() => openStore(location));
  try {
    const [, coldMs] = await timed(() => store.readBundle(v.appId, '1.0.0'));
    const warmMs = await medianAsync(200, () => store.readBundle(v.appId, '1.0.0'));
    rows.push({ figure: `platform store, ${label}: open (new / existing)`, value: `${fmt(openMs, 0)} / ${fmt(reopenMs, 0)} ms`, target: '' });
    rows.push({ figure: `platform store, ${label}: one acknowledged write (p50)`, value: `${fmt(writeMs, 2)} ms`, target: '' });
    rows.push({ figure: `platform store, ${label}: read a 256 KB bundle (first / cached p50)`, value: `${fmt(coldMs, 2)} / ${fmt(warmMs, 3)} ms`, target: '' });
  } finally {
    await store.close();
  }
}

export async function storeBench(rows: Row[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-store-bench-'));
  try {
    await measure('embedded SQLite', dir, rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!postgresBinDir()) {
    rows.push({ figure: 'platform store, PostgreSQL', value: 'not measured: install the Debian package postgresql', target: '' });
    return;
  }
  const server = await startPostgres();
  try {
    await measure('PostgreSQL', await server.createDatabase('bench'), rows);
  } finally {
    server.stop();
  }
}
