/**
 * An app's asynchronous error is that app's logged error, named like its synchronous ones, and
 * nothing an app does asynchronously ends the process: a forgotten Promise.reject(), the CPU guard
 * firing inside an async function or a then-callback, a microtask loop. A well-behaved companion app
 * beside each attack sees every one of its events. Each attack runs in this process (the engine) and
 * through the worker process (the runtime).
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import type { AppErrorRecord } from '../../../runtime/engine/records';
import { addStandardDevices, DOOR, LAMP, LAMP2, makeThing, src, BUTTON } from '../engine/engine-helpers';
import { startRuntime, until, type TestRuntime } from '../host/host-helpers';

const DOOR_INPUT: Record<string, InputSpec> = { door: { type: 'single_device_selector', name: 'Door' } };
const COMPANION = src(`function installed() { subscribe(settings.door, "contact", onContact) }
function onContact(evt) { state.seen = (state.seen || 0) + 1 }`, DOOR_INPUT, 'companion');

interface Attack {
  name: string;
  script: string;
  /** What the app's error says, and which handler it names. */
  message: RegExp;
  handler: string;
}

const ATTACKS: Attack[] = [
  {
    name: 'a forgotten Promise.reject()',
    script: 'function onTouch() { Promise.reject(new Error("nobody catches me")) }',
    message: /^nobody catches me$/, handler: 'unhandled promise rejection',
  },
  {
    name: 'an async helper that throws and is not awaited',
    script: 'async function helper() { await null; throw new TypeError("late failure") }\nfunction onTouch() { helper() }',
    message: /^late failure$/, handler: 'unhandled promise rejection',
  },
  {
    name: 'the CPU guard firing inside an async handler',
    script: 'async function onTouch() { await null; for (;;) {} }',
    message: /stopped after 100 ms of CPU time/, handler: 'onTouch',
  },
  {
    name: 'the CPU guard firing inside a then-callback nobody handles',
    script: 'function onTouch() { Promise.resolve().then(function spin() { for (;;) {} }) }',
    message: /stopped after 100 ms of CPU time/, handler: 'unhandled promise rejection',
  },
  {
    name: 'a microtask loop',
    script: 'function loop() { Promise.resolve().then(loop) }\nfunction onTouch() { loop() }',
    message: /stopped after 100 ms of CPU time/, handler: 'unhandled promise rejection',
  },
  {
    name: 'a rejection whose reason has a getter that loops',
    script: 'function onTouch() { var r = {}; Object.defineProperty(r, "message", { get: function () { for (;;) {} } }); Promise.reject(r) }',
    message: /stopped after 100 ms of CPU time|could not be read/, handler: 'unhandled promise rejection',
  },
];

const attackSource = (a: Attack) => src(`function installed() { subscribe(app, onTouch) }\n${a.script}`, {}, 'attacker');

function checkError(errors: readonly AppErrorRecord[], a: Attack, appId: string): void {
  const mine = errors.filter((e) => e.appId === appId);
  assert.ok(mine.length >= 1, `no error for ${appId}: ${JSON.stringify(errors)}`);
  assert.match(mine[0].message, a.message);
  assert.equal(mine[0].handler, a.handler);
  assert.equal(mine[0].appLabel, 'attacker');
  assert.deepEqual(errors.filter((e) => e.appId !== appId), [], 'the companion had no error');
}

describe('async faults are the app\'s own errors', () => {
  describe('in the engine', () => {
    for (const a of ATTACKS) {
      it(a.name, async () => {
        const t = makeThing({ cpuLimitMs: 100 });
        addStandardDevices(t.engine);
        const companion = t.engine.install({ source: COMPANION, config: { door: 'door' } }).id;
        const attacker = t.engine.install({ source: attackSource(a), config: {} }).id;
        t.engine.deviceEvent('door', 'contact', 'open');
        t.engine.touch(attacker);
        // Node reports unhandled rejections after the current task: give it one.
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
        t.engine.deviceEvent('door', 'contact', 'closed');
        checkError(t.rec.errors, a, attacker);
        assert.equal((t.engine.appInfo(companion).state as { seen: number }).seen, 2);
      });
    }
  });

  describe('through the worker process', function () {
    this.timeout(30_000);
    let t: TestRuntime | undefined;
    afterEach(async () => {
      await t?.rt.close();
      t = undefined;
    });
    for (const a of ATTACKS) {
      it(a.name, async () => {
        t = await startRuntime({ cpuLimitMs: 100 });
        for (const d of [DOOR, LAMP, LAMP2, BUTTON]) await t.rt.addDevice(d);
        const { rt, rec, workers } = t;
        const companion = (await rt.install({ source: COMPANION, config: { door: 'door' } })).id;
        const attacker = (await rt.install({ source: attackSource(a), config: {} })).id;
        await rt.deviceEvent('door', 'contact', 'open');
        await rt.touch(attacker);
        await until(() => rec.errors.length > 0, 'the attacker\'s error');
        await rt.deviceEvent('door', 'contact', 'closed');
        checkError(rec.errors, a, attacker);
        assert.equal(((await rt.appInfo(companion)).state as { seen: number }).seen, 2);
        // The worker process never stopped. (On a loaded machine the warden may stop the engine
        // thread a moment before the guard does: that is still the app's error, and loses nothing.)
        assert.deepEqual(workers.map((w) => w.change).filter((c) => c !== 'started' && c !== 'engine-restarted'), []);
      });
    }
  });
});
