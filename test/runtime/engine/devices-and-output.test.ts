import assert from 'node:assert/strict';
import { addStandardDevices, makeThing, src, T0, TestThing } from './engine-helpers';
import type { InputSpec } from '../../../runtime/app';

const INPUTS: Record<string, InputSpec> = {
  lamp: { type: 'single_device_selector', name: 'Lamp' },
  lock: { type: 'single_device_selector', name: 'Lock' },
  thermostat: { type: 'single_device_selector', name: 'Thermostat' },
  valve: { type: 'single_device_selector', name: 'Valve' },
  shade: { type: 'single_device_selector', name: 'Shade' },
  notify: { type: 'single_notification_output_selector', name: 'Notify' },
};
const CONFIG = { lamp: 'lamp', lock: 'lock', thermostat: 'thermostat', valve: 'valve', shade: 'shade', notify: 456 };

describe('ThingEngine devices, notifications and logs', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
    t.engine.addDevice({ id: 'thermostat', label: 'Thermostat', capabilities: ['thermostat'] });
    t.engine.addDevice({ id: 'valve', label: 'Water valve', capabilities: ['valve'] });
    t.engine.addDevice({ id: 'shade', label: 'Blind', capabilities: ['windowShade'] });
  });

  function install(body: string, extra = '') {
    return t.engine.install({ source: src(`function installed() {\n${body}\n}\n${extra}`, INPUTS), config: CONFIG }).id;
  }

  describe('commands from scripts', () => {
    it('change attributes per capability and emit events with source APP_COMMAND and causedBy', () => {
      const id = install(`settings.lamp.on(); settings.lamp.setLevel(40); settings.lock.unlock(); settings.thermostat.setHeatingSetpoint(22);
settings.valve.open(); settings.shade.presetPosition();`);
      assert.deepEqual(t.rec.commands.map((c) => [c.appId, c.deviceId, c.command, c.args]), [
        [id, 'lamp', 'on', []],
        [id, 'lamp', 'setLevel', [40]],
        [id, 'lock', 'unlock', []],
        [id, 'thermostat', 'setHeatingSetpoint', [22]],
        [id, 'valve', 'open', []],
        [id, 'shade', 'presetPosition', []],
      ]);
      const changed = t.rec.deviceEvents.filter((e) => e.isStateChange).map((e) => `${e.deviceId}.${e.name}=${e.value}`);
      assert.deepEqual(changed, [
        'lamp.switch=on', 'lamp.level=40', 'lock.lock=unlocked', 'thermostat.heatingSetpoint=22', 'valve.valve=open', 'shade.windowShade=partially open',
      ]);
      for (const e of t.rec.deviceEvents) {
        assert.equal(e.source, 'APP_COMMAND');
        assert.equal(e.causedBy, id);
        assert.equal(e.time, T0);
      }
      assert.equal(t.engine.currentValue('lock', 'lock'), 'unlocked');
      assert.equal(t.engine.currentValue('lamp', 'level'), 40);
    });

    it('setLevel(0) on a dimmable switch turns it off; the unchanged value is no state change', () => {
      install('settings.lamp.setLevel(0)');
      assert.deepEqual(t.rec.deviceEvents.map((e) => [e.name, e.value, e.isStateChange]), [['level', 0, true], ['switch', 'off', false]]);
    });

    it('events caused by a command run after the handler that sent it, and reach subscribers as APP_COMMAND', () => {
      install('subscribe(settings.lock, "lock", onLock); settings.lock.unlock(); log.info("after unlock")', 'function onLock(e) { log.info(e.value, e.source, e.isDigital()) }');
      assert.deepEqual(t.appLogs(), ['after unlock', 'unlocked APP_COMMAND true']);
    });

    it('a command the handle lacks is a TypeError saying what it has; bad arguments name the signature and the fix', () => {
      install(`try { settings.lamp.lock() } catch (e) { log.warn(e.name + ": " + e.message) }
try { settings.lamp.setLevel(500) } catch (e) { log.warn(e.message) }
try { settings.lamp.on(1) } catch (e) { log.warn(e.message) }
log.info(settings.lamp.hasCommand("lock"), settings.lamp.hasCommand("setLevel"), settings.lamp.hasCapability("switchLevel"), settings.lamp.hasAttribute("level"))`);
      assert.deepEqual(t.appLogs(), [
        'TypeError: device "Hall lamp" has no command lock() (capabilities: switch, switchLevel); its commands: on, off, setLevel',
        "Device 'Hall lamp' (lamp): setLevel(level: number 0..100, rate?: number >= 0): argument 'level' must be between 0 and 100, got 500 Use a value between 0 and 100.",
        "Device 'Hall lamp' (lamp): on(): takes 0 arguments, got 1",
        'false true true true',
      ]);
      assert.deepEqual(t.rec.commands, []);
    });

    it('reads current values, states and the event history through the handle', () => {
      t.clock.advance(1000);
      t.engine.deviceEvent('lamp', 'level', 55);
      install(`var l = settings.lamp;
state.v = [l.currentValue("level"), l.currentLevel, l.currentSwitch, l.latestValue("switch"), l.currentState("level").unit,
  l.currentState("level").date.getTime(), l.supportedAttributes, l.supportedCommands, l.events({ max: 5 }).map(function (e) { return e.name + "=" + e.value })];
try { l.currentValue("temperature") } catch (e) { state.err = e.message }`);
      assert.deepEqual(t.engine.appInfo('test-app-1').state, {
        v: [55, 55, 'off', 'off', '%', T0 + 1000, ['switch', 'level'], ['on', 'off', 'setLevel'], ['level=55']],
        err: 'device "Hall lamp" has no attribute "temperature"; it has: switch, level',
      });
    });

    it('the event history keeps the newest events of each device, newest first, past its size', () => {
      const small = makeThing({ historySize: 3 });
      addStandardDevices(small.engine);
      for (let level = 1; level <= 7; level++) small.engine.deviceEvent('lamp', 'level', level * 10);
      small.engine.install({ source: src('function installed() { state.h = settings.lamp.events({ max: 10 }).map(function (e) { return e.value }) }', { lamp: INPUTS.lamp }), config: { lamp: 'lamp' } });
      assert.deepEqual(small.engine.appInfo('test-app-1').state, { h: [70, 60, 50] });
    });

    it('top-level code cannot send commands: only installed(), updated() and handlers can', () => {
      assert.throws(
        () => t.engine.install({ source: src('var x = 1; sendNotification(1, "x")\nfunction installed() {}', INPUTS), config: CONFIG }),
        (e: Error) => e.name === 'SourceError' && e.message.includes('sendNotification() cannot be called at the top level of app.js; call it from installed(), updated() or a handler'),
      );
    });
  });

  describe('commands from outside', () => {
    it('sendCommand applies the command with source COMMAND and no app', () => {
      install('subscribe(settings.lamp, "switch", onSwitch)', 'function onSwitch(e) { log.info(e.value, e.source) }');
      t.engine.sendCommand('lamp', 'on');
      assert.deepEqual(t.rec.commands.map((c) => [c.appId, c.deviceId, c.command]), [[undefined, 'lamp', 'on']]);
      assert.deepEqual(t.rec.deviceEvents.map((e) => [e.name, e.value, e.source, e.causedBy]), [['switch', 'on', 'COMMAND', undefined]]);
      assert.deepEqual(t.appLogs(), ['on COMMAND']);
    });

    it('an unknown command or device throws with the list and did-you-mean', () => {
      assert.throws(() => t.engine.sendCommand('lamp', 'toggle'), {
        name: 'DeviceError',
        message: "Device 'Hall lamp' (lamp) has no command 'toggle'. Its commands: on(), off(), setLevel(level: number 0..100, rate?: number >= 0).",
      });
      assert.throws(() => t.engine.sendCommand('lampx', 'on'), { message: "unknown device 'lampx'; did you mean 'lamp'? Known devices: door, lamp, lamp2, lock, button, thermo, motion, thermostat, valve, shade." });
      assert.throws(() => t.engine.deviceEvent('lamp', 'switch', 'dim'), { message: `Device 'Hall lamp' (lamp): "dim" is not a valid value for switch; allowed: "on", "off"` });
      assert.deepEqual(t.rec.commands, []);
      assert.deepEqual(t.rec.deviceEvents, []);
    });
  });

  describe('notifications', () => {
    it('sendNotification with a notification handle, a numeric id and a string id', () => {
      const id = install('sendNotification(settings.notify, "Door open"); sendNotification(7, { temp: 21 }); sendNotification("sms-1", "Hi")');
      assert.deepEqual(t.rec.notifications.map((n) => [n.appId, n.appLabel, n.outputId, n.message, n.time]), [
        [id, 'test-app', 456, 'Door open', T0],
        [id, 'test-app', 7, '{"temp":21}', T0],
        [id, 'test-app', 'sms-1', 'Hi', T0],
      ]);
    });

    it('refuses something that is not an output', () => {
      install('sendNotification({ id: 3 }, "x")');
      assert.deepEqual(t.rec.errors.map((e) => e.message), ['sendNotification: the first argument must be a notification output (from a notification selector input) or its id, got {"id":3}']);
      assert.deepEqual(t.rec.notifications, []);
    });
  });

  describe('logs', () => {
    it('log.* and console.* map to levels; values are formatted; the rate budget is attached', () => {
      // Every execution counts against the rate limit: installed() and the touch.
      const id = install('subscribe(app, onTouch)', `function onTouch() {
log.trace("t"); log.debug("d", 1); log.info("i", { a: 1 }, [1, 2]); log.warn("w", null, undefined); log.error("e", true);
console.log("cl"); console.info("ci"); console.debug("cd"); console.warn("cw"); console.error("ce"); console.trace("ct"); }`);
      t.engine.touch(id);
      const logs = t.rec.logs.filter((l) => l.source === 'app');
      assert.deepEqual(logs.map((l) => [l.level, l.message]), [
        ['trace', 't'], ['debug', 'd 1'], ['info', 'i {"a":1} [1,2]'], ['warn', 'w null undefined'], ['error', 'e true'],
        ['info', 'cl'], ['info', 'ci'], ['debug', 'cd'], ['warn', 'cw'], ['error', 'ce'], ['trace', 'ct'],
      ]);
      for (const l of logs) {
        assert.equal(l.appId, id);
        assert.equal(l.appLabel, 'test-app');
        assert.deepEqual(l.budget, { used: 2, limit: 250, windowEndsAt: T0 + 60_000 });
      }
    });

    it('a logged Error shows its app.js frames only, at app.js columns', () => {
      install('  console.error(new Error("bad"))');
      assert.deepEqual(t.appLogs(), ['Error: bad\n    at installed (/apps/test/app.js:2:17)']);
    });
  });

  describe('child devices', () => {
    it('addChildDevice creates a working device; getChildDevices/getChildDevice find it; deleteChildDevice removes it', () => {
      const id = install(`var d = addChildDevice("kid", { label: "Kid lamp", capabilities: ["switch"], attributes: { switch: "on" } });
subscribe(d, "switch", onKid);
d.off();
state.kids = getChildDevices().map(function (c) { return c.label + ":" + c.currentSwitch });
state.found = [getChildDevice("kid") === d, getChildDevice("nope")];
subscribe(app, onTouch)`, `function onKid(e) { log.info("kid", e.value) }
function onTouch() { deleteChildDevice("kid"); state.after = getChildDevices().length; try { deleteChildDevice("lamp") } catch (e) { log.warn(e.message) } }`);
      assert.deepEqual(t.appLogs(), ['kid off']);
      assert.deepEqual(t.engine.appInfo(id).state, { kids: ['Kid lamp:off'], found: [true, null] });
      assert.deepEqual(t.engine.devices.get('kid')!.meta, { app_id: id });
      assert.deepEqual(t.rec.persists.at(-1)!.snapshot.childDevices, [{ id: 'kid', label: 'Kid lamp', capabilities: ['switch'], attributes: { switch: 'off' }, type: '' }]);
      t.engine.touch(id);
      assert.equal(t.engine.devices.get('kid'), undefined);
      assert.deepEqual(t.engine.appInfo(id).subscriptions.map((s) => s.target), [id]);
      assert.deepEqual(t.engine.appInfo(id).state, { kids: ['Kid lamp:off'], found: [true, null], after: 0 });
      assert.deepEqual(t.appLogs().slice(1), ['deleteChildDevice: "lamp" is not a child device of this app']);
      assert.ok(t.engine.devices.get('lamp'));
    });

    it('refuses a child device without capabilities or with a taken id', () => {
      install(`try { addChildDevice("x", { label: "X" }) } catch (e) { log.warn(e.message) }
try { addChildDevice("lamp", { capabilities: ["switch"] }) } catch (e) { log.warn(e.message) }
try { addChildDevice("y", { capabilities: ["swtich"] }) } catch (e) { log.warn(e.message) }`);
      assert.deepEqual(t.appLogs(), [
        'addChildDevice: give the device its capabilities, e.g. addChildDevice("lamp-1", { label: "Lamp", capabilities: ["switch"] })',
        "a device with id 'lamp' already exists Give each device its own id.",
        t.appLogs()[2],
      ]);
      assert.match(t.appLogs()[2], /^Device 'y': unknown capability 'swtich'; did you mean 'switch'\?/);
      assert.deepEqual(t.engine.devices.all().map((d) => d.id), ['door', 'lamp', 'lamp2', 'lock', 'button', 'thermo', 'motion', 'thermostat', 'valve', 'shade']);
    });
  });
});
