/**
 * Issue 13, "limits that can be walked around": each attack below got past a limit of the runtime.
 * Every attack runs beside a well-behaved companion app on the same Thing, which must still see
 * every one of its events.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import { ScriptServices } from '../../../runtime/engine/script-services';
import { addStandardDevices, fixture, makeThing, src, T0, TestThing } from './engine-helpers';

const SENSOR_INPUT: Record<string, InputSpec> = { sensor: { type: 'single_device_selector', name: 'Sensor' } };

/** The well-behaved app: counts every temperature report of the thermometer. */
const COMPANION = `function installed() { subscribe(settings.sensor, "temperature", onTemperature) }
function onTemperature(evt) { state.seen = (state.seen || 0) + 1 }`;

function installCompanion(t: TestThing): string {
  return t.engine.install({ source: src(COMPANION, SENSOR_INPUT, 'companion'), config: { sensor: 'thermo' } }).id;
}

let reading = 0;
/** n temperature reports, each one a change (21, 22, 21, …). */
function feed(t: TestThing, n: number): void {
  for (let i = 0; i < n; i++) t.engine.deviceEvent('thermo', 'temperature', 21 + (reading++ % 2));
}

function seen(t: TestThing, companion: string): unknown {
  return (t.engine.appInfo(companion).state as { seen?: number }).seen;
}

/** A Thing with the standard devices and the companion installed. */
function thing(options: Parameters<typeof makeThing>[0] = {}): { t: TestThing; companion: string } {
  const t = makeThing(options);
  addStandardDevices(t.engine);
  return { t, companion: installCompanion(t) };
}

const WINDOW_END = new Date(T0 + 60_000).toISOString();

describe('walk-around limits (issue 13)', () => {
  describe('1. every execution counts against the rate limit, lifecycle callbacks too', () => {
    it('a parent adding and deleting child apps from childUninstalled() stops at 250 executions', () => {
      const { t, companion } = thing();
      feed(t, 3);
      t.engine.registerPackage(src('function installed() {}\nfunction uninstalled() {}', {}, 'kid'));
      const parent = t.engine.install({
        source: src(`function installed() { spawn() }
function childUninstalled(child) { spawn() }
function spawn() {
  state.n = (state.n || 0) + 1
  if (state.n > 400) return // so that the loop ends on a runtime without the limit, too
  deleteChildApp(addChildApp("kid", "Kid " + state.n, {}).id)
}`, {}, 'looper'),
        config: {},
      }).id;
      feed(t, 3);
      const runs = t.rec.executions.filter((e) => e.appId === parent);
      assert.equal(runs.filter((e) => e.outcome === 'ok').length, 250);
      assert.deepEqual(runs.filter((e) => e.outcome === 'rate-limited').map((e) => e.kind), ['childUninstalled']);
      assert.deepEqual(t.engine.appInfo(parent).state, { n: 250 });
      assert.deepEqual(t.engine.appInfo(parent).children, [], 'the last child was removed although its parent was told nothing');
      assert.deepEqual(t.runtimeLogs(undefined, parent), [
        `rate limited: 250 executions in 60 s reached; executions are dropped until ${WINDOW_END}`,
        `childUninstalled() was not run for "Kid 250": this app is rate limited (250 executions in 60 s) until ${WINDOW_END}; the child app was removed anyway`,
      ]);
      assert.equal(seen(t, companion), 6);
    });

    it('over the limit, updated() and uninstalled() are dropped like any execution; the uninstall completes anyway', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`function installed() { subscribe(app, onTouch); subscribe(settings.sensor, "temperature", onTemperature); addChildDevice("kid", { capabilities: ["switch"] }) }
function onTouch() {}
function onTemperature() {}
function updated() { log.info("updated ran") }
function uninstalled() { log.info("uninstalled ran") }`, SENSOR_INPUT, 'spender'),
        config: { sensor: 'thermo' },
      }).id;
      for (let i = 0; i < 249; i++) t.engine.touch(id); // with installed(), the whole budget
      feed(t, 2);
      t.engine.update(id, { sensor: 'thermo' });
      t.engine.uninstall(id);
      assert.deepEqual(t.appLogs(id), []);
      assert.deepEqual(t.runtimeLogs('warn', id), [
        `updated() was not run: this app is rate limited (250 executions in 60 s) until ${WINDOW_END}; the new config is in place, but what updated() sets up from it was not done. Update the app again after that`,
        `uninstalled() was not run: this app is rate limited (250 executions in 60 s) until ${WINDOW_END}; the app was removed anyway, with its subscriptions, jobs and child devices`,
      ]);
      assert.deepEqual(t.engine.listApps().map((a) => a.id), [companion]);
      assert.equal(t.engine.devices.get('kid'), undefined);
      assert.deepEqual(t.engine.subs.ofApp(id), []);
      feed(t, 2);
      assert.equal(seen(t, companion), 4);
    });
  });

  describe('2. the host measures and checks the state text it receives', () => {
    it('replacing JSON.stringify cannot pass a big state off as a small one', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`var touches = 0
function installed() { subscribe(app, onTouch) }
function onTouch() {
  if (++touches > 1) return log.info("keys:", Object.keys(state).join() || "none")
  var text = JSON.stringify({ big: "x".repeat(200000) })
  JSON.stringify = function () { return [text] } // its length, 1, is under the limit
  JSON.parse = function () { return {} }
  state.big = "x".repeat(200000)
}`, {}, 'liar'),
        config: {},
      }).id;
      t.engine.touch(id);
      feed(t, 2);
      t.engine.touch(id);
      assert.deepEqual(t.rec.errors.map((e) => [e.appId, e.handler, e.message]), [[id, 'onTouch', 'state is 200010 characters of JSON; the limit is 100000. It was not saved']]);
      assert.deepEqual(t.engine.appInfo(id).state, {});
      assert.equal(t.rec.persists.filter((p) => p.appId === id).at(-1)!.snapshot.state, '{}');
      assert.deepEqual(t.appLogs(id), ['keys: none'], 'the script sees the last saved state again');
      assert.equal(seen(t, companion), 2);
    });

    it('a script replacing JSON.* cannot make the runtime save text that is not JSON, nor see state that was not saved', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`var touches = 0
function installed() { subscribe(app, onTouch) }
function onTouch() {
  if (++touches > 1) return log.info("keys:", Object.keys(state).join())
  JSON.stringify = function () { return "{not json" }
  JSON.parse = function () { return { injected: true } }
  state.count = 1
}`, {}, 'breaker'),
        config: {},
      }).id;
      t.engine.touch(id);
      feed(t, 2);
      t.engine.touch(id);
      assert.deepEqual(t.rec.errors, []);
      assert.deepEqual(t.engine.appInfo(id).state, { count: 1 });
      assert.deepEqual(t.appLogs(id), ['keys: count']);
      assert.equal(seen(t, companion), 2);
    });

    it('a toJSON method that makes the state JSON something other than an object is refused', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`function installed() { state.kept = true; subscribe(app, onTouch) }
function onTouch() { state.count = 1; state.toJSON = function () { return [1, 2] } }`, {}, 'shape-shifter'),
        config: {},
      }).id;
      t.engine.touch(id);
      feed(t, 2);
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message]), [['onTouch', 'state must be saved as JSON of an object, but its JSON is an array (does it have a toJSON method?); it was not saved']]);
      assert.deepEqual(t.engine.appInfo(id).state, { kept: true });
      assert.equal(seen(t, companion), 2);
    });

    it('a web-service response that is not a response object answers 500 instead of failing the call', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`function installed() { mappings({ "GET /x": x }) }
function x() {
  // The runtime wraps the result as { data: … }: this turns the wrapper's JSON into null.
  Object.prototype.toJSON = function () { return "data" in this ? null : this }
  return { a: 1 }
}`, {}, 'responder'),
        config: {},
      }).id;
      const r = t.engine.callEndpoint(id, 'GET', '/x');
      feed(t, 2);
      assert.equal(r.status, 500);
      assert.deepEqual(r.body, { error: true, type: 'SmartAppException', message: "the handler's response could not be read (does its data, or Object.prototype, have a toJSON method?)" });
      assert.deepEqual(t.rec.errors, []);
      assert.equal(seen(t, companion), 2);
    });

    it('the host refuses state text that is over the limit, not JSON, or not an object, whatever the prelude sent', () => {
      const { t, companion } = thing();
      const id = t.engine.install({ source: src('function installed() { state.kept = 1 }', {}, 'target'), config: {} }).id;
      const app = t.engine.apps.get(id)!;
      t.engine.persistState(app, `{"a":"${'x'.repeat(100_000)}"}`, 'h1');
      t.engine.persistState(app, '{"a":', 'h2');
      t.engine.persistState(app, '7', 'h3');
      t.engine.persistState(app, { length: 2, toString: () => '{}' }, 'h4');
      feed(t, 2);
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message]), [
        ['h1', 'state is 100008 characters of JSON; the limit is 100000. It was not saved'],
        ['h2', 'state is not valid JSON; it was not saved'],
        ['h3', 'state must be saved as JSON of an object, but its JSON is a number (does it have a toJSON method?); it was not saved'],
        ['h4', 'state has no JSON text (the runtime received an object); it was not saved'],
      ]);
      assert.deepEqual(t.engine.appInfo(id).state, { kept: 1 });
      assert.equal(seen(t, companion), 2);
    });
  });

  describe('3. output per execution and per window is capped, on the host side', () => {
    const cut = (what: string) =>
      `output cut: ${what} dropped; an app may write 100 log records and send 20 notifications per execution, and 1000 and 100 in 60 s, each message at most 8192 characters. Log a summary instead of a line per item`;

    it('one execution sending 30,000 logs and 30,000 notifications gets 100 and 20, and one warning', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`function installed() { subscribe(settings.sensor, "temperature", flood) }
function flood(evt) { for (var i = 0; i < 30000; i++) { log.info("line " + i); sendNotification(7, "note " + i) } }`, SENSOR_INPUT, 'flooder'),
        config: { sensor: 'thermo' },
      }).id;
      feed(t, 2);
      assert.equal(t.appLogs(id).length, 200);
      assert.deepEqual(t.appLogs(id).slice(99, 101), ['line 99', 'line 0']);
      assert.equal(t.rec.notifications.length, 40);
      assert.deepEqual(t.runtimeLogs('warn', id), [cut('29900 log records and 29980 notifications were'), cut('29900 log records and 29980 notifications were')]);
      assert.equal(seen(t, companion), 2);
    });

    it('cuts a long log or notification message at 8192 characters, with a marker', () => {
      const { t, companion } = thing();
      t.engine.install({
        source: src(`function installed() { subscribe(settings.sensor, "temperature", talk) }
function talk(evt) { log.info("y".repeat(100000)); sendNotification(7, "z".repeat(50000)) }`, SENSOR_INPUT, 'talker'),
        config: { sensor: 'thermo' },
      });
      feed(t, 1);
      // Compared by length and end, so that a failure does not print 100,000 characters.
      const ends = (text: string) => [text.length, text.slice(8190)];
      const marker = (n: number) => ` …[${n} more characters cut: a message is at most 8192 characters]`;
      assert.deepEqual(ends(t.appLogs()[0]), [8192 + marker(91808).length, 'yy' + marker(91808)]);
      assert.deepEqual(ends(t.rec.notifications[0].message), [8192 + marker(41808).length, 'zz' + marker(41808)]);
      assert.equal(seen(t, companion), 1);
    });

    it('per 60 s window: 1000 log records and 100 notifications; the cut is said once per window', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`function installed() { subscribe(app, onTouch) }
function onTouch() { for (var i = 0; i < 100; i++) log.info("line"); for (var j = 0; j < 20; j++) sendNotification(7, "note") }`, {}, 'steady'),
        config: {},
      }).id;
      for (let i = 0; i < 12; i++) {
        t.engine.touch(id);
        feed(t, 1);
      }
      assert.equal(t.appLogs(id).length, 1000);
      assert.equal(t.rec.notifications.length, 100);
      assert.deepEqual(t.runtimeLogs('warn', id), [cut('20 notifications were')]);
      t.clock.advance(60_000);
      t.engine.touch(id);
      feed(t, 1);
      assert.equal(t.appLogs(id).length, 1100);
      assert.equal(t.rec.notifications.length, 120);
      assert.deepEqual(t.runtimeLogs('warn', id), [cut('20 notifications were'), cut('200 log records and 120 notifications were')]);
      assert.equal(seen(t, companion), 13);
    });

    it('the caps are kept by ScriptServices, the host side of the bridge, whatever the prelude sends', () => {
      const { t, companion } = thing();
      const id = t.engine.install({ source: src('function installed() {}', {}, 'direct'), config: {} }).id;
      const app = t.engine.apps.get(id)!;
      const services = new ScriptServices(t.engine, {
        installChild: () => assert.fail('not used'), uninstallLater: () => undefined, onSubscriptionsChanged: () => undefined, endpointResponse: () => undefined,
      });
      app.current = { execId: 1000, handler: 'direct', kind: 'touch' };
      for (let i = 0; i < 150; i++) services.log(app, 'info', 'x');
      for (let i = 0; i < 30; i++) services.notify(app, 7, 'n');
      app.current = undefined;
      assert.equal(t.appLogs(id).length, 100);
      assert.equal(t.rec.notifications.length, 20);
      feed(t, 1);
      assert.deepEqual(t.runtimeLogs('warn', id), [cut('50 log records and 10 notifications were')]);
      assert.equal(seen(t, companion), 1);
    });
  });

  describe('4. child apps and child devices are capped', () => {
    it('an app may have 20 child apps', () => {
      const { t, companion } = thing();
      t.engine.registerPackage(src('function installed() {}', {}, 'kid'));
      const parent = t.engine.install({
        source: src(`function installed() {
  for (var i = 1; i <= 25; i++) {
    try { addChildApp("kid", "Kid " + i, {}) } catch (e) { state.error = e.message; break }
  }
}`, {}, 'breeder'),
        config: {},
      }).id;
      feed(t, 2);
      assert.equal(t.engine.appInfo(parent).children.length, 20);
      assert.deepEqual(t.engine.appInfo(parent).state, {
        error: 'addChildApp: this app already has 20 child apps (their own children count too); the limit is 20. Delete one with deleteChildApp(id) first, or reuse one (getChildAppByLabel)',
      });
      assert.equal(seen(t, companion), 2);
    });

    it('children of children count against the app the user installed', () => {
      const { t, companion } = thing();
      const nest = src(`function installed() { if (settings.depth < 30) addChildApp("nest", "Nest " + (settings.depth + 1), { depth: settings.depth + 1 }) }`,
        { depth: { type: 'number', name: 'Depth' } }, 'nest');
      t.engine.registerPackage(nest);
      t.engine.install({ source: nest, config: { depth: 0 }, label: 'Nest root' });
      feed(t, 2);
      assert.equal(t.engine.listApps().length, 1 + 1 + 20);
      assert.deepEqual(t.rec.errors.map((e) => [e.appLabel, e.message]), [
        ['Nest 20', 'addChildApp: "Nest root", the app this one belongs to, already has 20 child apps (their own children count too); the limit is 20. Delete one with deleteChildApp(id) first, or reuse one (getChildAppByLabel)'],
      ]);
      assert.equal(seen(t, companion), 2);
    });

    it('an app may have 100 child devices', () => {
      const { t, companion } = thing();
      const id = t.engine.install({
        source: src(`function installed() {
  for (var i = 1; i <= 105; i++) {
    try { addChildDevice("plug-" + i, { capabilities: ["switch"] }) } catch (e) { state.error = e.message; break }
  }
}`, {}, 'plugger'),
        config: {},
      }).id;
      feed(t, 2);
      assert.equal(t.engine.devices.all().filter((d) => d.meta.app_id === id).length, 100);
      assert.deepEqual(t.engine.appInfo(id).state, {
        error: 'addChildDevice: this app already has 100 child devices; the limit is 100. Delete one with deleteChildDevice(id) first',
      });
      assert.equal(seen(t, companion), 2);
    });
  });

  describe('5. the rate window survives a worker re-spawn', () => {
    it('is in the snapshot and restored: a new worker does not hand the app a fresh budget', () => {
      const a = thing();
      const script = 'function installed() { subscribe(app, onTouch) }\nfunction onTouch() {}'; // no state change
      const id = a.t.engine.install({ source: src(script, {}, 'spender'), config: {} }).id;
      for (let i = 0; i < 260; i++) a.t.engine.touch(id);
      feed(a.t, 2);
      const snap = a.t.rec.persists.filter((p) => p.appId === id).at(-1)!.snapshot;
      assert.deepEqual(snap.rate, { start: T0, used: 250, dropped: 11 });
      assert.equal(seen(a.t, a.companion), 2);

      const b = thing({ start: T0 + 10_000 });
      b.t.engine.install({ source: src(script, {}, 'spender'), config: {}, id, restore: snap });
      b.t.engine.touch(id);
      feed(b.t, 2);
      assert.deepEqual(b.t.rec.executions.filter((e) => e.appId === id).map((e) => e.outcome), ['rate-limited']);
      b.t.clock.advanceTo(T0 + 60_000);
      b.t.engine.touch(id);
      assert.deepEqual(b.t.rec.executions.filter((e) => e.appId === id).map((e) => e.outcome), ['rate-limited', 'ok']);
      assert.deepEqual(b.t.runtimeLogs('warn', id), ['rate limit: 12 execution(s) were dropped in the last window']);
      assert.equal(seen(b.t, b.companion), 2);
    });
  });

  describe('6. a restore does not log the install warnings again', () => {
    it('logs the static-check and config warnings at the install only', () => {
      const a = thing();
      const config = { lamp: 'lamp', extra: 1 };
      const id = a.t.engine.install({ source: fixture('echo-loop'), config }).id;
      assert.equal(a.t.runtimeLogs('warn', id).length, 3);
      const b = thing();
      b.t.engine.install({ source: fixture('echo-loop'), config, id, restore: a.t.engine.snapshot(id) });
      feed(b.t, 2);
      assert.deepEqual(b.t.runtimeLogs('warn'), []);
      assert.equal(seen(b.t, b.companion), 2);
    });
  });
});
