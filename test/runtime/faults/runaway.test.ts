/**
 * Runaway executions the in-script guard cannot interrupt (native built-ins over huge arrays or
 * array-likes, catastrophic regular expressions) and an app that exhausts the memory limit: the
 * worker stops the engine thread, names the app, restores every app and delivers the calls in
 * flight again, so a well-behaved companion app beside the attacker loses no event. An app that
 * keeps doing it is quarantined: stopped, listed with the reason, and the others go on.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import { DOOR, src } from '../engine/engine-helpers';
import { startRuntime, type TestRuntime } from '../host/host-helpers';

const DOOR_INPUT: Record<string, InputSpec> = { door: { type: 'single_device_selector', name: 'Door' } };
const COMPANION = src(`function installed() { subscribe(settings.door, "contact", onContact) }
function onContact(evt) { state.seen = (state.seen || 0) + 1; state.last = evt.value }`, DOOR_INPUT, 'companion');

/**
 * [name, handler body, what is replaced]: the engine thread, or (for native loops that ignore V8's
 * interrupts, which even terminate() cannot end) the whole worker process, re-spawned by the host.
 */
const RUNAWAYS: [string, string, 'thread' | 'process'][] = [
  ['sort over a huge array', 'var a = new Array(3e6).fill(0).map(Math.random); a.sort()', 'thread'],
  ['indexOf over an array-like of length 2e15', 'Array.prototype.indexOf.call({ length: 2e15 }, 1)', 'process'],
  ['includes over an array-like of length 2e15', 'Array.prototype.includes.call({ length: 2e15 }, 1)', 'process'],
  ['a catastrophic regular expression', '/(a+)+$/.test("a".repeat(40) + "!")', 'thread'],
];

describe('runaway executions the guard cannot interrupt', function () {
  this.timeout(60_000);
  let t: TestRuntime | undefined;
  afterEach(async () => {
    await t?.rt.close();
    t = undefined;
  });

  async function setup(options: Parameters<typeof startRuntime>[0], attackBody: string) {
    t = await startRuntime({ cpuLimitMs: 200, ...options });
    await t.rt.addDevice(DOOR);
    const companion = (await t.rt.install({ source: COMPANION, config: { door: 'door' } })).id;
    const attacker = (await t.rt.install({ source: src(`function installed() { subscribe(app, onTouch) }\nfunction onTouch() { ${attackBody} }`, {}, 'attacker'), config: {} })).id;
    return { t, companion, attacker };
  }

  for (const [name, body, replaced] of RUNAWAYS) {
    it(`${name}: stopped, the app named, and the companion loses no event`, async () => {
      const { t, companion, attacker } = await setup({}, body);
      const pid = t.rt.workerPid;
      await t.rt.deviceEvent('door', 'contact', 'open');
      // The touch and the next door event are both in flight when the engine thread is stopped.
      await Promise.all([t.rt.touch(attacker), t.rt.deviceEvent('door', 'contact', 'closed')]);
      await t.rt.deviceEvent('door', 'contact', 'open');
      assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: 3, last: 'open' });
      assert.deepEqual(t.rec.errors.map((e) => [e.appId, e.handler]), [[attacker, 'onTouch']]);
      assert.match(t.rec.errors[0].message, /^onTouch: stopped after 200 ms of CPU time/);
      const changes = t.workers.map((w) => w.change);
      if (replaced === 'thread' && changes[0] === 'engine-restarted') {
        assert.deepEqual(changes, ['engine-restarted']);
        assert.equal(t.rt.workerPid, pid, 'the worker process lived on');
      } else {
        // A thread that takes longer than its grace to end (always so for a native loop that
        // ignores interrupts; on a loaded machine, sometimes for the others) ends with its process.
        assert.deepEqual(changes, ['exited', 'restarted']);
      }
      // The attacker is still installed and runs again (its runaway event is not replayed to it).
      assert.ok((await t.rt.listApps()).some((a) => a.id === attacker));
    });
  }

  it('a worker that sat idle (its warden asleep until an execution starts) still stops a runaway at its limit', async () => {
    const { t, companion, attacker } = await setup({}, '/(a+)+$/.test("a".repeat(40) + "!")');
    // Long enough for the warden to see a whole quiet period and sleep on the execution slot.
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all([t.rt.touch(attacker), t.rt.deviceEvent('door', 'contact', 'open')]);
    assert.deepEqual(t.rec.errors.map((e) => [e.appId, e.handler]), [[attacker, 'onTouch']]);
    assert.match(t.rec.errors[0].message, /^onTouch: stopped after 200 ms of CPU time/);
    assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: 1, last: 'open' });
  });

  it('sort and toSorted over an array-like of length 2e9 (fatal to the whole process in V8 itself) are a RangeError of the app', async () => {
    const { t, companion, attacker } = await setup({}, 'try { Array.prototype.sort.call({ length: 2e9 }) } catch (e) { state.sort = e.message } try { Array.prototype.toSorted.call({ length: 2e9 }) } catch (e) { state.toSorted = e.message } state.ok = [3, , 1, 2].sort().join() + "|" + [3, 1].toSorted((a, b) => b - a).join()');
    await t.rt.touch(attacker);
    await t.rt.deviceEvent('door', 'contact', 'open');
    assert.deepEqual((await t.rt.appInfo(attacker)).state, {
      sort: 'sort: 2000000000 elements are more than an app may sort at once (16777216)',
      toSorted: 'toSorted: 2000000000 elements are more than an app may sort at once (16777216)',
      ok: '1,2,3,|3,1',
    });
    assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: 1, last: 'open' });
    assert.deepEqual(t.workers.map((w) => w.change), []);
  });

  it('an app that exhausts the memory limit is named; the companion loses no event', async () => {
    const { t, companion, attacker } = await setup({ memoryLimitMb: 64, cpuLimitMs: 5000 }, 'var keep = []; for (;;) keep.push(new Array(1000000).fill(keep.length))');
    await t.rt.deviceEvent('door', 'contact', 'open');
    await Promise.all([t.rt.touch(attacker), t.rt.deviceEvent('door', 'contact', 'closed')]);
    assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: 2, last: 'closed' });
    assert.deepEqual(t.rec.errors.map((e) => [e.appId, e.handler]), [[attacker, 'onTouch']]);
    assert.match(t.rec.errors[0].message, /^onTouch: stopped: it ran out of memory \(the limit is 64 MB\)/);
  });

  it('calls sent while the engine thread is being replaced are all delivered, once each, in order', async () => {
    const { t, companion, attacker } = await setup({ rateLimit: false }, '/(a+)+$/.test("a".repeat(40) + "!")');
    const calls: Promise<void>[] = [t.rt.touch(attacker)];
    for (let i = 0; i < 40; i++) {
      calls.push(t.rt.deviceEvent('door', 'contact', i % 2 ? 'closed' : 'open'));
      // Some leave while the thread runs away, some while it is being replaced and restored.
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 60));
    }
    await Promise.all(calls);
    assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: 40, last: 'closed' });
    assert.deepEqual(t.workers.map((w) => w.change), ['engine-restarted']);
  });

  it('a busy worker running many short executions is never stopped by mistake', async () => {
    const { t, companion } = await setup({ rateLimit: false }, 'state.n = 1');
    // Tens of thousands of executions starting and ending while the warden watches the slot.
    for (let b = 0; b < 25; b++) {
      const events: [string, string, unknown][] = [];
      for (let i = 0; i < 2000; i++) events.push(['door', 'contact', i % 2 ? 'closed' : 'open']);
      await t.rt.deviceEvents(events);
    }
    assert.deepEqual(t.workers.map((w) => w.change), []);
    assert.equal(((await t.rt.appInfo(companion)).state as { seen: number }).seen, 50_000);
  });

  it('after the engine thread is replaced, the devices are as the apps last saw them (no change is dropped)', async () => {
    const { t, attacker } = await setup({}, '/(a+)+$/.test("a".repeat(40) + "!")');
    await t.rt.addDevice({ id: 'lamp', label: 'Lamp', capabilities: ['switch'] });
    const watcher = (await t.rt.install({ source: src('function installed() { subscribe(settings.lamp, "switch", onSwitch) }\nfunction onSwitch(evt) { state.seen = (state.seen || []).concat([evt.value]) }', { lamp: { type: 'single_device_selector', name: 'Lamp' } }, 'watcher'), config: { lamp: 'lamp' } })).id;
    await t.rt.sendCommand('lamp', 'on');
    await t.rt.touch(attacker);
    assert.deepEqual(t.workers.map((w) => w.change), ['engine-restarted']);
    // The lamp is still on after the restore: off is a change, and on again is one too.
    await t.rt.deviceEvent('lamp', 'switch', 'off');
    await t.rt.deviceEvent('lamp', 'switch', 'on');
    assert.deepEqual((await t.rt.appInfo(watcher)).state, { seen: ['on', 'off', 'on'] });
  });

  it('an app that keeps stopping the worker is quarantined: listed with the reason, and the others go on', async () => {
    const { t, companion, attacker } = await setup({ quarantineAfter: 3 }, '/(a+)+$/.test("a".repeat(40) + "!")');
    const outcomes: unknown[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await t.rt.touch(attacker).catch((e: Error) => e.message));
    // The third touch, delivered again after the restart, finds the app quarantined.
    assert.deepEqual(outcomes.slice(0, 2), [undefined, undefined]);
    assert.match(String(outcomes[2]), /no installed app with id "attacker-2"/);
    await t.rt.deviceEvent('door', 'contact', 'open');
    assert.deepEqual((await t.rt.appInfo(companion)).state, { seen: 1, last: 'open' });
    assert.deepEqual((await t.rt.listApps()).map((a) => a.id), [companion]);
    const q = t.rt.quarantined();
    assert.deepEqual(q.map((a) => [a.id, a.label]), [[attacker, 'attacker']]);
    assert.match(q[0].reason, /^quarantined: it stopped the worker 3 times within 10 minutes/);
    assert.ok(t.rec.apps.some((a) => a.appId === attacker && a.change === 'quarantined'));
    assert.deepEqual(t.workers.map((w) => w.change), ['engine-restarted', 'engine-restarted', 'engine-restarted']);
  });
});
