import assert from 'node:assert/strict';
import { SmartPlugRuntime, type WorkerRecord } from '../../../runtime/host/runtime';
import type { AppSource } from '../../../runtime/engine/installed-app';
import { assertFreshDist } from '../../support/fresh-dist';

const appJson = { input: { sensor: { type: 'single_device_selector', name: 'Sensor' } }, guide: [{ id: 'p', input_fields: ['sensor'] }] } as unknown as AppSource['appJson'];

const hog: AppSource = {
  name: 'hog',
  scriptFile: '/apps/hog/app.js',
  appJson,
  script: `function installed() { subscribe(settings.sensor, "switch", grab) }
function grab() { const keep = []; for (;;) keep.push(new Array(100000).fill(keep.length)) }`,
};

const counter: AppSource = {
  name: 'counter',
  scriptFile: '/apps/counter/app.js',
  appJson,
  script: `function installed() { subscribe(settings.sensor, "motion", count) }
function count() { state.n = (state.n || 0) + 1 }`,
};

describe('the memory limit', function () {
  before(() => assertFreshDist());
  this.timeout(30_000);

  it('an app that runs out of memory stops only the engine thread: it is named, and the other apps go on with their state', async () => {
    const rt = await SmartPlugRuntime.start({ clock: 'virtual', start: Date.UTC(2024, 0, 1), memoryLimitMb: 48, cpuLimitMs: 10_000 });
    const workerRecords: WorkerRecord[] = [];
    const errors: string[] = [];
    rt.on('worker', (w) => workerRecords.push(w));
    rt.on('appError', (e) => errors.push(`${e.appLabel} ${e.handler}: ${e.message}`));
    try {
      await rt.addDevice({ id: 'plug', label: 'Plug', capabilities: ['switch'] });
      await rt.addDevice({ id: 'pir', label: 'PIR', capabilities: ['motionSensor'] });
      await rt.install({ source: hog, config: { sensor: 'plug' } });
      const c = await rt.install({ source: counter, config: { sensor: 'pir' } });
      await rt.deviceEvent('pir', 'motion', 'active');
      const firstPid = rt.workerPid;

      // Answered once the apps are back: the command's event is not delivered to the hog again.
      await rt.sendCommand('plug', 'on');
      assert.deepEqual(workerRecords.map((w) => [w.change, w.reason]), [['engine-restarted', 'it ran out of memory (the limit is 48 MB)']]);
      assert.equal(rt.workerPid, firstPid);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /^hog grab: grab: stopped: it ran out of memory \(the limit is 48 MB\)/);
      await rt.deviceEvent('pir', 'motion', 'inactive');
      await rt.deviceEvent('pir', 'motion', 'active');
      assert.deepEqual((await rt.appInfo(c.id)).state, { n: 3 });
    } finally {
      await rt.close();
    }
  });

  it("the warden's own heap has a limit too: past it the process ends, says why, and is started again", async () => {
    // No V8 heap flag limits the warden (it would slow every spawn): it watches its heap at each
    // beat. A limit below what an idle warden holds stands in for a flood of messages to relay.
    const rt = await SmartPlugRuntime.start({ clock: 'virtual', start: Date.UTC(2024, 0, 1), wardenHeapLimitMb: 1 });
    const workerRecords: WorkerRecord[] = [];
    rt.on('worker', (w) => workerRecords.push(w));
    try {
      const deadline = Date.now() + 10_000;
      while (!workerRecords.some((w) => w.change === 'restarted') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const exited = workerRecords.find((w) => w.change === 'exited');
      assert.match(exited?.reason ?? '', /signal SIGKILL: the worker's warden held \d+ MB of messages not yet relayed \(its limit is 1 MB\): the process ends/);
      assert.ok(workerRecords.some((w) => w.change === 'restarted'), JSON.stringify(workerRecords));
    } finally {
      await rt.close();
    }
  });
});
