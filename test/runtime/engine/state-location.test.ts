import assert from 'node:assert/strict';
import { sunTimes } from '../../../runtime/clock/sun';
import { addStandardDevices, makeThing, src, T0, TestThing } from './engine-helpers';

describe('ThingEngine state', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
  });

  function installCounter(extra = '') {
    return t.engine.install({
      source: src(`function installed() { state.count = 0; state.history = []; subscribe(settings.lamp, "switch", onSwitch) }
function onSwitch(evt) { state.count++; state.history.push(evt.value); ${extra} }`, { lamp: { type: 'single_device_selector', name: 'Lamp' } }),
      config: { lamp: 'lamp' },
    }).id;
  }

  it('keeps state across executions and reports each change once, when the execution ends', () => {
    const id = installCounter();
    t.engine.deviceEvent('lamp', 'switch', 'on');
    t.engine.deviceEvent('lamp', 'switch', 'off');
    assert.deepEqual(t.engine.appInfo(id).state, { count: 2, history: ['on', 'off'] });
    const states = t.rec.persists.filter((p) => p.appId === id).map((p) => p.snapshot.state);
    assert.equal(states.at(-1), '{"count":2,"history":["on","off"]}');
    assert.ok(states.includes('{"count":1,"history":["on"]}'));
  });

  it('does not save state that is over 100,000 characters of JSON: it logs an error and keeps the last saved state', () => {
    const id = installCounter('if (evt.value === "off") state.big = "x".repeat(100000)');
    t.engine.deviceEvent('lamp', 'switch', 'on');
    t.engine.deviceEvent('lamp', 'switch', 'off');
    assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message]), [['onSwitch', 'state is 100043 characters of JSON; the limit is 100000. It was not saved']]);
    assert.deepEqual(t.runtimeLogs('error'), ['onSwitch: state is 100043 characters of JSON; the limit is 100000. It was not saved']);
    assert.deepEqual(t.engine.appInfo(id).state, { count: 1, history: ['on'] });
    // The script sees the saved state again in its next execution.
    t.engine.deviceEvent('lamp', 'switch', 'on');
    assert.deepEqual(t.engine.appInfo(id).state, { count: 2, history: ['on', 'on'] });
  });

  it('reports state that cannot be turned into JSON and keeps the last saved state', () => {
    const id = installCounter('state.self = state');
    t.engine.deviceEvent('lamp', 'switch', 'on');
    assert.equal(t.rec.errors.length, 1);
    assert.match(t.rec.errors[0].message, /^state could not be saved: TypeError: Converting circular structure to JSON/);
    assert.deepEqual(t.engine.appInfo(id).state, { count: 0, history: [] });
  });

  it('refuses to replace state as a whole, with the fix', () => {
    const id = t.engine.install({ source: src('function installed() { state.a = 1; state = { b: 2 } }'), config: {} }).id;
    assert.deepEqual(t.rec.errors.map((e) => e.message), ['state cannot be replaced; set its properties instead (state.count = 1)']);
    // What the execution set before it failed is kept.
    assert.deepEqual(t.engine.appInfo(id).state, { a: 1 });
  });

  it('keeps each app\'s state to itself', () => {
    const a = installCounter();
    const b = t.engine.install({ source: src('function installed() { state.mine = "b"; log.info(JSON.stringify(state)) }'), config: {} }).id;
    t.engine.deviceEvent('lamp', 'switch', 'on');
    assert.deepEqual(t.engine.appInfo(a).state, { count: 1, history: ['on'] });
    assert.deepEqual(t.engine.appInfo(b).state, { mine: 'b' });
    assert.deepEqual(t.appLogs(b), ['{"mine":"b"}']);
  });
});

describe('ThingEngine location and time', () => {
  it('shows the location: mode, modes, time zone, position, sunrise and sunset as Dates', () => {
    const t = makeThing({ location: { name: 'Cabin', timeZone: 'Europe/Stockholm', latitude: 59.33, longitude: 18.07, modes: ['Home', 'Away', 'Vacation'] } });
    const id = t.engine.install({
      source: src(`function installed() {
  state.l = { name: location.name, mode: location.mode, currentMode: location.currentMode, modes: location.modes, timeZone: location.timeZone,
    latitude: location.latitude, longitude: location.longitude, scale: location.temperatureScale,
    sunrise: location.sunrise.toISOString(), sunset: location.sunset.toISOString(), isDate: location.sunrise instanceof Date };
  var s = getSunriseAndSunset({ sunriseOffset: "-00:30", sunsetOffset: 15 });
  state.offsets = [s.sunrise.toISOString(), s.sunset.toISOString()];
}`),
      config: {},
    }).id;
    const sun = sunTimes(T0, 59.33, 18.07, 'Europe/Stockholm');
    assert.deepEqual(t.engine.appInfo(id).state, {
      l: {
        name: 'Cabin', mode: 'Home', currentMode: 'Home', modes: ['Home', 'Away', 'Vacation'], timeZone: 'Europe/Stockholm',
        latitude: 59.33, longitude: 18.07, scale: 'C', sunrise: new Date(sun.sunrise!).toISOString(), sunset: new Date(sun.sunset!).toISOString(), isDate: true,
      },
      offsets: [new Date(sun.sunrise! - 30 * 60_000).toISOString(), new Date(sun.sunset! + 15 * 60_000).toISOString()],
    });
    // Stockholm at midsummer: sunrise before 02:00 UTC, sunset after 19:00 UTC.
    assert.ok(new Date(sun.sunrise!).getUTCHours() < 2 && new Date(sun.sunset!).getUTCHours() >= 19);
  });

  it('setMode from a script changes the mode and sends the event to mode subscribers (itself included)', () => {
    const t = makeThing();
    const listener = t.engine.install({ source: src('function installed() { subscribe(location, "mode", onMode) }\nfunction onMode(e) { log.info("mode is " + e.value + " / " + location.mode) }'), config: {} }).id;
    const setter = t.engine.install({
      source: src('function installed() { subscribe(location, "mode.Away", onAway); setLocationMode("Away") }\nfunction onAway(e) { location.setMode("Night") }'),
      config: {},
    }).id;
    assert.equal(t.engine.location.mode, 'Night');
    assert.deepEqual(t.appLogs(listener), ['mode is Away / Away', 'mode is Night / Night']);
    assert.deepEqual(t.runtimeLogs('info', setter), ['set location mode to Away', 'set location mode to Night']);
    assert.deepEqual(t.rec.locationEvents.map((e) => e.value), ['Away', 'Night']);
  });

  it('setMode with an unknown mode fails with did-you-mean and the list of modes; the mode stays', () => {
    const t = makeThing();
    t.engine.install({ source: src('function installed() { location.setMode("away") }'), config: {} });
    assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message, e.line]), [
      ['installed', `location mode "away" does not exist; did you mean 'Away'?; the modes are: Home, Away, Night`, 1],
    ]);
    assert.equal(t.engine.location.mode, 'Home');
    assert.throws(() => t.engine.setMode('Nigth'), { message: `location mode "Nigth" does not exist; did you mean 'Night'?; the modes are: Home, Away, Night` });
    assert.deepEqual(t.rec.locationEvents, []);
  });

  it('setPosition refuses a position out of range and keeps the location usable', () => {
    const t = makeThing();
    assert.throws(() => t.engine.setPosition(100, 0), { name: 'RangeError', message: 'setPosition: latitude 100 is out of range -90..90' });
    assert.throws(() => t.engine.setPosition(0, 200), { name: 'RangeError', message: 'setPosition: longitude 200 is out of range -180..180' });
    assert.deepEqual([t.engine.location.latitude, t.engine.location.longitude], [51.5074, -0.1278]);
    const id = t.engine.install({ source: src('function installed() { state.v = [location.mode, location.latitude] }'), config: {} }).id;
    assert.deepEqual(t.rec.errors, []);
    assert.deepEqual(t.engine.appInfo(id).state, { v: ['Home', 51.5074] });
    assert.deepEqual(t.rec.locationEvents, []);
  });

  it('new Date(), Date.now(), Date() and now() inside a script follow the virtual clock', () => {
    const t = makeThing();
    const id = t.engine.install({
      source: src(`function installed() { subscribe(app, onTouch) }
function onTouch() {
  state.t = [new Date().getTime(), Date.now(), now(), Date() === new Date(Date.now()).toString(), new Date(2020, 0, 2).getFullYear(),
    new Date("2021-03-04T05:06:07Z").getTime(), new Date() instanceof Date, Date.parse("2024-01-01T00:00:00Z"), Date.UTC(2024, 0, 1)];
}`),
      config: {},
    }).id;
    t.clock.advance(3_600_000);
    t.engine.touch(id);
    const later = T0 + 3_600_000;
    const jan1 = Date.parse('2024-01-01T00:00:00Z');
    assert.deepEqual(t.engine.appInfo(id).state, { t: [later, later, later, true, 2020, Date.parse('2021-03-04T05:06:07Z'), true, jan1, jan1] });
  });
});
