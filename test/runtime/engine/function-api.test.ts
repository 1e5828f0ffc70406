/**
 * Issue 14 part 5, in the engine (the app's vm context, the bridge and the devices): function
 * handles have the commands of their function's type, an event carries its function as a handle,
 * mappings({ … }) is declared at the top level of app.js, and a device selector's filter matches
 * capabilities.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import { ConfigError } from '../../../runtime/app/instance-config';
import { SourceError } from '../../../runtime/errors';
import { addStandardDevices, lineOf, makeThing, src, thrown, type TestThing } from './engine-helpers';

const fnInput = (name: string): InputSpec => ({ type: 'single_function_selector', name });

describe('function handles: the commands of their function type', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing({ rateLimit: false });
    addStandardDevices(t.engine);
    // A siren that is also a switch: both capabilities have off().
    t.engine.addDevice({ id: 'siren', label: 'Siren light', capabilities: ['switch', 'alarm'], functionIds: { switch: 70, alarm: 71 } });
    t.engine.addDevice({ id: 'stat', label: 'Thermostat', capabilities: ['thermostat'] });
  });

  const INPUTS: Record<string, InputSpec> = {
    light: fnInput('Light'), dim: fnInput('Dimmer'), lock: fnInput('Lock'), door: fnInput('Door'),
    sirenSwitch: fnInput('Siren switch'), sirenAlarm: fnInput('Siren alarm'), mode: fnInput('Mode'), heat: fnInput('Heat'),
  };
  const CONFIG = { light: 4456, dim: 4457, lock: 'lock.lock', door: 9, sirenSwitch: 70, sirenAlarm: 71, mode: 'stat.thermostatMode', heat: 'stat.heatingSetpoint' };

  it('a switch function has on() and off(), a level function setLevel(), a lock lock() and unlock(), a thermostat mode heat()', () => {
    t.engine.install({
      source: src(`function installed() {
  settings.light.on()
  settings.dim.setLevel(30)
  settings.lock.unlock()
  settings.mode.heat()
  settings.heat.setHeatingSetpoint(22)
  settings.light.off()
  log.info(settings.light.currentValue(), settings.dim.currentValue(), settings.lock.currentValue(), settings.mode.currentValue(), settings.heat.currentValue())
  log.info(typeof settings.light.on, typeof settings.light.setLevel, Object.keys(settings.dim).filter(function (k) { return typeof settings.dim[k] === 'function' }).join())
}`, INPUTS),
      config: CONFIG,
    });
    assert.deepEqual(t.rec.errors.map((e) => e.message), []);
    assert.deepEqual(t.rec.commands.map((c) => [c.deviceId, c.command, c.args]), [
      ['lamp', 'on', []], ['lamp', 'setLevel', [30]], ['lock', 'unlock', []], ['stat', 'heat', []], ['stat', 'setHeatingSetpoint', [22]], ['lamp', 'off', []],
    ]);
    assert.deepEqual(t.appLogs(), ['off 30 unlocked heat 22', 'function function currentValue,currentState,set,toString,toJSON,setLevel']);
  });

  it('a command of a function is its own attribute\'s: a switch function\'s off() leaves the alarm of the same device sounding', () => {
    t.engine.install({
      source: src(`function installed() {
  settings.sirenSwitch.on()
  settings.sirenAlarm.siren()
  settings.sirenSwitch.off()
  log.info(settings.sirenSwitch.currentValue(), settings.sirenAlarm.currentValue())
  settings.sirenAlarm.off()
  log.info(settings.sirenSwitch.currentValue(), settings.sirenAlarm.currentValue())
}`, INPUTS),
      config: CONFIG,
    });
    assert.deepEqual(t.rec.errors.map((e) => e.message), []);
    assert.deepEqual(t.appLogs(), ['off siren', 'off off']);
    // The device handle's off() is still every capability's (SmartThings'): both go off.
    assert.deepEqual(t.rec.deviceEvents.filter((e) => e.deviceId === 'siren').map((e) => `${e.name}=${e.value}`), ['switch=on', 'alarm=siren', 'switch=off', 'alarm=off']);
  });

  it('a command the function lacks throws the device handle\'s kind of error: what it has, and the device\'s command when it has one', () => {
    t.engine.install({
      source: src(`function installed() {
  for (const call of [() => settings.dim.on(), () => settings.door.open(), () => settings.light.setLevel(5), () => settings.lock.on()]) {
    try { call() } catch (e) { log.info(e.name + ': ' + e.message) }
  }
}`, INPUTS),
      config: CONFIG,
    });
    assert.deepEqual(t.appLogs(), [
      'TypeError: function 4457 (type "dimmer", the level of device "lamp") has no command on(); its commands: setLevel. Its device has on(): call it on the device handle, .device.on()',
      'TypeError: function 9 (type "door", the contact of device "door") has no command open(); its commands: none (a sensor reports it; read it with currentValue())',
      'TypeError: function 4456 (type "switch", the switch of device "lamp") has no command setLevel(); its commands: on, off. Its device has setLevel(): call it on the device handle, .device.setLevel()',
      'TypeError: function lock.lock (type "lock", the lock of device "lock") has no command on(); its commands: lock, unlock',
    ]);
  });

  it('checks a function command\'s arguments as a device command\'s', () => {
    t.engine.install({ source: src('function installed() { try { settings.dim.setLevel(500) } catch (e) { log.info(e.message) } }', INPUTS), config: CONFIG });
    assert.match(t.appLogs()[0], /setLevel\(level: number 0\.\.100, rate\?: number >= 0\): .*500/);
    assert.deepEqual(t.rec.commands, []);
  });
});

describe('evt.function: the event\'s function as a handle', () => {
  it('is the handle of the attribute that changed, one per event, beside functionId; location, touch and command events have none', () => {
    const t = makeThing({ rateLimit: false });
    addStandardDevices(t.engine);
    const id = t.engine.install({
      source: src(`function installed() {
  subscribe(settings.lamp, 'level', changed)
  subscribe(location, 'mode', other)
  subscribe(app, other)
  subscribeToCommand(settings.lamp, 'on', other)
}
function changed(evt) {
  const f = evt.function
  log.info(evt.functionId, f.id, f.type, f.attribute, f.deviceId, f.device.label, f.currentValue(), evt.function === f)
  f.setLevel(10)
}
function other(evt) { log.info(evt.name, String(evt.function)) }`, { lamp: { type: 'single_device_selector', name: 'Lamp' } }),
      config: { lamp: 'lamp' },
    }).id;
    t.engine.deviceEvent('lamp', 'level', 55);
    t.engine.setMode('Away');
    t.engine.touch(id);
    t.engine.sendCommand('lamp', 'on');
    assert.deepEqual(t.rec.errors.map((e) => e.message), []);
    assert.deepEqual(t.appLogs(), ['4457 4457 dimmer level lamp Hall lamp 55 true', '4457 4457 dimmer level lamp Hall lamp 10 true', 'mode undefined', 'touch undefined', 'on undefined']);
  });
});

describe('mappings({ … }) at the top level of app.js (the mappings section)', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing({ rateLimit: false });
    addStandardDevices(t.engine);
  });

  it('declares the routes, with handlers as functions or names, before installed() runs', () => {
    const id = t.engine.install({
      source: src(`mappings({
  'GET /lamp': lampState,
  'PUT /lamp/:command': 'command',
})
function lampState(request) { return { value: settings.lamp.currentSwitch } }
function command(request) { request.params.command === 'on' ? settings.lamp.on() : settings.lamp.off() }
function installed() { log.info('routes at installed(): ' + 'declared') }`, { lamp: { type: 'single_device_selector', name: 'Lamp' } }),
      config: { lamp: 'lamp' },
    }).id;
    assert.deepEqual(t.rec.errors.map((e) => e.message), []);
    assert.deepEqual(t.engine.appInfo(id).routes, ['GET /lamp', 'PUT /lamp/:command']);
    assert.equal(t.engine.callEndpoint(id, 'PUT', '/lamp/on').status, 204);
    assert.deepEqual(t.engine.callEndpoint(id, 'GET', '/lamp').body, { value: 'on' });
  });

  it('a bad route or handler is a problem at the line of the top-level call, and nothing installs', () => {
    const script = `function a(r) { return 1 }\n\nmappings({ 'GET /a': a, 'FETCH /b': a })\nfunction installed() {}\n`;
    const err = thrown(() => t.engine.install({ source: src(script), config: {} }));
    assert.ok(err instanceof SourceError);
    assert.deepEqual(err.problems.map((p) => [p.file, p.line, p.code]), [['/apps/test/app.js', lineOf(script, 'FETCH'), 'script-mappings']]);
    assert.match(err.problems[0].message, /FETCH/);
    assert.match(err.problems[0].fix ?? '', /mappings/);
    const unknown = `\nmappings({ 'GET /a': 'lampStat' })\nfunction lampState(r) { return 1 }\n`;
    const err2 = thrown(() => t.engine.install({ source: src(unknown), config: {} })) as SourceError;
    assert.deepEqual(err2.problems.map((p) => [p.line, p.code]), [[2, 'script-mappings']]);
    assert.match(err2.problems[0].message, /mappings: "lampStat" is not a function defined in app\.js; did you mean 'lampState'\?/);
    assert.deepEqual(t.engine.listApps(), []);
  });

  it('is declared once: a second top-level call is a load problem; a call in installed() still replaces the routes', () => {
    const twice = `mappings({ 'GET /a': a })\nmappings({ 'GET /b': a })\nfunction a() { return 1 }\n`;
    const err = thrown(() => t.engine.install({ source: src(twice), config: {} })) as SourceError;
    assert.deepEqual(err.problems.map((p) => [p.line, p.code]), [[2, 'script-load']]);
    assert.match(err.problems[0].message, /already declared/);
    const id = t.engine.install({ source: src(`mappings({ 'GET /a': a })\nfunction a() { return 1 }\nfunction installed() { mappings({ 'GET /b': a }) }\n`), config: {} }).id;
    assert.deepEqual(t.engine.appInfo(id).routes, ['GET /b']);
  });

  it('the routes are in the app\'s snapshot, and a restored app keeps them', () => {
    const source = src(`mappings({ 'GET /a': a })\nfunction a() { return 'A' }\n`);
    const id = t.engine.install({ source, config: {} }).id;
    const snapshot = t.rec.persists.filter((p) => p.appId === id).at(-1)!.snapshot;
    assert.deepEqual(snapshot.routes, [{ route: 'GET /a', handler: 'a' }]);
    const t2 = makeThing({ rateLimit: false });
    t2.engine.install({ id, source, config: {}, restore: snapshot });
    assert.deepEqual(t2.engine.callEndpoint(id, 'GET', '/a').body, 'A');
  });
});

describe('device selector filters: capability', () => {
  const INPUTS: Record<string, InputSpec> = {
    lights: { type: 'multi_device_selector', name: 'Lights', filter: { capability: 'switch' } },
    dimmable: { type: 'single_device_selector', name: 'Dimmable', filter: { capability: ['switchLevel', 'colorControl'] } },
    mine: { type: 'single_device_selector', name: 'By id', filter: { id: 'lamp*' } },
  };

  it('matches devices that have the capability (any of a list; patterns too), and refuses one that has not', () => {
    const t = makeThing({ rateLimit: false });
    addStandardDevices(t.engine);
    t.engine.install({ source: src('function installed() { log.info(settings.lights.length, settings.dimmable.id, settings.mine.id) }', INPUTS), config: { lights: ['lamp', 'lamp2'], dimmable: 'lamp', mine: 'lamp2' } });
    assert.deepEqual(t.appLogs(), ['2 lamp lamp2']);
    const err = thrown(() => t.engine.install({ source: src('', INPUTS), config: { lights: ['lamp', 'door'], dimmable: 'lamp2', mine: 'lock' } }));
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems.map((p) => [p.path.join('.'), p.code]), [['lights.1', 'config-filter'], ['dimmable', 'config-filter'], ['mine', 'config-filter']]);
    assert.match(err.problems[0].message, /device "door" .*does not match the input's filter \{"capability":"switch"\}/);
  });
});
