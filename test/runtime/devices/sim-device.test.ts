import assert from 'node:assert/strict';
import { DeviceError } from '../../../runtime/devices/device-error';
import { SimDevice } from '../../../runtime/devices/sim-device';
import type { DeviceSpec } from '../../../runtime/devices/types';

function device(spec: Partial<DeviceSpec> & { capabilities: string[] }, createdMs = 0): SimDevice {
  return new SimDevice({ id: 'lamp', label: 'Kitchen lamp', ...spec }, createdMs);
}

/** Asserts a DeviceError with this code whose message equals (string) or matches (RegExp). */
function throwsDevice(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DeviceError, `expected DeviceError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('devices/SimDevice', () => {
  describe('shape', () => {
    it('exposes its spec, capabilities, attributes and commands', () => {
      const d = device({ capabilities: ['switch', 'switchLevel'], type: 'Dimmer', meta: { room: 'kitchen' } });
      assert.deepEqual([d.id, d.label, d.type, d.temperatureUnit], ['lamp', 'Kitchen lamp', 'Dimmer', 'C']);
      assert.deepEqual(d.capabilities.map((c) => c.id), ['switch', 'switchLevel']);
      assert.deepEqual(d.meta, { room: 'kitchen' });
      assert.equal(d.hasCapability('switchLevel'), true);
      assert.equal(d.hasCapability('lock'), false);
      assert.equal(d.hasAttribute('level'), true);
      assert.equal(d.hasAttribute('lock'), false);
      assert.equal(d.hasCommand('setLevel'), true);
      assert.equal(d.hasCommand('lock'), false);
      assert.deepEqual(d.supportedAttributes().map((a) => a.name), ['switch', 'level']);
      assert.deepEqual(d.supportedCommands().map((c) => c.name), ['on', 'off', 'setLevel']);
      assert.equal(d.attributeSpec('level')?.unit, '%');
      assert.equal(d.attributeSpec('nope'), undefined);
    });

    it('defaults label to id and type to empty', () => {
      const d = new SimDevice({ id: 'plug', label: '', capabilities: ['switch'] });
      assert.equal(d.label, 'plug');
      assert.equal(d.type, '');
    });

    it('starts with initial values, overridden by the spec, dated at creation', () => {
      const d = device({ capabilities: ['switch', 'switchLevel'], attributes: { level: 40 } }, 500);
      assert.deepEqual(d.snapshot(), { switch: 'off', level: 40 });
      assert.deepEqual(d.current('switch'), { value: 'off', unit: undefined, date: 500 });
      assert.deepEqual(d.current('level'), { value: 40, unit: '%', date: 500 });
    });

    it('distinguishes a missing attribute (undefined) from one without a value yet (null)', () => {
      const d = device({ capabilities: ['button'] });
      assert.equal(d.value('button'), null);
      assert.equal(d.current('button'), undefined);
      assert.equal(d.value('switch'), undefined);
      assert.equal(d.value('numberOfButtons'), 1);
    });

    it('treats a capability listed twice as once', () => {
      const d = device({ capabilities: ['switch', 'switch'] });
      assert.deepEqual(d.capabilities.map((c) => c.id), ['switch']);
    });

    it('builds temperature attributes in the device unit', () => {
      const d = device({ capabilities: ['thermostat'], temperatureUnit: 'F' });
      assert.deepEqual(d.current('heatingSetpoint'), { value: 68, unit: 'F', date: 0 });
      assert.deepEqual(d.report('temperature', 72, 1), { value: 72, unit: 'F', isStateChange: true });
      throwsDevice(
        () => d.command('setHeatingSetpoint', [20], 2),
        'bad-argument',
        "Device 'Kitchen lamp' (lamp): setHeatingSetpoint(setpoint: number 32..104): argument 'setpoint' must be between 32 and 104, got 20",
      );
    });

    it('rejects bad specs with DeviceErrors naming the device', () => {
      throwsDevice(() => device({ capabilities: ['swtich'] }), 'unknown-capability', "Device 'Kitchen lamp' (lamp): unknown capability 'swtich'; did you mean 'switch'?");
      throwsDevice(() => device({ capabilities: ['switch'], attributes: { switch: 'dim' } }), 'bad-value', /^Device 'Kitchen lamp' \(lamp\): "dim" is not a valid value for switch; allowed: "on", "off"$/);
      throwsDevice(
        () => device({ capabilities: ['switch'], functionIds: { swich: 3 } }),
        'unknown-attribute',
        "Device 'Kitchen lamp' (lamp) has no attribute 'swich' (in functionIds); did you mean 'switch'? Its attributes: switch.",
      );
      throwsDevice(() => new SimDevice({ id: '', label: 'x', capabilities: ['switch'] }), 'bad-device', /non-empty string id/);
    });
  });

  describe('functions', () => {
    it('has one function per attribute with default ids, function types and device meta', () => {
      const d = new SimDevice({ id: 'door', label: 'Front door', capabilities: ['contactSensor', 'battery'], meta: { room: 'hall' } });
      const meta = { room: 'hall', device_id: 'door', name: 'Front door' };
      assert.deepEqual(d.functions(), [
        { id: 'door.contact', deviceId: 'door', attribute: 'contact', type: 'door', meta },
        { id: 'door.battery', deviceId: 'door', attribute: 'battery', type: 'battery', meta },
      ]);
    });

    it('uses functionIds as written, numbers staying numbers', () => {
      const d = new SimDevice({ id: 'door', label: 'door', capabilities: ['contactSensor', 'battery'], functionIds: { contact: 9, battery: 'bat-1' } });
      assert.deepEqual(d.functions().map((f) => f.id), [9, 'bat-1']);
    });

    it('gives an attribute shared by two capabilities a single function', () => {
      const d = device({ capabilities: ['temperatureMeasurement', 'thermostat'] });
      const temps = d.functions().filter((f) => f.attribute === 'temperature');
      assert.deepEqual(temps.map((f) => [f.id, f.type]), [['lamp.temperature', 'temperature']]);
      assert.equal(d.functions().length, 7);
    });

    it('lets device meta not override device_id and name', () => {
      const d = new SimDevice({ id: 'x', label: 'X', capabilities: ['switch'], meta: { name: 'other', device_id: 'y' } });
      assert.deepEqual(d.functions()[0].meta, { name: 'X', device_id: 'x' });
    });
  });

  describe('command()', () => {
    it('stores the changes with the given time and flags state changes', () => {
      const d = device({ capabilities: ['switch', 'switchLevel'] });
      assert.deepEqual(d.command('setLevel', [60], 100), [
        { attribute: 'level', value: 60, unit: '%', isStateChange: true },
        { attribute: 'switch', value: 'on', unit: undefined, isStateChange: true },
      ]);
      assert.deepEqual(d.command('on', [], 200), [{ attribute: 'switch', value: 'on', unit: undefined, isStateChange: false }]);
      assert.deepEqual(d.current('switch'), { value: 'on', unit: undefined, date: 200 });
      assert.equal(d.current('level')?.date, 100);
    });

    it('applies a command to every capability that defines it (switch and thermostat off())', () => {
      const d = device({ capabilities: ['switch', 'thermostat'], attributes: { switch: 'on', thermostatMode: 'heat', temperature: 15 } });
      const changes = d.command('off', [], 10);
      assert.deepEqual(Object.fromEntries(changes.map((c) => [c.attribute, c.value])), {
        switch: 'off',
        thermostatMode: 'off',
        thermostatOperatingState: 'idle',
      });
      assert.deepEqual([d.value('switch'), d.value('thermostatMode')], ['off', 'off']);
    });

    it('applies shared commands in capability order for alarm+switch and valve+windowShade', () => {
      const siren = device({ capabilities: ['alarm', 'switch'], attributes: { alarm: 'both', switch: 'on' } });
      assert.deepEqual(siren.command('off', [], 1).map((c) => [c.attribute, c.value]), [['alarm', 'off'], ['switch', 'off']]);
      const combo = device({ capabilities: ['valve', 'windowShade'] });
      assert.deepEqual(combo.command('open', [], 1).map((c) => [c.attribute, c.value]), [['valve', 'open'], ['windowShade', 'open']]);
    });

    it('accepts numeric strings and trailing undefined for number parameters', () => {
      const d = device({ capabilities: ['switchLevel'] });
      assert.deepEqual(d.command('setLevel', ['25', undefined], 1), [{ attribute: 'level', value: 25, unit: '%', isStateChange: true }]);
      assert.equal(d.value('level'), 25);
    });

    it('names the device and suggests a close command for unknown commands', () => {
      const d = device({ capabilities: ['switch', 'switchLevel'] });
      throwsDevice(
        () => d.command('setLevle', [1], 0),
        'unknown-command',
        "Device 'Kitchen lamp' (lamp) has no command 'setLevle'; did you mean 'setLevel'? Its commands: on(), off(), setLevel(level: number 0..100, rate?: number >= 0).",
      );
      throwsDevice(() => d.command('explode', [], 0), 'unknown-command', "Device 'Kitchen lamp' (lamp) has no command 'explode'. Its commands: on(), off(), setLevel(level: number 0..100, rate?: number >= 0).");
    });

    it('explains that sensors change through reports', () => {
      const d = new SimDevice({ id: 'door', label: 'door', capabilities: ['contactSensor'] });
      throwsDevice(() => d.command('open', [], 0), 'unknown-command', "Device 'door' has no command 'open'. It has no commands; its attributes change through reports.");
    });

    it('checks the number of arguments', () => {
      const d = device({ capabilities: ['switch', 'switchLevel'] });
      throwsDevice(() => d.command('on', [true], 0), 'bad-argument', "Device 'Kitchen lamp' (lamp): on(): takes 0 arguments, got 1");
      throwsDevice(() => d.command('setLevel', [1, 2, 3], 0), 'bad-argument', "Device 'Kitchen lamp' (lamp): setLevel(level: number 0..100, rate?: number >= 0): takes at most 2 arguments, got 3");
      throwsDevice(() => d.command('setLevel', [], 0), 'bad-argument', "Device 'Kitchen lamp' (lamp): setLevel(level: number 0..100, rate?: number >= 0): missing argument 'level'");
      const c = device({ capabilities: ['colorTemperature'] });
      throwsDevice(() => c.command('setColorTemperature', [1, 2], 0), 'bad-argument', /setColorTemperature\(kelvin: number 1\.\.30000\): takes 1 argument, got 2$/);
    });

    it('checks argument types and ranges', () => {
      const d = device({ capabilities: ['switchLevel'] });
      const sig = "Device 'Kitchen lamp' (lamp): setLevel(level: number 0..100, rate?: number >= 0)";
      throwsDevice(() => d.command('setLevel', ['bright'], 0), 'bad-argument', `${sig}: argument 'level' must be a number, got "bright"`);
      throwsDevice(() => d.command('setLevel', [null], 0), 'bad-argument', `${sig}: argument 'level' must be a number, got null`);
      throwsDevice(() => d.command('setLevel', [Number.NaN], 0), 'bad-argument', `${sig}: argument 'level' must be a number, got NaN`);
      throwsDevice(() => d.command('setLevel', [101], 0), 'bad-argument', `${sig}: argument 'level' must be between 0 and 100, got 101`);
      throwsDevice(() => d.command('setLevel', [50, -1], 0), 'bad-argument', `${sig}: argument 'rate' must be at least 0, got -1`);
      assert.equal(d.value('level'), 100, 'a rejected command changes nothing');
    });

    it('checks enum arguments and suggests the closest value', () => {
      const d = device({ capabilities: ['thermostat'] });
      throwsDevice(
        () => d.command('setThermostatMode', ['haet'], 0),
        'bad-argument',
        'Device \'Kitchen lamp\' (lamp): setThermostatMode(mode: "auto" | "cool" | "heat" | "emergency heat" | "off"): "haet" is not a valid value for argument \'mode\'; allowed: "auto", "cool", "heat", "emergency heat", "off"; did you mean \'heat\'?',
      );
      throwsDevice(() => d.command('setThermostatFanMode', [1], 0), 'bad-argument', /"on", "circulate"$/);
    });

    it('checks map arguments key by key', () => {
      const d = device({ capabilities: ['colorControl'] });
      const sig = "Device 'Kitchen lamp' (lamp): setColor(color: {hue?: number 0..100, saturation?: number 0..100})";
      throwsDevice(() => d.command('setColor', ['red'], 0), 'bad-argument', `${sig}: argument 'color' must be a map like {hue?: number 0..100, saturation?: number 0..100}, got "red"`);
      throwsDevice(
        () => d.command('setColor', [{ hue: 5, saturaton: 5 }], 0),
        'bad-argument',
        `${sig}: argument 'color' has unknown key 'saturaton'; did you mean 'saturation'?; expected {hue?: number 0..100, saturation?: number 0..100}`,
      );
      throwsDevice(() => d.command('setColor', [{ hue: 500 }], 0), 'bad-argument', `${sig}: argument 'color' key 'hue' must be between 0 and 100, got 500`);
      assert.deepEqual(d.command('setColor', [{ saturation: '100' }], 0).map((c) => [c.attribute, c.value]), [['saturation', 100], ['color', '#FF0000']]);
    });
  });

  describe('report()', () => {
    it('detects state changes', () => {
      const d = new SimDevice({ id: 'door', label: 'Front door', capabilities: ['contactSensor'] });
      assert.deepEqual(d.report('contact', 'open', 10), { value: 'open', unit: undefined, isStateChange: true });
      assert.deepEqual(d.report('contact', 'open', 20), { value: 'open', unit: undefined, isStateChange: false });
      assert.deepEqual(d.report('contact', 'closed', 30), { value: 'closed', unit: undefined, isStateChange: true });
      assert.deepEqual(d.current('contact'), { value: 'closed', unit: undefined, date: 30 });
    });

    it('treats every button press as a state change, the first one included', () => {
      const d = device({ capabilities: ['button'] });
      assert.equal(d.report('button', 'pushed', 1).isStateChange, true);
      assert.equal(d.report('button', 'pushed', 2).isStateChange, true);
      assert.equal(d.report('numberOfButtons', 1, 3).isStateChange, false);
    });

    it('converts numeric strings and returns the unit', () => {
      const d = device({ capabilities: ['temperatureMeasurement', 'powerMeter'] });
      assert.deepEqual(d.report('temperature', '21.5', 5), { value: 21.5, unit: 'C', isStateChange: true });
      assert.deepEqual(d.report('temperature', 21.5, 6), { value: 21.5, unit: 'C', isStateChange: false });
      assert.deepEqual(d.report('power', -120, 7), { value: -120, unit: 'W', isStateChange: true });
    });

    it('rejects unknown attributes, listing the device attributes', () => {
      const d = new SimDevice({ id: 'door', label: 'Front door', capabilities: ['contactSensor', 'battery'] });
      throwsDevice(
        () => d.report('contct', 'open', 0),
        'unknown-attribute',
        "Device 'Front door' (door) has no attribute 'contct'; did you mean 'contact'? Its attributes: contact, battery.",
      );
      throwsDevice(() => d.report('switch', 'on', 0), 'unknown-attribute', "Device 'Front door' (door) has no attribute 'switch'. Its attributes: contact, battery.");
    });

    it('rejects values outside an enum, listing the allowed ones', () => {
      const d = new SimDevice({ id: 'door', label: 'Front door', capabilities: ['contactSensor', 'lock'] });
      throwsDevice(() => d.report('contact', 'ajar', 0), 'bad-value', 'Device \'Front door\' (door): "ajar" is not a valid value for contact; allowed: "open", "closed"');
      throwsDevice(() => d.report('contact', 'Open', 0), 'bad-value', /allowed: "open", "closed"; did you mean 'open'\?$/);
      assert.equal(d.report('lock', 'unlocked with timeout', 0).value, 'unlocked with timeout');
    });

    it('rejects non-numbers and out-of-range numbers', () => {
      const d = new SimDevice({ id: 'door', label: 'Front door', capabilities: ['battery', 'illuminanceMeasurement'] });
      throwsDevice(() => d.report('battery', 'full', 0), 'bad-value', 'Device \'Front door\' (door): battery must be a number, got "full"');
      throwsDevice(() => d.report('battery', '', 0), 'bad-value', 'Device \'Front door\' (door): battery must be a number, got ""');
      throwsDevice(() => d.report('battery', 101, 0), 'bad-value', "Device 'Front door' (door): battery must be between 0 and 100 %, got 101");
      throwsDevice(() => d.report('illuminance', -1, 0), 'bad-value', "Device 'Front door' (door): illuminance must be at least 0 lux, got -1");
      throwsDevice(() => d.report('battery', null, 0), 'bad-value', "Device 'Front door' (door): battery needs a value, got null");
      assert.equal(d.value('battery'), 100, 'a rejected report changes nothing');
    });

    it('accepts strings and stringifies scalars for string attributes', () => {
      const d = device({ capabilities: ['colorControl'] });
      assert.equal(d.report('color', '#112233', 0).value, '#112233');
      assert.equal(d.report('color', 5, 0).value, '5');
      throwsDevice(() => d.report('color', { r: 1 }, 0), 'bad-value', /color must be a string, got \{"r":1\}$/);
    });
  });
});
