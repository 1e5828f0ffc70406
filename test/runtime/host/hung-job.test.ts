import assert from 'node:assert/strict';
import { src } from '../engine/engine-helpers';
import { startRuntime, until } from './host-helpers';

describe('a scheduled job that hangs the worker', function () {
  this.timeout(30_000);

  it('is not brought back after the restart, and the app\'s log says why; the app and its state stay', async () => {
    const t = await startRuntime({ hangTimeoutMs: 1000 });
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

      await assert.rejects(t.rt.advance(61_000), /no sign of life/);
      await until(() => t.workers.some((w) => w.change === 'restarted'), 'the restart');

      const after = await t.rt.appInfo(info.id);
      assert.deepEqual(after.jobs, []);
      assert.deepEqual(after.state, { presses: 1 });
      assert.ok(t.rec.logs.some((l) => l.level === 'error' && /the scheduled job stuck was removed: it stopped the worker from responding/.test(l.message)));
      await t.rt.advance(120_000);
      await t.rt.deviceEvent('b', 'button', 'pushed');
      assert.deepEqual((await t.rt.appInfo(info.id)).state, { presses: 2 });
    } finally {
      await t.rt.close();
    }
  });
});
