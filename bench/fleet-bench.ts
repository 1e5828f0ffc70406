/**
 * Many Things in one worker, as the platform's fleet will run: 100 Things of 3 apps each. Memory
 * per Thing (the worker process's resident memory, read from /proc) and dispatch across the fleet
 * with the CPU limit on, every Thing's events in flight together.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { EngineSettings } from '../runtime/host/protocol';
import { Thing, type ThingTransport } from '../runtime/host/thing';
import { WorkerPool } from '../runtime/host/worker-pool';
import { SENSOR_APP } from './bench-apps';
import { fmt, type Row } from './table';

const THINGS = 100;
const APPS_PER_THING = 3;

const APP = SENSOR_APP;

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function fleetBench(rows: Row[]): Promise<void> {
  const pool = new WorkerPool({ thingsPerWorker: THINGS });
  try {
    const settings: EngineSettings = { clock: 'virtual', start: Date.UTC(2024, 0, 1), rateLimit: false };
    const make = (id: string, s: EngineSettings, transport: ThingTransport, newAppId: (n: string) => string) => new Thing(id, s, transport, newAppId);
    const things: Thing[] = [await pool.addThing('thing-0', settings, make)];
    await new Promise((r) => setTimeout(r, 200));
    const before = rssMb(pool.pidOf('thing-0'));
    for (let i = 1; i < THINGS; i++) things.push(await pool.addThing(`thing-${i}`, settings, make));
    for (const t of things) {
      for (let d = 0; d < APPS_PER_THING; d++) await t.addDevice({ id: `t${d}`, label: `Sensor ${d}`, capabilities: ['temperatureMeasurement'] });
      for (let a = 0; a < APPS_PER_THING; a++) await t.install({ source: APP, config: { sensor: `t${a}` } });
    }
    await new Promise((r) => setTimeout(r, 200));
    const after = rssMb(pool.pidOf('thing-0'));
    rows.push({ figure: `${THINGS} Things × ${APPS_PER_THING} apps in one worker: memory per Thing (worker RSS)`, value: `${fmt((after - before) / (THINGS - 1), 2)} MB (worker ${fmt(after, 0)} MB)`, target: '' });

    // Every Thing gets 60 events per round, all Things' calls in flight together; 20 rounds.
    const rounds = 20;
    const perThing = 60;
    let value = 0;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) {
      await Promise.all(things.map((t) => {
        const events: [string, string, unknown][] = [];
        for (let i = 0; i < perThing; i++) events.push([`t${i % APPS_PER_THING}`, 'temperature', (value += 0.5) % 100]);
        return t.deviceEvents(events);
      }));
    }
    const rate = (rounds * THINGS * perThing) / ((performance.now() - t0) / 1000);
    rows.push({ figure: `${THINGS} Things × ${APPS_PER_THING} apps in one worker, CPU limit on: events/s`, value: fmt(rate, 0), target: '' });
  } finally {
    await pool.close();
  }
}
