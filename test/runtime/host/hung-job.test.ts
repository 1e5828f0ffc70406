import assert from 'node:assert/strict';
import { src } from '../engine/engine-helpers';
import { startRuntime } from './host-helpers';

describe('a scheduled job that hangs the engine thread', function () {
  this.timeout(30_000);

  it('is not brought back after the restart, and the app\'s log says why; the app and its state stay', async () => {
    const t = await startRuntime({ cpuLimitMs: 200 });
    try {
      await t.rt.addDevice({ id: 'b', label: 'Button', capabilities: ['button'] });
      const info = await t.rt.install({
        source: src(`function installed() { subscribe(settings.b, "button", pressed); runIn(60, "stuck") }
function pressed() { state.presses = (state.presses || 0) + 1 }
function stuck() { /(a+)+$/.test("a".repeat(40) + "!") }`, { b: { type: 'single_device_selector', name: 'B' } as never }),
        config: { b: 'b' },
      });
      await t.rt.deviceEvent('b', 'button', 'pushed');
      assert.equal((await t.rt.appInfo(info.id)).jobs.length, 1);

      // The advance is answered once the apps are restored, without the job.
      await t.rt.advance(61_000);
      assert.deepEqual(t.workers.map((w) => w.change), ['engine-restarted']);

      const after = await t.rt.appInfo(info.id);
      assert.deepEqual(after.jobs, []);
      assert.deepEqual(after.state, { presses: 1 });
      assert.ok(t.rec.logs.some((l) => l.level === 'error' && /the scheduled job stuck was removed: it ran past its CPU limit in code the execution guard cannot interrupt/.test(l.message)));
      await t.rt.advance(120_000);
      await t.rt.deviceEvent('b', 'button', 'pushed');
      assert.deepEqual((await t.rt.appInfo(info.id)).state, { presses: 2 });
    } finally {
      await t.rt.close();
    }
  });
});
