/**
 * PoolOptions.spareWorker: one worker process kept started ahead, so a re-spawn (a Bundle Sync, a
 * crash) only restores the Things. A dead spare is never used, and closing the pool ends it too.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import type { EngineSettings } from '../../../runtime/host/protocol';
import { Thing } from '../../../runtime/host/thing';
import { WorkerPool } from '../../../runtime/host/worker-pool';
import type { WorkerRecord } from '../../../runtime/host/runtime';
import { DOOR, src, T0 } from '../engine/engine-helpers';
import { assertFreshDist } from '../../support/fresh-dist';
import { until } from './host-helpers';

const DOOR_INPUT: Record<string, InputSpec> = { door: { type: 'single_device_selector', name: 'Door' } };
const COUNTER = src(`function installed() { subscribe(settings.door, "contact", onContact) }
function onContact(evt) { state.seen = (state.seen || 0) + 1 }`, DOOR_INPUT, 'counter');
const SETTINGS: EngineSettings = { clock: 'virtual', start: T0 };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function thingWithCounter(pool: WorkerPool): Promise<{ thing: Thing; appId: string; workers: WorkerRecord[] }> {
  const thing = await pool.addThing('porch', SETTINGS, (id, s, transport, newAppId) => new Thing(id, s, transport, newAppId));
  const workers: WorkerRecord[] = [];
  thing.on('worker', (w) => workers.push(w));
  await thing.addDevice(DOOR);
  const { id } = await thing.install({ source: COUNTER, config: { door: 'door' } });
  await thing.deviceEvent('door', 'contact', 'open');
  return { thing, appId: id, workers };
}

describe('WorkerPool: a spare worker', function () {
  before(() => assertFreshDist());
  this.timeout(60_000);
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('a re-spawn takes the spare, restores the Things on it, and a new spare is started behind it', async () => {
    pool = new WorkerPool({ spareWorker: true });
    const { thing, appId } = await thingWithCounter(pool);
    const spare = await pool.sparePid();
    assert.equal(typeof spare, 'number');
    assert.notEqual(spare, pool.pidOf('porch'));
    await pool.restartWorker('porch', 'bundle sync');
    assert.equal(pool.pidOf('porch'), spare, 'the Thing now runs on the spare');
    await thing.deviceEvent('door', 'contact', 'closed');
    assert.deepEqual((await thing.appInfo(appId)).state, { seen: 2 });
    const next = await pool.sparePid();
    assert.equal(typeof next, 'number');
    assert.notEqual(next, spare);
    assert.ok(alive(next!));
  });

  it('a worker that crashes is replaced by the spare, with no event lost', async () => {
    pool = new WorkerPool({ spareWorker: true });
    const { thing, appId, workers } = await thingWithCounter(pool);
    const spare = await pool.sparePid();
    process.kill(pool.pidOf('porch')!, 'SIGKILL');
    await thing.deviceEvent('door', 'contact', 'closed');
    await until(() => workers.some((w) => w.change === 'restarted'), 'the restart');
    assert.equal(pool.pidOf('porch'), spare);
    assert.deepEqual((await thing.appInfo(appId)).state, { seen: 2 });
  });

  it('a spare that died is not used: the re-spawn starts a process of its own', async () => {
    pool = new WorkerPool({ spareWorker: true });
    const { thing, appId } = await thingWithCounter(pool);
    const spare = (await pool.sparePid())!;
    process.kill(spare, 'SIGKILL');
    await until(() => !alive(spare), 'the spare to end');
    await pool.restartWorker('porch', 'bundle sync');
    assert.notEqual(pool.pidOf('porch'), spare);
    assert.deepEqual((await thing.appInfo(appId)).state, { seen: 1 });
  });

  it('closing the pool ends the spare; without the option there is none', async () => {
    pool = new WorkerPool({ spareWorker: true });
    await thingWithCounter(pool);
    const spare = (await pool.sparePid())!;
    await pool.close();
    pool = undefined;
    await until(() => !alive(spare), 'the spare to end');

    pool = new WorkerPool({});
    await thingWithCounter(pool);
    assert.equal(await pool.sparePid(), undefined);
  });
});
