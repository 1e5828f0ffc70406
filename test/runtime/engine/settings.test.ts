import assert from 'node:assert/strict';
import { addStandardDevices, fixture, makeThing, src, TestThing } from './engine-helpers';

const CONFIG = {
  sensor: 12,
  target: { 4457: 40 },
  targets: { 4456: 'on', 'lamp2.switch': 'off' },
  sensors: [12, 'motion.motion'],
  lamp: 'lamp',
  lamps: ['lamp', 'lamp2'],
  notify: 456,
  notifyAll: [1, 'two'],
  days: ['mon', 'wed'],
  enabled: 'yes',
  temp: [{ trigger_value: { 12: 26 } }, { trigger_value: { 13: 10 } }],
};

const thermoHandle = { id: 'thermo', label: 'Hall thermometer', displayName: 'Hall thermometer', name: 'Hall thermometer', typeName: 'sensor' };
const lampHandle = { id: 'lamp', label: 'Hall lamp', displayName: 'Hall lamp', name: 'Hall lamp', typeName: '' };
const lamp2Handle = { id: 'lamp2', label: 'Porch lamp', displayName: 'Porch lamp', name: 'Porch lamp', typeName: '' };

describe('ThingEngine settings and config', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
    t.engine.addDevice({ id: 'thermo2', label: 'Attic', capabilities: ['temperatureMeasurement'], functionIds: { temperature: 13 } });
  });

  function installAll(config: Record<string, unknown> = CONFIG) {
    const info = t.engine.install({ source: fixture('all-inputs'), config });
    assert.deepEqual(t.rec.errors, []);
    return t.engine.appInfo(info.id).state as Record<string, Record<string, unknown>>;
  }

  it('turns each input type into what a script expects', () => {
    const s = installAll().settings;
    // single function selector without value: a function handle
    assert.deepEqual(s.sensor, { id: 12, type: 'temperature', attribute: 'temperature', deviceId: 'thermo', device: thermoHandle });
    // single function selector with value: the handle and its value
    assert.deepEqual(s.target, { id: 4457, type: 'dimmer', attribute: 'level', deviceId: 'lamp', device: lampHandle, value: 40 });
    // multi function selector with values: an array of handles, each with its value
    assert.deepEqual(s.targets, [
      { id: 4456, type: 'switch', attribute: 'switch', deviceId: 'lamp', device: lampHandle, value: 'on' },
      { id: 'lamp2.switch', type: 'switch', attribute: 'switch', deviceId: 'lamp2', device: lamp2Handle, value: 'off' },
    ]);
    // multi function selector without values: an array of handles
    assert.deepEqual(s.sensors, [
      { id: 12, type: 'temperature', attribute: 'temperature', deviceId: 'thermo', device: thermoHandle },
      { id: 'motion.motion', type: 'movement', attribute: 'motion', deviceId: 'motion', device: { id: 'motion', label: 'Hall motion', displayName: 'Hall motion', name: 'Hall motion', typeName: '' } },
    ]);
    // device selectors: device handles, a multi selector as an array
    assert.deepEqual(s.lamp, lampHandle);
    assert.deepEqual(s.lamps, [lampHandle, lamp2Handle]);
    // notification outputs: handles carrying the id
    assert.deepEqual(s.notify, { id: 456 });
    assert.deepEqual(s.notifyAll, [{ id: 1 }, { id: 'two' }]);
    // plain inputs: as configured, defaults filled in (number default "10" becomes 10)
    assert.equal(s.greeting, 'Hello');
    assert.equal(s.minutes, 10);
    assert.equal(s.level, 'low');
    assert.deepEqual(s.days, ['mon', 'wed']);
    assert.equal(s.enabled, 'yes');
    // repeat: an array of objects whose members are resolved like top-level inputs
    assert.deepEqual(s.temp, [
      { trigger_value: { id: 12, type: 'temperature', attribute: 'temperature', deviceId: 'thermo', device: thermoHandle, value: 26 } },
      { trigger_value: { id: 13, type: 'temperature', attribute: 'temperature', deviceId: 'thermo2', device: { id: 'thermo2', label: 'Attic', displayName: 'Attic', name: 'Attic', typeName: '' }, value: 10 } },
    ]);
  });

  it('gives live handles: function values, device commands, notification text; everything frozen', () => {
    const st = installAll();
    assert.equal(st.sensorTemp, 20);
    assert.equal(st.sensorDevice, 'Hall thermometer');
    assert.equal(st.lampIsHandle, true);
    assert.equal(st.lampsOnEach, true);
    assert.equal(st.notifyText, 'notification output 456');
    assert.equal(st.settingsFrozen, true);
  });

  it('exposes `config` as the raw config object (with defaults), not as handles', () => {
    const st = installAll();
    assert.deepEqual(st.config, { ...CONFIG, greeting: 'Hello', minutes: 10, level: 'low' });
  });

  it('toggle without true/false values gives booleans; unset checkbox has no value', () => {
    const info = t.engine.install({
      source: src('function installed() { state.v = [settings.on, settings.off, settings.box === undefined, config.box === undefined] }', {
        on: { type: 'toggle', name: 'On', default: true },
        off: { type: 'toggle', name: 'Off' },
        box: { type: 'checkbox', name: 'Box', values: { a: 'A' } },
      }),
      config: {},
    });
    assert.deepEqual(t.engine.appInfo(info.id).state, { v: [true, false, true, true] });
  });

  it('function handles set values through the command of their attribute; a sensor function is read-only', () => {
    const info = t.engine.install({
      source: src(`function installed() {
  settings.dim.set(30);
  settings.sw.set(true);
  try { settings.temp.set(5) } catch (e) { log.warn(e.message) }
}`, {
        dim: { type: 'single_function_selector', name: 'Dimmer' },
        sw: { type: 'single_function_selector', name: 'Switch' },
        temp: { type: 'single_function_selector', name: 'Temperature' },
      }),
      config: { dim: 4457, sw: 'lamp2.switch', temp: 12 },
    });
    assert.deepEqual(t.rec.commands.map((c) => [c.appId, c.deviceId, c.command, c.args]), [
      [info.id, 'lamp', 'setLevel', [30]],
      [info.id, 'lamp2', 'on', []],
    ]);
    assert.deepEqual(t.appLogs(), ['function of type "temperature" (temperature) is read-only: a sensor reports it; it cannot be set']);
    assert.equal(t.engine.currentValue('lamp', 'level'), 30);
    assert.equal(t.engine.currentValue('lamp', 'switch'), 'on');
  });

  it('settings cannot be replaced or changed by the script', () => {
    const info = t.engine.install({
      source: src(`function installed() {
  settings = { lamp: 1 };
  try { settings.lamp = 2 } catch (e) { state.e1 = e.constructor.name }
  try { "use strict"; (function () { "use strict"; settings.extra = 1 })() } catch (e) { state.e2 = e.constructor.name }
  state.lamp = settings.lamp.id;
  state.extra = settings.extra === undefined;
}`, { lamp: { type: 'single_device_selector', name: 'Lamp' } }),
      config: { lamp: 'lamp' },
    });
    assert.deepEqual(t.engine.appInfo(info.id).state, { e2: 'TypeError', lamp: 'lamp', extra: true });
  });
});
