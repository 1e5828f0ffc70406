/**
 * SmartPlugRuntime with process isolation: the worker bundle (dist/runtime/worker.js, `npm run build`)
 * runs under Node's permission model, and the host restores every app when it re-spawns it.
 * The worker runs on real time, so waits are generous and nothing asserts a duration.
 */
import assert from 'node:assert/strict';
import { ConfigError } from '../../../runtime/app/instance-config';
import { SourceError } from '../../../runtime/errors';
import { BUTTON, DOOR, fixture, LAMP, LAMP2, rejected, src, T0 } from '../engine/engine-helpers';
import { startRuntime, TestRuntime, until } from './host-helpers';
import type { InputSpec } from '../../../runtime/app';
import { assertFreshDist } from '../../support/fresh-dist';

const MIN = 60_000;
const BUTTON_INPUT: Record<string, InputSpec> = { button: { type: 'single_device_selector', name: 'Button' } };

describe('SmartPlugRuntime (process isolation)', function () {
  before(() => assertFreshDist());
  this.timeout(30_000);
  let t: TestRuntime | undefined;
  afterEach(async () => {
    await t?.rt.close();
    t = undefined;
  });

  async function startWithDevices(options: Parameters<typeof startRuntime>[0] = {}): Promise<TestRuntime> {
    t = await startRuntime(options);
    for (const d of [DOOR, LAMP, LAMP2, BUTTON]) await t.rt.addDevice(d);
    return t;
  }

  it('runs the worker under the permission model: reads, spawns and writes are denied', async () => {
    const { rt } = await startWithDevices();
    assert.equal(rt.isolation, 'process');
    assert.equal(typeof rt.workerPid, 'number');
    assert.notEqual(rt.workerPid, process.pid);
    // ... and it was given no environment to read; the engine thread, where apps run, offers an
    // escaped script no require, no module, no mainModule and no kill, binding or dlopen.
    assert.deepEqual(await rt.selfCheck(), {
      readFile: 'ERR_ACCESS_DENIED', spawn: 'ERR_ACCESS_DENIED', writeFile: 'ERR_ACCESS_DENIED', env: process.env.TZ ? ['TZ'] : [],
      engineThread: { env: [], reachable: [] },
    });
  });

  it('runs apps in the worker and reports their records to the host', async () => {
    const { rt, rec, appLogs } = await startWithDevices();
    const info = await rt.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp', timeout: 10 } });
    assert.equal(info.id, 'door-light-1');
    await rt.deviceEvent('door', 'contact', 'open');
    assert.deepEqual(rec.commands.map((c) => [c.appId, c.deviceId, c.command]), [[info.id, 'lamp', 'on']]);
    assert.equal(await rt.advance(10 * MIN), T0 + 10 * MIN);
    assert.deepEqual(rec.commands.map((c) => c.command), ['on', 'off']);
    assert.deepEqual(appLogs(), ['installed with timeout 10', 'light off after 10 minutes']);
    assert.deepEqual((await rt.devicesNow()).find((d) => d.id === 'lamp')!.attributes, { switch: 'off', level: 100 });
    assert.deepEqual((await rt.appInfo(info.id)).state, { opens: 1 });
  });

  it('carries SourceError and ConfigError across the process boundary with their problems', async () => {
    const { rt } = await startWithDevices();
    const syntax = await rejected(rt.install({ source: fixture('syntax-error'), config: {} }));
    assert.ok(syntax instanceof SourceError);
    assert.deepEqual(syntax.problems.map((p) => [p.line, p.column, p.code]), [[6, 26, 'script-syntax']]);
    const config = await rejected(rt.install({ source: fixture('door-light'), config: { door: 9 } }));
    assert.ok(config instanceof ConfigError);
    assert.equal(config.appName, 'door-light');
    assert.deepEqual(config.problems.map((p) => [p.path, p.code]), [[['lamp'], 'config-required']]);
    assert.deepEqual(await rt.listApps(), []);
    const other = await rejected(rt.appInfo('nope'));
    assert.equal(other.message, 'no installed app with id "nope"; installed: none');
  });

  it('restartWorker: state, pending jobs, subscriptions, mode, position and the virtual time survive', async () => {
    const { rt, rec, workers } = await startWithDevices();
    const info = await rt.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp', timeout: 10 } });
    await rt.deviceEvent('door', 'contact', 'open');
    await rt.setMode('Away');
    await rt.setPosition(59.33, 18.07);
    await rt.advance(5 * MIN); // nothing is due: no event carries this time to the host
    const pid = rt.workerPid;

    await rt.restartWorker('bundle sync');
    assert.notEqual(rt.workerPid, pid);
    assert.deepEqual(workers.map((w) => [w.change, w.reason, w.permissionModel]), [['restarted', 'bundle sync', true]]);
    assert.equal(await rt.now(), T0 + 5 * MIN);
    const after = await rt.appInfo(info.id);
    assert.deepEqual(after.state, { opens: 1 });
    assert.deepEqual(after.jobs.map((j) => [j.handler, j.at]), [['lightOff', T0 + 10 * MIN]]);
    assert.deepEqual(after.subscriptions, [{ kind: 'device', target: 'door', attribute: 'contact', value: 'open', handler: 'doorOpened' }]);
    assert.ok(rec.apps.some((a) => a.change === 'restored' && a.appId === info.id));

    // The pending job fires at its time, and the subscription still works.
    await rt.advance(5 * MIN);
    assert.deepEqual(rec.commands.map((c) => `${c.command}@${(c.time - T0) / MIN}`), ['on@0', 'off@10']);
    await rt.deviceEvent('door', 'contact', 'closed');
    await rt.deviceEvent('door', 'contact', 'open');
    assert.deepEqual((await rt.appInfo(info.id)).state, { opens: 2 });
    // Location survived too.
    const probe = await rt.install({ source: src('function installed() { state.l = [location.mode, location.latitude, location.longitude] }'), config: {} });
    assert.deepEqual((await rt.appInfo(probe.id)).state, { l: ['Away', 59.33, 18.07] });
  });

  it('in the worker: function handles\' commands, evt.function, and top-level mappings, which survive a restart', async () => {
    const { rt, rec, appLogs } = await startWithDevices();
    const input: Record<string, InputSpec> = {
      light: { type: 'single_function_selector', name: 'Light', filter: { type: 'switch' } },
      door: { type: 'single_function_selector', name: 'Door' },
    };
    const info = await rt.install({
      source: src(`mappings({ 'GET /light': 'lightState' })
function lightState() { return settings.light.currentValue() }
function installed() { subscribe(settings.door, opened) }
function opened(evt) {
  settings.light.on()
  try { evt.function.on() } catch (e) { log.info(e.message) }
  log.info(evt.function.type, evt.function.attribute, settings.light.currentValue())
}`, input),
      config: { light: 4456, door: 9 },
    });
    await rt.deviceEvent('door', 'contact', 'open');
    assert.deepEqual(rec.errors.map((e) => e.message), []);
    assert.deepEqual(appLogs(), ['function 9 (type "door", the contact of device "door") has no command on(); its commands: none (a sensor reports it; read it with currentValue())', 'door contact on']);
    assert.deepEqual(rec.commands.map((c) => [c.deviceId, c.command]), [['lamp', 'on']]);
    await rt.restartWorker('bundle sync');
    assert.deepEqual((await rt.appInfo(info.id)).routes, ['GET /light']);
    assert.deepEqual((await rt.callEndpoint(info.id, 'GET', '/light')).body, 'on');
  });

  it('restores an app installed just before the restart, with what its installed() subscribed', async () => {
    const { rt, rec } = await startWithDevices();
    const info = await rt.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp' } });
    await rt.restartWorker();
    assert.equal((await rt.appInfo(info.id)).subscriptions.length, 1);
    await rt.deviceEvent('door', 'contact', 'open');
    assert.deepEqual(rec.commands.map((c) => c.command), ['on']);
  });

  it('restores a child app its parent added in installed(), before the parent\'s install was answered', async () => {
    const { rt, rec } = await startWithDevices();
    await rt.registerPackage(src('function installed() { state.kid = 1 }', {}, 'kid'));
    const parent = await rt.install({ source: src('function installed() { addChildApp("kid", "Kid", {}) }', {}, 'parent'), config: {} });
    await rt.restartWorker();
    assert.deepEqual((await rt.listApps()).map((a) => [a.id, a.parentId ?? null, a.state]), [[parent.id, null, {}], [`${parent.id}.kid-1`, parent.id, { kid: 1 }]]);
    assert.deepEqual(rec.logs.filter((l) => l.level === 'error').map((l) => l.message), []);
  });

  it('restores parent and child apps, and the child devices of apps', async () => {
    const { rt } = await startWithDevices();
    await rt.registerPackage(fixture('room-rule'));
    const parent = await rt.install({ source: fixture('room-manager'), config: { lamp: 'lamp' } });
    const added = await rt.callEndpoint(parent.id, 'POST', '/rooms', { label: 'Kitchen' });
    assert.equal(added.status, 201);
    const kid = await rt.install({ source: src('function installed() { addChildDevice("kid-lamp", { label: "Kid lamp", capabilities: ["switch"] }) }', {}, 'maker'), config: {} });
    await rt.restartWorker();
    const apps = (await rt.listApps()).sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(apps.map((a) => [a.id, a.parentId, a.children]), [
      [kid.id, undefined, []],
      [parent.id, undefined, ['room-manager-1.room-rule-1']],
      ['room-manager-1.room-rule-1', parent.id, []],
    ]);
    const asked = await rt.callEndpoint(parent.id, 'GET', '/rooms');
    assert.deepEqual(asked.body, ['Kitchen controls Hall lamp (asked by room-manager)']);
    assert.ok((await rt.devicesNow()).some((d) => d.id === 'kid-lamp'));
  });

  it('a hang the guard cannot stop (catastrophic regex): the engine thread is stopped, the app named, and the apps work again', async () => {
    const { rt, workers, rec } = await startWithDevices({ cpuLimitMs: 200 });
    const info = await rt.install({
      source: src(`function installed() { subscribe(settings.button, "button", onPush) }
function onPush(evt) {
  state.n = (state.n || 0) + 1;
  if (evt.value === "held") /(a+)+$/.test("a".repeat(40) + "!");
}`, BUTTON_INPUT),
      config: { button: 'button' },
    });
    const pid = rt.workerPid;
    await rt.deviceEvent('button', 'button', 'pushed');
    // The call is answered: delivered again to the restored apps, not to the one that hung.
    await rt.deviceEvent('button', 'button', 'held');
    assert.deepEqual(workers.map((w) => w.change), ['engine-restarted']);
    assert.equal(rt.workerPid, pid, 'the worker process lived on');
    assert.deepEqual(rec.errors.map((e) => [e.appId, e.handler]), [[info.id, 'onPush']]);
    assert.match(rec.errors[0].message, /^onPush: stopped after 200 ms of CPU time: it ran past its CPU limit in code the execution guard cannot interrupt/);
    // The state of the last completed execution is back, and events are handled again.
    assert.deepEqual((await rt.appInfo(info.id)).state, { n: 1 });
    await rt.deviceEvent('button', 'button', 'double');
    assert.deepEqual((await rt.appInfo(info.id)).state, { n: 2 });
  });

  it('a worker that stops beating (stopped from outside) is killed, re-spawned and restored, and the call in flight is delivered', async () => {
    const { rt, workers } = await startWithDevices({ hangTimeoutMs: 1000 });
    const info = await rt.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp' } });
    const pid = rt.workerPid!;
    process.kill(pid, 'SIGSTOP');
    await rt.deviceEvent('door', 'contact', 'open');
    assert.deepEqual(workers.map((w) => [w.change, w.pid === pid]), [['unresponsive', true], ['restarted', false]]);
    assert.match(workers[0].reason ?? '', /^the worker sent no sign of life for \d+ ms$/);
    assert.deepEqual((await rt.appInfo(info.id)).state, { opens: 1 });
  });

  it('a worker killed from outside is re-spawned and restored', async () => {
    const { rt, workers } = await startWithDevices();
    const info = await rt.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp' } });
    await rt.deviceEvent('door', 'contact', 'open');
    const pid = rt.workerPid!;
    process.kill(pid, 'SIGKILL');
    await until(() => workers.some((w) => w.change === 'restarted'), 'the restart');
    assert.deepEqual(workers.map((w) => [w.change, w.pid === pid]), [['exited', true], ['restarted', false]]);
    assert.equal(workers[0].reason, 'code null, signal SIGKILL');
    assert.deepEqual((await rt.appInfo(info.id)).state, { opens: 1 });
    assert.equal((await rt.appInfo(info.id)).jobs.length, 1);
  });

  it('a call in flight each time the worker process ended, with no app to name, is answered with an error, and the Thing goes on', async () => {
    const { rt, workers } = await startWithDevices({ cpuLimitMs: 10_000 });
    const info = await rt.install({
      source: src('function installed() { subscribe(settings.button, "button", onPush) }\nfunction onPush(evt) { state.n = (state.n || 0) + 1; if (evt.value === "held") for (var i = 0; i < 2e9; i++) {} }', BUTTON_INPUT),
      config: { button: 'button' },
    });
    // Its outcome is taken at once: the refusal may come while the second re-spawn is restoring.
    const outcome = rt.deviceEvent('button', 'button', 'held').then(() => 'answered', (e: Error) => e.message);
    // Killed from outside twice while the call runs: nothing names an app.
    for (let kill = 0; kill < 2; kill++) {
      await new Promise((r) => setTimeout(r, 300));
      process.kill(rt.workerPid!, 'SIGKILL');
      await until(() => workers.filter((w) => w.change === 'restarted').length > kill, 'the re-spawn');
    }
    assert.match(await outcome, /^the runtime worker ended 2 times while this deviceEvent call was being handled, with no app to name; it was not delivered again$/);
    await rt.deviceEvent('button', 'button', 'pushed');
    assert.deepEqual((await rt.appInfo(info.id)).state, { n: 1 });
  });

  it('keeps the sandbox walls in the bundled worker: no host caller, no stack frames, no code generation', async () => {
    const { rt } = await startWithDevices();
    const info = await rt.install({
      source: src(`function installed() {
  var r = [];
  var probe = { valueOf: function () { r.push(String(arguments.callee.caller)); return 2 } };
  settings.lamp.events({ max: probe });
  var E = Error;
  try { globalThis.Error = { prepareStackTrace: function (e, frames) { return frames } } } catch (e) { r.push(e.name) }
  r.push(typeof new E("x").stack);
  try { r.push(typeof this.constructor.constructor("return process")()) } catch (e) { r.push(e.name) }
  state.r = r;
}`, { lamp: { type: 'single_device_selector', name: 'Lamp' } }),
      config: { lamp: 'lamp' },
    });
    assert.deepEqual((await rt.appInfo(info.id)).state, { r: ['null', 'string', 'EvalError'] });
  });
});
