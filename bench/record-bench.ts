/**
 * What recording a Thing costs per event (issue 19): device reports sent through a worker to a
 * Thing with ten apps, in batches, without a recording and with one (the worker then sends every
 * device event record to the host, where the recording keeps the inputs). The difference per event
 * is the overhead; the run without is the floor, measured in the same run.
 */
import { performance } from 'node:perf_hooks';
import { Thing } from '../runtime/host/thing';
import { WorkerPool } from '../runtime/host/worker-pool';
import { ThingRecording, MAX_RECORDED_ENTRIES } from '../platform/agent/thing-recording';
import { SENSOR_APP } from './bench-apps';
import { fmt, type Row } from './table';

/** Events per timed run: under what one recording keeps. */
const EVENTS = Math.floor(MAX_RECORDED_ENTRIES * 0.8);
const BATCH = 500;
const RUNS = 7;

export async function recordBench(rows: Row[]): Promise<void> {
  const pool = new WorkerPool({ thingsPerWorker: 10 });
  try {
    const thing = await pool.addThing('bench-thing', { clock: 'real', rateLimit: false }, (id, s, t, n) => new Thing(id, s, t, n));
    for (let d = 0; d < 10; d++) await thing.addDevice({ id: `t${d}`, label: `Sensor ${d}`, capabilities: ['temperatureMeasurement'] });
    const apps = [];
    for (let a = 0; a < 10; a++) apps.push(await thing.install({ source: SENSOR_APP, config: { sensor: `t${a}` } }));
    let value = 0;
    const send = async () => {
      const t0 = performance.now();
      for (let i = 0; i < EVENTS; i += BATCH) {
        const batch: [string, string, unknown][] = [];
        for (let j = 0; j < BATCH; j++) batch.push([`t${(i + j) % 10}`, 'temperature', (value++ % 400) / 10]);
        await thing.deviceEvents(batch);
      }
      return ((performance.now() - t0) * 1000) / EVENTS; // µs per event
    };
    await send(); // warm
    const without: number[] = [];
    const withRecording: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      without.push(await send());
      const recording = await ThingRecording.start(thing, 'bench-thing', apps[0].id, { app_id: 1, installation_id: 1, version: '1.0.0', name: 'bench', config: {} }, () => undefined);
      withRecording.push(await send());
      const recorded = recording.stop('time');
      if (recorded.timeline.length < EVENTS) throw new Error(`record bench: the recording kept ${recorded.timeline.length} of ${EVENTS} events`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const base = median(without);
    const recorded = median(withRecording);
    rows.push({ figure: 'recording a Thing: overhead per device event (10 apps, batches of 500, with a recording − without)', value: `${fmt(recorded - base, 2)} µs (${fmt(recorded, 2)} vs ${fmt(base, 2)} µs per event)`, target: '< 2 µs', ok: recorded - base < 2 });
    rows.push({ figure: 'floor: the same events through the worker without a recording, per event', value: `${fmt(base, 2)} µs`, target: '' });
  } finally {
    await pool.close();
  }
}
