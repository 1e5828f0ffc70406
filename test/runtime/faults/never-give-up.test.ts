/**
 * The runtime never gives up on a whole Thing because of one app (issue 13). An app whose restore
 * runs its worker's engine out of memory every time is named at each restore and quarantined, and
 * the good app beside it runs on with every event. A worker that keeps dying for no app's fault is
 * re-spawned with a growing wait between re-spawns (each wait said as a 'worker' record), and its
 * Things come back every time.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import { DOOR, src, T0 } from '../engine/engine-helpers';
import { startRuntime, until, type TestRuntime } from '../host/host-helpers';

const DOOR_INPUT: Record<string, InputSpec> = { door: { type: 'single_device_selector', name: 'Door' } };
const COMPANION = src(`function installed() { subscribe(settings.door, "contact", onContact) }
function onContact(evt) { state.seen = (state.seen || 0) + 1; state.last = evt.value }`, DOOR_INPUT, 'companion');
/**
 * Fine when installed; an hour later (by the Thing's clock) its top level fills the heap. Every
 * restore runs the top level again, so every restore runs out of memory.
 */
const RESTORE_BOMB = src(`var keep = [];
if (Date.now() > ${T0} + 3600000) for (;;) keep.push(new Array(1000000).fill(keep.length));
function installed() {}`, {}, 'restore-bomb');

describe('the runtime never gives up on a Thing', function () {
  this.timeout(120_000);
  let t: TestRuntime | undefined;
  afterEach(async () => {
    await t?.rt.close();
    t = undefined;
  });

  it('an app that runs the engine out of memory at every restore is named and quarantined; the good app beside it gets every event', async () => {
    t = await startRuntime({ memoryLimitMb: 64, cpuLimitMs: 5000, quarantineAfter: 3 });
    await t.rt.addDevice(DOOR);
    const companion = (await t.rt.install({ source: COMPANION, config: { door: 'door' } })).id;
    const bomb = (await t.rt.install({ source: RESTORE_BOMB, config: {} })).id;
    await t.rt.deviceEvent('door', 'contact', 'open');
    await t.rt.advance(2 * 3600_000);
    // A Bundle Sync's re-spawn: the restore runs the bomb's top level again.
    const restarted = t.rt.restartWorker('bundle sync');
    const during = [t.rt.deviceEvent('door', 'contact', 'closed'), t.rt.deviceEvent('door', 'contact', 'open')];
    await restarted;
    await Promise.all(during);
    await t.rt.deviceEvent('door', 'contact', 'closed');
    assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: 4, last: 'closed' });
    assert.deepEqual((await t.rt.listApps()).map((a) => a.id), [companion]);
    const q = t.rt.quarantined();
    assert.deepEqual(q.map((a) => a.id), [bomb]);
    assert.match(q[0].reason, /^quarantined: it stopped the worker 3 times within 10 minutes \(last: it ran out of memory \(the limit is 64 MB\)\)/);
    const bombErrors = t.rec.errors.filter((e) => e.appId === bomb);
    assert.equal(bombErrors.length, 3);
    assert.match(bombErrors[0].message, /^top level \(while being restored\): stopped: it ran out of memory \(the limit is 64 MB\)/);
    // Each loss is a worker record with its reason.
    const lost = t.workers.filter((w) => w.change === 'engine-restarted');
    assert.equal(lost.length, 3);
    for (const w of lost) assert.equal(w.reason, 'it ran out of memory (the limit is 64 MB)');
    assert.ok(!t.workers.some((w) => (w.change as string) === 'gave-up'));
  });

  it('a worker that keeps dying with no app to blame is re-spawned with a growing wait, and its Things come back each time', async () => {
    t = await startRuntime({ restartsBeforeBackoff: 2, restartBackoffMs: 100, maxRestartBackoffMs: 400 });
    await t.rt.addDevice(DOOR);
    const companion = (await t.rt.install({ source: COMPANION, config: { door: 'door' } })).id;
    const kills = 7;
    for (let i = 1; i <= kills; i++) {
      await t.rt.deviceEvent('door', 'contact', i % 2 ? 'open' : 'closed');
      process.kill(t.rt.workerPid!, 'SIGKILL');
      await until(() => t!.workers.filter((w) => w.change === 'restarted').length === i, `re-spawn ${i}`);
    }
    await t.rt.deviceEvent('door', 'contact', 'closed');
    assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: kills + 1, last: 'closed' });
    const waits = t.workers.filter((w) => w.change === 'waiting');
    // Two re-spawns at once, then waits that double up to the cap.
    assert.deepEqual(waits.map((w) => w.delayMs), [100, 200, 400, 400, 400]);
    assert.match(waits[0].reason ?? '', /^3 restarts, each within a minute of the one before; waiting 100 ms before the next \(last: the worker exited: code null, signal SIGKILL\)$/);
    assert.ok(!t.workers.some((w) => (w.change as string) === 'gave-up'));
  });
});
