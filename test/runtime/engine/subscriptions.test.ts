import assert from 'node:assert/strict';
import { nextSunEvent } from '../../../runtime/clock/sun';
import { addStandardDevices, makeThing, src, T0, TestThing } from './engine-helpers';
import type { InputSpec } from '../../../runtime/app';

const INPUTS: Record<string, InputSpec> = {
  door: { type: 'single_function_selector', name: 'Door' },
  doorDevice: { type: 'single_device_selector', name: 'Door device' },
  lamp: { type: 'single_device_selector', name: 'Lamp' },
  lamps: { type: 'multi_device_selector', name: 'Lamps' },
  button: { type: 'single_device_selector', name: 'Button' },
  thermo: { type: 'single_function_selector', name: 'Thermometer' },
};
const CONFIG = { door: 9, doorDevice: 'door', lamp: 'lamp', lamps: ['lamp', 'lamp2'], button: 'button', thermo: 12 };

/** Every handler logs "<name> <event name>=<value>". */
const HANDLERS = `
function h1(evt) { log.info("h1 " + evt.name + "=" + evt.value + " " + evt.device.id) }
function h2(evt) { log.info("h2 " + evt.name + "=" + evt.value) }
function h3(evt) { log.info("h3 " + evt.name + "=" + evt.value) }
`;

describe('ThingEngine subscriptions', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
  });

  function install(installedBody: string, extra = '') {
    return t.engine.install({ source: src(`function installed() {\n${installedBody}\n}\n${HANDLERS}\n${extra}`, INPUTS), config: CONFIG }).id;
  }

  describe('device events', () => {
    it('subscribe(device, "attr", handler) delivers every change of the attribute', () => {
      install('subscribe(settings.lamp, "switch", h1)');
      t.engine.deviceEvent('lamp', 'switch', 'on');
      t.engine.deviceEvent('lamp', 'switch', 'off');
      t.engine.deviceEvent('lamp', 'level', 50);
      assert.deepEqual(t.appLogs(), ['h1 switch=on lamp', 'h1 switch=off lamp']);
    });

    it('subscribe(device, "attr.value", handler) delivers only that value', () => {
      install('subscribe(settings.doorDevice, "contact.open", h2)');
      t.engine.deviceEvent('door', 'contact', 'open');
      t.engine.deviceEvent('door', 'contact', 'closed');
      t.engine.deviceEvent('door', 'contact', 'open');
      assert.deepEqual(t.appLogs(), ['h2 contact=open', 'h2 contact=open']);
    });

    it('a value filter on a numeric attribute compares the text of the value', () => {
      install('subscribe(settings.lamp, "level.50", h2)');
      t.engine.deviceEvent('lamp', 'level', 40);
      t.engine.deviceEvent('lamp', 'level', 50);
      assert.deepEqual(t.appLogs(), ['h2 level=50']);
    });

    it('a list of devices subscribes each of them', () => {
      install('subscribe(settings.lamps, "switch.on", h1)');
      t.engine.deviceEvent('lamp2', 'switch', 'on');
      t.engine.deviceEvent('lamp', 'switch', 'on');
      assert.deepEqual(t.appLogs(), ['h1 switch=on lamp2', 'h1 switch=on lamp']);
      assert.deepEqual(t.engine.appInfo('test-app-1').subscriptions.map((s) => s.target), ['lamp', 'lamp2']);
    });

    it('function handles: with the attribute, with a value filter, and in the two-argument form', () => {
      install('subscribe(settings.door, "contact.open", h2); subscribe(settings.thermo, h3)');
      t.engine.deviceEvent('door', 'contact', 'open');
      t.engine.deviceEvent('door', 'contact', 'closed');
      t.engine.deviceEvent('thermo', 'temperature', 21.5);
      assert.deepEqual(t.appLogs(), ['h2 contact=open', 'h3 temperature=21.5']);
    });

    it('a function handle refuses an attribute it is not', () => {
      install('subscribe(settings.door, "switch", h2)');
      assert.deepEqual(t.rec.errors.map((e) => e.message), [
        'subscribe: function 9 is the "contact" of its device, not "switch"; subscribe(fn, "contact", handler) or subscribe(fn, handler)',
      ]);
      assert.deepEqual(t.engine.appInfo('test-app-1').subscriptions, []);
    });

    it('handlers may be given by name or as the function, and also as a function expression', () => {
      install('subscribe(settings.lamp, "switch", "h2"); subscribe(settings.lamp, "switch", h3); subscribe(settings.lamp, "switch", function (e) { log.info("anon " + e.value) })');
      t.engine.deviceEvent('lamp', 'switch', 'on');
      assert.deepEqual(t.appLogs(), ['h2 switch=on', 'h3 switch=on', 'anon on']);
      assert.deepEqual(t.engine.appInfo('test-app-1').subscriptions.map((s) => s.handler), ['h2', 'h3', '#0']);
    });

    it('subscribing the same handler twice delivers once', () => {
      install('subscribe(settings.lamp, "switch", h2); subscribe(settings.lamp, "switch", "h2")');
      t.engine.deviceEvent('lamp', 'switch', 'on');
      assert.deepEqual(t.appLogs(), ['h2 switch=on']);
    });

    it('does not deliver events that do not change the state', () => {
      install('subscribe(settings.lamp, "switch", h2)');
      t.engine.deviceEvent('lamp', 'switch', 'on');
      const again = t.engine.deviceEvent('lamp', 'switch', 'on');
      assert.equal(again.isStateChange, false);
      assert.deepEqual(t.appLogs(), ['h2 switch=on']);
      // ...but they are still device events of the Thing.
      assert.deepEqual(t.rec.deviceEvents.map((e) => [e.value, e.isStateChange]), [['on', true], ['on', false]]);
    });

    it('always delivers button presses (momentary), even the same value twice', () => {
      install('subscribe(settings.button, "button.pushed", h2)');
      t.engine.deviceEvent('button', 'button', 'pushed');
      t.engine.deviceEvent('button', 'button', 'pushed');
      t.engine.deviceEvent('button', 'button', 'held');
      assert.deepEqual(t.appLogs(), ['h2 button=pushed', 'h2 button=pushed']);
    });

    it('builds events with every field and typed accessor', () => {
      install('subscribe(settings.thermo, "temperature", onTemp)', `function onTemp(evt) {
  state.evt = {
    name: evt.name, value: evt.value, unit: evt.unit, deviceId: evt.deviceId, deviceLabel: evt.device.label,
    functionId: evt.functionId, date: evt.date.toISOString(), isoDate: evt.isoDate, isStateChange: evt.isStateChange,
    source: evt.source, numericValue: evt.numericValue, integerValue: evt.integerValue, stringValue: evt.stringValue,
    displayName: evt.displayName, descriptionText: evt.descriptionText, text: String(evt),
    isPhysical: evt.isPhysical(), isDigital: evt.isDigital(), frozen: Object.isFrozen(evt), dateIsDate: evt.date instanceof Date,
  };
}`);
      t.clock.advance(5000);
      t.engine.deviceEvent('thermo', 'temperature', 21.7);
      assert.deepEqual(t.rec.errors, []);
      assert.deepEqual(t.engine.appInfo('test-app-1').state, {
        evt: {
          name: 'temperature', value: 21.7, unit: 'C', deviceId: 'thermo', deviceLabel: 'Hall thermometer', functionId: 12,
          date: new Date(T0 + 5000).toISOString(), isoDate: new Date(T0 + 5000).toISOString(), isStateChange: true, source: 'DEVICE',
          numericValue: 21.7, integerValue: 21, stringValue: '21.7', displayName: 'Hall thermometer',
          descriptionText: 'Hall thermometer temperature is 21.7 C', text: 'Hall thermometer temperature is 21.7 C',
          isPhysical: true, isDigital: false, frozen: true, dateIsDate: true,
        },
      });
    });

    it('numericValue of a non-number value throws a TypeError the handler can see', () => {
      install('subscribe(settings.doorDevice, "contact", onContact)', 'function onContact(evt) { try { evt.numericValue } catch (e) { log.info(e.name + ": " + e.message) } }');
      t.engine.deviceEvent('door', 'contact', 'open');
      assert.deepEqual(t.appLogs(), ['TypeError: event value open is not a number']);
    });

    it('subscribe(device, handler) without an attribute says which attribute to give', () => {
      install('subscribe(settings.lamp, h2)');
      assert.deepEqual(t.rec.errors.map((e) => e.message), ['subscribe: say which attribute of "Hall lamp" to listen to, e.g. subscribe(device, "switch", handler)']);
    });

    it('refuses an attribute the device lacks, listing its attributes, and a value the attribute never has', () => {
      install('subscribe(settings.doorDevice, "contact.opne", h2)');
      assert.deepEqual(t.rec.errors.map((e) => e.message), [
        `subscribe: "opne" is never a value of contact; did you mean 'open'?; its values are: open, closed`,
      ]);
    });
  });

  describe('unsubscribe', () => {
    it('unsubscribe() removes all, unsubscribe(device) only that target', () => {
      const id = install(
        'subscribe(settings.lamp, "switch", h2); subscribe(settings.lamp2 || settings.lamps[1], "switch", h3); subscribe(settings.doorDevice, "contact", h1); subscribe(app, onTouch)',
        'function onTouch() { if (!state.dropped) { unsubscribe(settings.lamp); state.dropped = true } else unsubscribe() }',
      );
      t.engine.touch(id);
      assert.deepEqual(t.engine.appInfo(id).subscriptions.map((s) => s.target).sort(), ['door', 'lamp2', id].sort());
      t.engine.deviceEvent('lamp', 'switch', 'on');
      t.engine.deviceEvent('lamp2', 'switch', 'on');
      assert.deepEqual(t.appLogs(), ['h3 switch=on']);
      t.engine.touch(id);
      assert.deepEqual(t.engine.appInfo(id).subscriptions, []);
      t.engine.deviceEvent('lamp2', 'switch', 'off');
      t.engine.deviceEvent('door', 'contact', 'open');
      assert.deepEqual(t.appLogs(), ['h3 switch=on']);
    });

    it('unsubscribe(location) drops the location subscriptions only', () => {
      const id = install('subscribe(location, "mode", h2); subscribe(settings.lamp, "switch", h3); subscribe(app, onTouch)', 'function onTouch() { unsubscribe(location) }');
      t.engine.touch(id);
      t.engine.setMode('Away');
      t.engine.deviceEvent('lamp', 'switch', 'on');
      assert.deepEqual(t.appLogs(), ['h3 switch=on']);
    });

    it('unsubscribe of something that is not a handle says what to pass', () => {
      install('unsubscribe("lamp")');
      assert.deepEqual(t.rec.errors.map((e) => e.message), ['subscribe: lamp is not a device, function, location or app; pass a selector from settings, location or app']);
    });
  });

  describe('commands', () => {
    it('subscribeToCommand delivers the command and its arguments, from apps and from outside', () => {
      install('subscribeToCommand(settings.lamp, "setLevel", onCmd)', 'function onCmd(evt) { log.info(evt.name, evt.value, evt.source) }');
      t.engine.sendCommand('lamp', 'setLevel', [30]);
      t.engine.sendCommand('lamp', 'on');
      assert.deepEqual(t.appLogs(), ['setLevel [30] COMMAND']);
    });

    it('subscribeToCommand of a command the device lacks lists its commands', () => {
      install('subscribeToCommand(settings.lamp, "of", h2); subscribeToCommand(settings.doorDevice, "open", h2)');
      install('subscribeToCommand(settings.doorDevice, "open", h2)');
      assert.deepEqual(t.rec.errors.map((e) => e.message), [
        "subscribeToCommand: device \"Hall lamp\" has no command \"of\"; did you mean 'on'?; it has: on, off, setLevel",
        'subscribeToCommand: device "Front door" has no command "open"; it has no commands (a sensor only reports; subscribe to its attributes instead)',
      ]);
    });
  });

  describe('location', () => {
    it('subscribe(location, "mode") and "mode.Away"', () => {
      install('subscribe(location, "mode", h2); subscribe(location, "mode.Away", h3)');
      t.engine.setMode('Away');
      t.engine.setMode('Night');
      assert.deepEqual(t.appLogs(), ['h2 mode=Away', 'h3 mode=Away', 'h2 mode=Night']);
      assert.deepEqual(t.rec.locationEvents.map((e) => [e.name, e.value]), [['mode', 'Away'], ['mode', 'Night']]);
    });

    it('setting the current mode again is no event', () => {
      install('subscribe(location, "mode", h2)');
      t.engine.setMode('Home');
      assert.deepEqual(t.appLogs(), []);
      assert.deepEqual(t.rec.locationEvents, []);
    });

    it('refuses an unknown mode in a subscription and an unknown location event', () => {
      install('subscribe(location, "mode.Awya", h2)');
      install('subscribe(location, "sunrsie", h2)');
      assert.deepEqual(t.rec.errors.map((e) => e.message), [
        `subscribe: location mode "Awya" does not exist; did you mean 'Away'?; the modes are: Home, Away, Night`,
        `subscribe: location has no event "sunrsie"; did you mean 'sunrise'?; its events are: mode, sunrise, sunset, sunriseTime, sunsetTime, position`,
      ]);
    });

    it('sunrise and sunset fire at the computed times on the virtual clock', () => {
      install('subscribe(location, "sunrise", onSun); subscribe(location, "sunset", onSun)', 'function onSun(evt) { log.info(evt.name, evt.value, new Date().toISOString()) }');
      const { latitude, longitude, timeZone } = t.engine.location;
      const sunset = nextSunEvent('sunset', T0, latitude, longitude, timeZone)!;
      const sunrise = nextSunEvent('sunrise', T0, latitude, longitude, timeZone)!;
      assert.ok(sunset < sunrise);
      // London, midsummer: sunset after 20:00 UTC, sunrise before 04:00 UTC the next day.
      assert.ok(new Date(sunset).toISOString().startsWith('2024-06-21T20:'), new Date(sunset).toISOString());
      assert.ok(new Date(sunrise).toISOString().startsWith('2024-06-22T03:'), new Date(sunrise).toISOString());

      t.clock.advanceTo(sunset - 1);
      assert.deepEqual(t.appLogs(), []);
      t.clock.advanceTo(sunrise + 1);
      const iso = (ms: number) => new Date(ms).toISOString();
      assert.deepEqual(t.appLogs(), [`sunset ${iso(sunset)} ${iso(sunset)}`, `sunrise ${iso(sunrise)} ${iso(sunrise)}`]);
      // The next day's events are armed again.
      const nextSunset = nextSunEvent('sunset', sunrise + 1, latitude, longitude, timeZone)!;
      t.clock.advanceTo(nextSunset);
      assert.equal(t.appLogs().length, 3);
    });

    it('sunriseTime carries the next sunrise; no sun timers are armed without subscribers', () => {
      assert.equal(t.clock.pendingTimers(), 0);
      const id = install('subscribe(location, "sunriseTime", h2)');
      assert.equal(t.clock.pendingTimers(), 2 - 1);
      const { latitude, longitude, timeZone } = t.engine.location;
      const sunrise = nextSunEvent('sunrise', T0, latitude, longitude, timeZone)!;
      const next = nextSunEvent('sunrise', sunrise, latitude, longitude, timeZone)!;
      t.clock.advanceTo(sunrise);
      assert.deepEqual(t.appLogs(), [`h2 sunriseTime=${new Date(next).toISOString()}`]);
      t.engine.uninstall(id);
      assert.equal(t.clock.pendingTimers(), 0);
    });

    it('position changes are location events', () => {
      install('subscribe(location, "position", h2)');
      t.engine.setPosition(59.33, 18.07);
      assert.deepEqual(t.appLogs(), ['h2 position=59.33,18.07']);
      assert.equal(t.engine.location.latitude, 59.33);
    });

    it('location events carry source LOCATION and the location', () => {
      install('subscribe(location, "mode", onMode)', 'function onMode(evt) { state.e = [evt.name, evt.value, evt.source, evt.isStateChange, String(evt.location), evt.date.getTime()] }');
      t.engine.setMode('Night');
      assert.deepEqual(t.engine.appInfo('test-app-1').state, { e: ['mode', 'Night', 'LOCATION', true, 'location', T0] });
    });
  });

  describe('app touch', () => {
    it('subscribe(app, handler) runs the handler when the app is touched', () => {
      const id = install('subscribe(app, onTouch)', 'function onTouch(evt) { log.info(evt.name, evt.value, evt.source, evt.app.id) }');
      t.engine.touch(id);
      assert.deepEqual(t.appLogs(), [`touch touched USER ${id}`]);
    });

    it('touching an app without a touch subscription runs nothing; touching an unknown app throws', () => {
      const id = install('');
      t.engine.touch(id);
      assert.deepEqual(t.rec.executions.map((e) => e.kind), ['installed']);
      assert.throws(() => t.engine.touch('ghost'), { message: `no installed app with id "ghost"; installed: ${id}` });
    });
  });
});
