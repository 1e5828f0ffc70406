import assert from 'node:assert/strict';
import { addStandardDevices, makeThing, src, T0 } from './engine-helpers';
import type { InputSpec } from '../../../runtime/app';

const INPUTS: Record<string, InputSpec> = { lamp: { type: 'single_device_selector', name: 'Lamp' } };
const SCRIPT = `function installed() {
  state.boots = 1;
  subscribe(settings.lamp, "switch", onSwitch);
  subscribe(location, "mode", function (e) { log.info("anonymous mode handler") });
  runIn(60, "soon");
  runIn(3600, later);
  mappings({ "GET /state": getState });
  addChildDevice("kid", { label: "Kid lamp", capabilities: ["switch"] });
}
function onSwitch(e) { state.last = e.value + "@" + (e.date.getTime() - ${T0}) }
function soon() { log.info("soon at", new Date().toISOString()) }
function later() { log.info("later at", new Date().toISOString()) }
function getState() { return state }`;

describe('ThingEngine restore (re-creating an app after a worker re-spawn)', () => {
  it('brings back state, named subscriptions, jobs, routes and child devices without calling installed()', () => {
    const a = makeThing();
    addStandardDevices(a.engine);
    const id = a.engine.install({ source: src(SCRIPT, INPUTS), config: { lamp: 'lamp' } }).id;
    a.engine.deviceEvent('lamp', 'switch', 'on');
    const snap = a.engine.snapshot(id);
    assert.deepEqual(snap.state, '{"boots":1,"last":"on@0"}');
    assert.deepEqual(snap.subscriptions.map((s) => s.handler), ['onSwitch', '#0']);

    // A new worker, two minutes later: the 60 s job is overdue, the hour job is not.
    const b = makeThing({ start: T0 + 120_000 });
    addStandardDevices(b.engine);
    const info = b.engine.install({ source: src(SCRIPT, INPUTS), config: { lamp: 'lamp' }, id, restore: snap });
    assert.equal(info.id, id);
    assert.deepEqual(b.rec.apps.map((r) => r.change), ['restored']);
    assert.deepEqual(b.rec.executions, []);
    assert.deepEqual(info.state, { boots: 1, last: 'on@0' });
    assert.deepEqual(info.subscriptions, [{ kind: 'device', target: 'lamp', attribute: 'switch', value: undefined, handler: 'onSwitch' }]);
    assert.deepEqual(info.jobs.map((j) => [j.handler, j.at]), [['soon', T0 + 120_000], ['later', T0 + 3_600_000]]);
    assert.deepEqual(info.routes, ['GET /state']);
    assert.deepEqual(b.runtimeLogs('warn', id), [
      'after the restart these could not be restored because their handler was an anonymous function: subscription to location mode. Pass named functions (or their names) as handlers',
    ]);
    assert.ok(b.engine.devices.get('kid'));

    b.clock.advance(0);
    assert.deepEqual(b.appLogs(), [`soon at ${new Date(T0 + 120_000).toISOString()}`]);
    b.engine.deviceEvent('lamp', 'switch', 'on');
    assert.deepEqual(b.engine.callEndpoint(id, 'GET', '/state').body, { boots: 1, last: 'on@120000' });
    b.clock.advance(3_600_000);
    assert.deepEqual(b.appLogs().at(-1), `later at ${new Date(T0 + 3_600_000).toISOString()}`);
  });

  it('routes: new code that declares other routes at its top level keeps them; the same code gets back the routes it set at run time', () => {
    const v1 = `mappings({ "GET /a": a });
function installed() { mappings({ "GET /a": a, "GET /extra": a }) }
function a() { return 1 }`;
    const a = makeThing();
    addStandardDevices(a.engine);
    const id = a.engine.install({ source: src(v1), config: {} }).id;
    assert.deepEqual(a.engine.appInfo(id).routes, ['GET /a', 'GET /extra']);
    const snap = a.engine.snapshot(id);
    // The same code (a worker crash): the routes installed() set come back.
    const same = makeThing();
    addStandardDevices(same.engine);
    assert.deepEqual(same.engine.install({ source: src(v1), config: {}, id, restore: snap }).routes, ['GET /a', 'GET /extra']);
    // New code (a Bundle Sync) declaring other routes: its own declaration, as a mappings section is.
    const v2 = v1.replace('mappings({ "GET /a": a });', 'mappings({ "GET /a": a, "GET /b": a });');
    const upgraded = makeThing();
    addStandardDevices(upgraded.engine);
    assert.deepEqual(upgraded.engine.install({ source: src(v2), config: {}, id, restore: snap }).routes, ['GET /a', 'GET /b']);
    // A snapshot of an older runtime (no declared routes in it) restores its routes as before.
    const { declaredRoutes: _gone, ...old } = snap;
    const older = makeThing();
    addStandardDevices(older.engine);
    assert.deepEqual(older.engine.install({ source: src(v2), config: {}, id, restore: old }).routes, ['GET /a', 'GET /extra']);
  });

  it('a restore whose child device id is taken fails without leaving devices behind', () => {
    const a = makeThing();
    addStandardDevices(a.engine);
    const id = a.engine.install({ source: src(SCRIPT, INPUTS), config: { lamp: 'lamp' } }).id;
    const snap = a.engine.snapshot(id);
    const b = makeThing();
    addStandardDevices(b.engine);
    b.engine.addDevice({ id: 'kid', label: 'Someone else', capabilities: ['switch'] });
    const snap2 = { ...snap, childDevices: [{ id: 'kid2', label: 'K2', capabilities: ['switch'] }, ...snap.childDevices] };
    assert.throws(() => b.engine.install({ source: src(SCRIPT, INPUTS), config: { lamp: 'lamp' }, id, restore: snap2 }), { message: "a device with id 'kid' already exists" });
    assert.equal(b.engine.devices.get('kid2'), undefined);
    assert.equal(b.engine.devices.get('kid')!.label, 'Someone else');
  });
});
