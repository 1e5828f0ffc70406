/**
 * Many Things per worker: each a ThingEngine with its own devices, clock and apps; calls and records
 * carry their Thing; app ids are unique across Things; a fault in one Thing's app leaves the other
 * Things' apps running with every event; a worker may speak only for its own Things and apps.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import type { EngineSettings } from '../../../runtime/host/protocol';
import { Thing } from '../../../runtime/host/thing';
import { WorkerPool } from '../../../runtime/host/worker-pool';
import type { AppErrorRecord, LogRecord } from '../../../runtime/engine/records';
import { DOOR, src, T0 } from '../engine/engine-helpers';
import { assertFreshDist } from '../../support/fresh-dist';

const DOOR_INPUT: Record<string, InputSpec> = { door: { type: 'single_device_selector', name: 'Door' } };
const COUNTER = src(`function installed() { subscribe(settings.door, "contact", onContact) }
function onContact(evt) { state.seen = (state.seen || 0) + 1; state.last = evt.value }`, DOOR_INPUT, 'counter');
const SETTINGS: EngineSettings = { clock: 'virtual', start: T0, cpuLimitMs: 200 };

function newThing(pool: WorkerPool, id: string): Promise<Thing> {
  return pool.addThing(id, SETTINGS, (thingId, settings, transport, newAppId) => new Thing(thingId, settings, transport, newAppId));
}

describe('WorkerPool: many Things per worker', function () {
  before(() => assertFreshDist());
  this.timeout(60_000);
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('keeps Things apart in one worker: same device ids, their own apps, records on their own Thing, app ids unique across Things', async () => {
    pool = new WorkerPool({ cpuLimitMs: 200 });
    const things = await Promise.all(['kitchen', 'garage', 'porch'].map((id) => newThing(pool!, id)));
    assert.equal(new Set(things.map((t) => pool!.pidOf(t.id))).size, 1, 'one worker process');
    const logs = new Map<string, string[]>();
    const ids: string[] = [];
    for (const t of things) {
      logs.set(t.id, []);
      t.on('log', (l) => logs.get(t.id)!.push(l.appId));
      await t.addDevice(DOOR);
      ids.push((await t.install({ source: COUNTER, config: { door: 'door' } })).id);
    }
    assert.equal(new Set(ids).size, 3, `app ids are unique: ${ids}`);
    await things[0].deviceEvent('door', 'contact', 'open');
    await things[0].deviceEvent('door', 'contact', 'closed');
    await things[2].deviceEvent('door', 'contact', 'open');
    assert.deepEqual((await things[0].appInfo(ids[0])).state, { seen: 2, last: 'closed' });
    assert.deepEqual((await things[1].appInfo(ids[1])).state, {});
    assert.deepEqual((await things[2].appInfo(ids[2])).state, { seen: 1, last: 'open' });
    // A Thing answers only for its own apps.
    await assert.rejects(things[1].appInfo(ids[0]), /no installed app with id/);
    assert.deepEqual((await things[1].devicesNow()).map((d) => [d.id, d.attributes.contact]), [['door', 'closed']]);
  });

  it('a runaway app of one Thing: that Thing\'s app is named, and every Thing of the worker is restored with no event lost', async () => {
    pool = new WorkerPool({ cpuLimitMs: 200 });
    const [a, b] = [await newThing(pool, 'a'), await newThing(pool, 'b')];
    const errors: [string, AppErrorRecord][] = [];
    for (const t of [a, b]) {
      t.on('appError', (e) => errors.push([t.id, e]));
      await t.addDevice(DOOR);
    }
    const attacker = (await a.install({ source: src('function installed() { subscribe(app, onTouch) }\nfunction onTouch() { /(a+)+$/.test("a".repeat(40) + "!") }', {}, 'attacker'), config: {} })).id;
    const counterA = (await a.install({ source: COUNTER, config: { door: 'door' } })).id;
    const counterB = (await b.install({ source: COUNTER, config: { door: 'door' } })).id;
    await Promise.all([a.touch(attacker), a.deviceEvent('door', 'contact', 'open'), b.deviceEvent('door', 'contact', 'open'), b.deviceEvent('door', 'contact', 'closed')]);
    assert.deepEqual(errors.map(([t, e]) => [t, e.appId, e.handler]), [['a', attacker, 'onTouch']]);
    assert.deepEqual((await a.appInfo(counterA)).state, { seen: 1, last: 'open' });
    assert.deepEqual((await b.appInfo(counterB)).state, { seen: 2, last: 'closed' });
  });

  it('moves a Thing onto a debug worker of its own and back: its apps keep their state, its neighbours are not touched, its inspector is reached', async () => {
    pool = new WorkerPool({ cpuLimitMs: 200 });
    const [a, b] = [await newThing(pool, 'a'), await newThing(pool, 'b')];
    const ids: string[] = [];
    for (const t of [a, b]) {
      await t.addDevice(DOOR);
      ids.push((await t.install({ source: COUNTER, config: { door: 'door' } })).id);
      await t.deviceEvent('door', 'contact', 'open');
    }
    const shared = pool.pidOf('a');
    assert.equal(pool.permissionModelOf('a'), true);
    const fromInspector: string[] = [];
    let attached = 0;
    // An event sent while the Thing moves waits for the move, and reaches it on its new worker.
    let during: Promise<void> | undefined;
    setImmediate(() => (during = a.deviceEvent('door', 'contact', 'closed')));
    await pool.isolate('a', (m, to) => {
      if (m.kind === 'inspector') {
        fromInspector.push(m.message);
        // A new engine thread stops on its first line once told to run (a debugger lets it go on).
        if (m.message.includes('"Debugger.paused"')) to(JSON.stringify({ id: 3, method: 'Debugger.resume', params: {} }));
        return;
      }
      attached++;
      // The debug worker's engine thread waits for its debugger before it runs anything.
      to(JSON.stringify({ id: 1, method: 'Debugger.enable', params: {} }));
      to(JSON.stringify({ id: 2, method: 'Runtime.runIfWaitingForDebugger' }));
    }, (journal) => {
      const app = journal.apps.get(ids[0])!;
      app.request = { ...app.request, source: { ...app.request.source, scriptFile: '/smartplug/a/1/app.js' } };
    });
    assert.equal(attached, 1);
    assert.notEqual(pool.pidOf('a'), shared);
    assert.equal(pool.pidOf('b'), shared, 'the neighbour stays where it was');
    assert.equal(pool.permissionModelOf('a'), false, 'the inspector needs the permission model off');
    assert.ok(fromInspector.some((m) => m.includes('"Debugger.scriptParsed"') && m.includes('file:///smartplug/a/1/app.js')), 'the app\'s script is parsed under the name the edit gave it');
    await during;
    await a.deviceEvent('door', 'contact', 'open');
    assert.deepEqual((await a.appInfo(ids[0])).state, { seen: 3, last: 'open' });
    // Only one debugger per Thing.
    await assert.rejects(pool.isolate('a', () => undefined), /a worker of its own already/);
    // A new Thing never lands on the debug worker.
    const c = await newThing(pool, 'c');
    assert.equal(pool.pidOf('c'), shared);
    const reunited = pool.reunite('a');
    const duringReunite = a.deviceEvent('door', 'contact', 'closed');
    await reunited;
    await duringReunite;
    assert.equal(pool.pidOf('a'), shared);
    assert.equal(pool.permissionModelOf('a'), true);
    await a.deviceEvent('door', 'contact', 'open');
    assert.deepEqual((await a.appInfo(ids[0])).state, { seen: 5, last: 'open' });
    assert.deepEqual((await b.appInfo(ids[1])).state, { seen: 1, last: 'open' });
    await c.addDevice(DOOR);
    await assert.rejects(pool.reunite('a'), /not on a worker of its own/);
  });

  it('places Things on a new worker once one is full', async () => {
    pool = new WorkerPool({ thingsPerWorker: 2 });
    const things = await Promise.all(['t1', 't2', 't3'].map((id) => newThing(pool!, id)));
    const pids = things.map((t) => pool!.pidOf(t.id));
    assert.equal(pids[0], pids[1]);
    assert.notEqual(pids[0], pids[2]);
  });

  it('a worker speaks only for its own Things and apps: other records are dropped, and said so once', async () => {
    pool = new WorkerPool();
    const t = await newThing(pool, 'own');
    const logs: LogRecord[] = [];
    const seen: string[] = [];
    t.on('log', (l) => logs.push(l));
    t.on('notification', (n) => seen.push(n.appId));
    await t.addDevice(DOOR);
    const mine = (await t.install({ source: COUNTER, config: { door: 'door' } })).id;
    // What an escaped worker could send: records in another app's name, and for another Thing.
    t.receive({ batch: [['notification', { time: T0, appId: 'someone-elses-app', appLabel: 'x', outputId: 1, message: 'forged' }], ['notification', { time: T0, appId: mine, appLabel: 'counter', outputId: 1, message: 'real' }]] });
    t.receive({ batch: [['persist', { appId: 'another-app', snapshot: { state: '{}', subscriptions: [], jobs: [], routes: [], childDevices: [] } }]] });
    assert.deepEqual(seen, [mine]);
    assert.equal(logs.filter((l) => /does not have; it was dropped/.test(l.message)).length, 1);
    // The pool's supervisor hears each worker's records (its private onEvents, reached as a worker would).
    const inside = pool as unknown as { slots: unknown[]; supervisor: { onEvents(slot: unknown, worker: { pid: number }, m: unknown): void } };
    inside.supervisor.onEvents(inside.slots[0], { pid: 1 }, { kind: 'events', thing: 'not-hosted-here', batch: [] });
    assert.ok(logs.some((l) => /sent records for a Thing it does not host \("not-hosted-here"\)/.test(l.message)));
  });
});
