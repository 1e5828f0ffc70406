import assert from 'node:assert/strict';
import { VirtualClock, TimerStormError } from '../../../runtime/clock/virtual-clock';
import { addStandardDevices, makeThing, src, T0 } from './engine-helpers';

const device = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'single_device_selector', name, ...extra }) as never;
const fn = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'single_function_selector', name, ...extra }) as never;

describe('script API: consistent semantics', () => {
  it('unsubscribe(function) removes only that function\'s attribute, not the whole device', () => {
    const t = makeThing();
    t.engine.addDevice({ id: 'door', label: 'Door', capabilities: ['contactSensor', 'battery'], functionIds: { contact: 9, battery: 10 } });
    const info = t.engine.install({
      source: src(`function installed() { subscribe(settings.c, h); subscribe(settings.b, h); unsubscribe(settings.b) }
function h(e) { log.info(e.name) }`, { c: fn('Contact'), b: fn('Battery') }),
      config: { c: 9, b: 10 },
    });
    assert.deepEqual(t.engine.appInfo(info.id).subscriptions.map((s) => s.attribute), ['contact']);
    t.engine.deviceEvent('door', 'battery', 50);
    t.engine.deviceEvent('door', 'contact', 'open');
    assert.deepEqual(t.appLogs(), ['contact']);
  });

  it('runOnce reads a time without an offset in the location\'s time zone, like schedule()', () => {
    const t = makeThing({ location: { timeZone: 'America/New_York' } });
    const info = t.engine.install({ source: src(`function installed() { runOnce("2024-06-21T18:30:00", "later"); runOnce("2024-06-21T23:00:00Z", "later2") }
function later() { log.info("later") }
function later2() { log.info("later2") }`), config: {} });
    const jobs = t.engine.appInfo(info.id).jobs.map((j) => new Date(j.at).toISOString()).sort();
    // 18:30 in New York (EDT, UTC-4) is 22:30 UTC.
    assert.deepEqual(jobs, ['2024-06-21T22:30:00.000Z', '2024-06-21T23:00:00.000Z']);
    const bad = makeThing();
    bad.engine.install({ source: src('function installed() { runOnce("next tuesday", "x") }\nfunction x() {}'), config: {} });
    assert.match(bad.rec.errors[0].message, /runOnce: "next tuesday" is not a date/);
  });

  it('state holds what was saved: a Date is its JSON text in the next execution, as after a restart', () => {
    const t = makeThing();
    t.engine.addDevice({ id: 'b', label: 'Button', capabilities: ['button'] });
    t.engine.install({
      source: src(`function installed() { subscribe(settings.b, "button", h) }
function h() { if (state.when === undefined) state.when = new Date(0); else log.info(typeof state.when, state.when) }`, { b: device('B') }),
      config: { b: 'b' },
    });
    t.engine.deviceEvent('b', 'button', 'pushed');
    t.engine.deviceEvent('b', 'button', 'pushed');
    assert.deepEqual(t.appLogs(), ['string 1970-01-01T00:00:00.000Z']);
  });

  it('render() refuses a status that is not an HTTP status', () => {
    const t = makeThing();
    const info = t.engine.install({
      source: src(`function installed() { mappings({ "GET /a": a, "GET /b": b }) }
function a() { return render({ status: 0, data: 1 }) }
function b() { return render({ status: 202, data: { ok: true } }) }`),
      config: {},
    });
    assert.equal(t.engine.callEndpoint(info.id, 'GET', '/a').status, 500);
    assert.match(t.rec.errors[0].message, /render: status must be an HTTP status code \(100-599\), got 0/);
    const b = t.engine.callEndpoint(info.id, 'GET', '/b');
    assert.equal(b.status, 202);
    assert.deepEqual(b.body, { ok: true });
  });

  it('subscribe(app, "x", h) is refused: an app has only its touch', () => {
    const t = makeThing();
    t.engine.install({ source: src('function installed() { subscribe(app, "switch", h) }\nfunction h() {}'), config: {} });
    assert.match(t.rec.errors[0].message, /an app has only one event, its touch; write subscribe\(app, handler\)/);
  });

  it('a device selector filter matches name and device_id, as a function selector does', () => {
    const t = makeThing();
    addStandardDevices(t.engine);
    const info = t.engine.install({ source: src('function installed() {}', { l: device('Lamp', { filter: { name: 'Hall*' } }), d: device('Door', { filter: { device_id: 'door' } }) }), config: { l: 'lamp', d: 'door' } });
    assert.ok(info.id);
    assert.throws(() => t.engine.install({ source: src('function installed() {}', { l: device('Lamp', { filter: { name: 'Porch*' } }) }), config: { l: 'lamp' } }), /filter/);
  });

  it('a device chosen with a value is still a device handle, carrying the value', () => {
    const t = makeThing();
    addStandardDevices(t.engine);
    t.engine.install({
      source: src(`function installed() { subscribe(settings.lamp, "switch", h); log.info(settings.lamp.label, settings.lamp.value, JSON.stringify(settings.lamp)) }
function h(e) { log.info("switch", e.value, settings.lamp.currentValue("switch")) }`, { lamp: device('Lamp', { value: true }) }),
      config: { lamp: { lamp: 80 } },
    });
    t.engine.sendCommand('lamp', 'on');
    assert.deepEqual(t.appLogs(), ['Hall lamp 80 {"id":"lamp","label":"Hall lamp","value":80}', 'switch on on']);
    assert.deepEqual(t.rec.errors, []);
  });

  it('calling a command the device does not have explains what it has', () => {
    const t = makeThing();
    addStandardDevices(t.engine);
    t.engine.install({ source: src('function installed() { settings.d.lock() }', { d: device('Door') }), config: { d: 'door' } });
    assert.match(t.rec.errors[0].message, /device "Front door" has no command lock\(\) \(capabilities: contactSensor\); its commands: none \(it is a sensor\)/);
  });

  it('a handler that reschedules itself for "now" stops the virtual clock with an error instead of hanging', () => {
    const t = makeThing({ rateLimit: false });
    t.engine.install({ source: src('function installed() { runIn(0, again) }\nfunction again() { runIn(0, again) }'), config: {} });
    assert.throws(() => t.clock.advance(1000), (e: unknown) => e instanceof TimerStormError && /keeps scheduling itself for "now"/.test(e.message));
    const clock = new VirtualClock(0, { maxFiresPerInstant: 3 });
    let n = 0;
    const again = () => { n++; clock.setTimer(clock.now(), again); };
    clock.setTimer(0, again);
    assert.throws(() => clock.advance(10), TimerStormError);
    assert.equal(n, 3);
  });

  it('runEvery* start times come from the engine\'s random source, so tests can make them repeatable', () => {
    const starts = [0, 1].map(() => {
      const t = makeThing({ random: () => 0.5 });
      const info = t.engine.install({ source: src('function installed() { runEvery5Minutes(tick) }\nfunction tick() {}'), config: {} });
      return t.engine.appInfo(info.id).jobs[0].at;
    });
    assert.equal(starts[0], starts[1]);
    assert.equal(starts[0], T0 + 1 + 150_000);
  });
});
