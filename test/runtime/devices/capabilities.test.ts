import assert from 'node:assert/strict';
import {
  allCapabilities,
  capabilityIds,
  getCapability,
  requireCapability,
  unknownCapabilityMessage,
} from '../../../runtime/devices/capabilities';
import { DeviceError } from '../../../runtime/devices/device-error';
import { SimDevice } from '../../../runtime/devices/sim-device';
import type { AttrValue } from '../../../runtime/devices/types';
import { checkAttributeValue } from '../../../runtime/devices/values';

interface Row {
  caps: string[];
  before?: Record<string, AttrValue>;
  command: string;
  args?: unknown[];
  expect: Record<string, AttrValue>;
}

// Every command of the catalogue appears at least once (a test below holds the table to that).
const ROWS: Row[] = [
  { caps: ['switch'], command: 'on', expect: { switch: 'on' } },
  { caps: ['switch'], before: { switch: 'on' }, command: 'off', expect: { switch: 'off' } },
  { caps: ['switchLevel'], command: 'setLevel', args: [30], expect: { level: 30 } },
  { caps: ['switch', 'switchLevel'], command: 'setLevel', args: [30], expect: { level: 30, switch: 'on' } },
  { caps: ['switch', 'switchLevel'], before: { switch: 'on' }, command: 'setLevel', args: [0], expect: { level: 0, switch: 'off' } },
  { caps: ['switchLevel'], command: 'setLevel', args: [55, 3], expect: { level: 55 } },
  { caps: ['colorControl'], command: 'setHue', args: [10], expect: { hue: 10, color: '#FFFFFF' } },
  { caps: ['colorControl'], command: 'setSaturation', args: [100], expect: { saturation: 100, color: '#FF0000' } },
  { caps: ['colorControl'], command: 'setColor', args: [{ hue: 100 / 3, saturation: 100 }], expect: { hue: 100 / 3, saturation: 100, color: '#00FF00' } },
  { caps: ['colorControl'], before: { saturation: 100 }, command: 'setColor', args: [{ hue: 200 / 3 }], expect: { hue: 200 / 3, color: '#0000FF' } },
  { caps: ['colorTemperature'], command: 'setColorTemperature', args: [4000], expect: { colorTemperature: 4000 } },
  { caps: ['lock'], before: { lock: 'unlocked' }, command: 'lock', expect: { lock: 'locked' } },
  { caps: ['lock'], command: 'unlock', expect: { lock: 'unlocked' } },
  { caps: ['valve'], command: 'open', expect: { valve: 'open' } },
  { caps: ['valve'], before: { valve: 'open' }, command: 'close', expect: { valve: 'closed' } },
  { caps: ['doorControl'], command: 'open', expect: { door: 'open' } },
  { caps: ['doorControl'], before: { door: 'open' }, command: 'close', expect: { door: 'closed' } },
  { caps: ['windowShade'], command: 'open', expect: { windowShade: 'open' } },
  { caps: ['windowShade'], before: { windowShade: 'open' }, command: 'close', expect: { windowShade: 'closed' } },
  { caps: ['windowShade'], command: 'presetPosition', expect: { windowShade: 'partially open' } },
  { caps: ['alarm'], command: 'siren', expect: { alarm: 'siren' } },
  { caps: ['alarm'], command: 'strobe', expect: { alarm: 'strobe' } },
  { caps: ['alarm'], command: 'both', expect: { alarm: 'both' } },
  { caps: ['alarm'], before: { alarm: 'both' }, command: 'off', expect: { alarm: 'off' } },
  { caps: ['refresh'], command: 'refresh', expect: {} },
  // Thermostat: starts off, heating 20, cooling 24, temperature 20, fan auto.
  { caps: ['thermostat'], before: { temperature: 18 }, command: 'heat', expect: { thermostatMode: 'heat', thermostatSetpoint: 20, thermostatOperatingState: 'heating' } },
  { caps: ['thermostat'], command: 'heat', expect: { thermostatMode: 'heat', thermostatSetpoint: 20, thermostatOperatingState: 'idle' } },
  { caps: ['thermostat'], before: { temperature: 26 }, command: 'cool', expect: { thermostatMode: 'cool', thermostatSetpoint: 24, thermostatOperatingState: 'cooling' } },
  { caps: ['thermostat'], before: { temperature: 18 }, command: 'auto', expect: { thermostatMode: 'auto', thermostatOperatingState: 'heating' } },
  { caps: ['thermostat'], before: { temperature: 30 }, command: 'auto', expect: { thermostatMode: 'auto', thermostatOperatingState: 'cooling' } },
  { caps: ['thermostat'], before: { temperature: 10 }, command: 'emergencyHeat', expect: { thermostatMode: 'emergency heat', thermostatSetpoint: 20, thermostatOperatingState: 'heating' } },
  { caps: ['thermostat'], before: { thermostatMode: 'heat', thermostatOperatingState: 'heating' }, command: 'off', expect: { thermostatMode: 'off', thermostatOperatingState: 'idle' } },
  { caps: ['thermostat'], command: 'setThermostatMode', args: ['cool'], expect: { thermostatMode: 'cool', thermostatSetpoint: 24, thermostatOperatingState: 'idle' } },
  { caps: ['thermostat'], before: { thermostatMode: 'heat' }, command: 'setHeatingSetpoint', args: [22], expect: { heatingSetpoint: 22, thermostatSetpoint: 22, thermostatOperatingState: 'heating' } },
  { caps: ['thermostat'], command: 'setHeatingSetpoint', args: [22], expect: { heatingSetpoint: 22, thermostatOperatingState: 'idle' } },
  { caps: ['thermostat'], before: { thermostatMode: 'cool' }, command: 'setCoolingSetpoint', args: [19], expect: { coolingSetpoint: 19, thermostatSetpoint: 19, thermostatOperatingState: 'cooling' } },
  { caps: ['thermostat'], command: 'fanOn', expect: { thermostatFanMode: 'on', thermostatOperatingState: 'fan only' } },
  { caps: ['thermostat'], before: { thermostatFanMode: 'on' }, command: 'fanAuto', expect: { thermostatFanMode: 'auto', thermostatOperatingState: 'idle' } },
  { caps: ['thermostat'], command: 'fanCirculate', expect: { thermostatFanMode: 'circulate', thermostatOperatingState: 'idle' } },
  { caps: ['thermostat'], command: 'setThermostatFanMode', args: ['on'], expect: { thermostatFanMode: 'on', thermostatOperatingState: 'fan only' } },
];

describe('devices/capabilities', () => {
  describe('command effects', () => {
    for (const row of ROWS) {
      const title = `${row.caps.join('+')}: ${row.command}(${(row.args ?? []).map((a) => JSON.stringify(a)).join(', ')})`;
      it(`${title}${row.before ? ` from ${JSON.stringify(row.before)}` : ''}`, () => {
        const device = new SimDevice({ id: 'd', label: 'D', capabilities: row.caps, attributes: row.before });
        const changes = device.command(row.command, row.args ?? [], 1000);
        assert.deepEqual(Object.fromEntries(changes.map((c) => [c.attribute, c.value])), row.expect);
        for (const [attribute, value] of Object.entries(row.expect)) {
          assert.deepEqual(device.current(attribute), { value, unit: device.attributeSpec(attribute)?.unit, date: 1000 });
        }
      });
    }

    it('covers every command of the catalogue', () => {
      const covered = new Set(ROWS.flatMap((r) => r.caps.map((c) => `${c}.${r.command}`)));
      const missing = allCapabilities()
        .flatMap((cap) => cap.commands.map((c) => `${cap.id}.${c.name}`))
        .filter((key) => !covered.has(key));
      assert.deepEqual(missing, []);
    });
  });

  describe('catalogue', () => {
    it('has the required capabilities', () => {
      const required = [
        'switch', 'switchLevel', 'contactSensor', 'motionSensor', 'temperatureMeasurement',
        'relativeHumidityMeasurement', 'illuminanceMeasurement', 'lock', 'presenceSensor', 'button',
        'battery', 'powerMeter', 'energyMeter', 'thermostat', 'valve', 'waterSensor', 'smokeDetector',
        'accelerationSensor', 'colorControl', 'colorTemperature', 'alarm', 'doorControl', 'windowShade', 'refresh',
      ];
      assert.deepEqual([...capabilityIds()].sort(), [...required].sort());
      assert.deepEqual(allCapabilities().map((c) => c.id), capabilityIds());
    });

    it('describes every attribute and command and gives each attribute a function type', () => {
      for (const cap of allCapabilities()) {
        assert.ok(cap.title.length > 0, cap.id);
        for (const a of cap.attributes) {
          assert.match(a.description, /^\S.*\.$/, `${cap.id}.${a.name} description`);
          assert.match(a.functionType, /^[a-z_]+$/, `${cap.id}.${a.name} functionType`);
        }
        for (const c of cap.commands) assert.match(c.description, /^\S.*\.$/, `${cap.id}.${c.name}()`);
      }
    });

    it('starts every attribute with a value its own rules accept (or none)', () => {
      for (const unit of ['C', 'F'] as const) {
        for (const cap of allCapabilities({ temperatureUnit: unit })) {
          for (const a of cap.attributes) {
            if (a.initial === null) continue;
            assert.deepEqual(checkAttributeValue(a, a.initial), { ok: true, value: a.initial }, `${cap.id}.${a.name} (${unit})`);
          }
        }
      }
    });

    it('gives commands and attributes shared between capabilities one signature and one spec', () => {
      // SimDevice checks arguments of a shared command against one capability's signature only.
      const commands = new Map<string, string>();
      const attributes = new Map<string, string>();
      for (const cap of allCapabilities()) {
        for (const c of cap.commands) {
          const sig = JSON.stringify(c.params);
          assert.equal(commands.get(c.name) ?? sig, sig, `command ${c.name}`);
          commands.set(c.name, sig);
        }
        for (const a of cap.attributes) {
          const spec = JSON.stringify(a);
          assert.equal(attributes.get(a.name) ?? spec, spec, `attribute ${a.name}`);
          attributes.set(a.name, spec);
        }
      }
      assert.ok(commands.has('off') && attributes.has('temperature'));
    });

    it('maps attributes to the documented function types', () => {
      const types = Object.fromEntries(allCapabilities().flatMap((c) => c.attributes.map((a) => [a.name, a.functionType])));
      assert.deepEqual(types, {
        switch: 'switch', level: 'dimmer', hue: 'color_hue', saturation: 'color_saturation', color: 'color',
        colorTemperature: 'color_temperature', contact: 'door', motion: 'movement', temperature: 'temperature',
        humidity: 'humidity', illuminance: 'luminance', presence: 'presence', button: 'button',
        numberOfButtons: 'button_count', battery: 'battery', power: 'power', energy: 'energy', water: 'water',
        smoke: 'smoke', acceleration: 'acceleration', lock: 'lock', valve: 'valve', door: 'door_control',
        windowShade: 'window_shade', alarm: 'alarm', thermostatMode: 'thermostat_mode',
        heatingSetpoint: 'heating_setpoint', coolingSetpoint: 'cooling_setpoint',
        thermostatSetpoint: 'thermostat_setpoint', thermostatOperatingState: 'thermostat_state',
        thermostatFanMode: 'thermostat_fan_mode',
      });
    });

    it('returns the same spec object for the same id and unit', () => {
      assert.equal(getCapability('switch'), getCapability('switch'));
      assert.equal(getCapability('thermostat', { temperatureUnit: 'F' }), getCapability('thermostat', { temperatureUnit: 'F' }));
      assert.notEqual(getCapability('thermostat', { temperatureUnit: 'F' }), getCapability('thermostat'));
      assert.equal(getCapability('nope'), undefined);
      assert.equal(getCapability('toString'), undefined);
    });

    it('builds temperature attributes in the requested unit', () => {
      const c = getCapability('temperatureMeasurement')?.attributes[0];
      const f = getCapability('temperatureMeasurement', { temperatureUnit: 'F' })?.attributes[0];
      assert.deepEqual([c?.unit, c?.initial, c?.min, c?.max], ['C', 20, -50, 100]);
      assert.deepEqual([f?.unit, f?.initial, f?.min, f?.max], ['F', 68, -58, 212]);
      const heating = getCapability('thermostat', { temperatureUnit: 'F' })?.attributes.find((a) => a.name === 'heatingSetpoint');
      assert.deepEqual([heating?.unit, heating?.initial, heating?.min, heating?.max], ['F', 68, 32, 104]);
    });

    it('marks button presses as momentary and starts the button without a value', () => {
      const button = getCapability('button')?.attributes.find((a) => a.name === 'button');
      assert.equal(button?.momentary, true);
      assert.equal(button?.initial, null);
      assert.deepEqual(button?.values, ['pushed', 'held', 'double']);
    });

    it('gives sensors no commands', () => {
      for (const id of ['contactSensor', 'motionSensor', 'temperatureMeasurement', 'presenceSensor', 'button', 'battery', 'energyMeter']) {
        assert.deepEqual(getCapability(id)?.commands, [], id);
      }
    });
  });

  describe('unknown capabilities', () => {
    it('suggests the closest id', () => {
      assert.equal(unknownCapabilityMessage('swtich'), "unknown capability 'swtich'; did you mean 'switch'?");
      assert.equal(unknownCapabilityMessage('temperatureMesurement'), "unknown capability 'temperatureMesurement'; did you mean 'temperatureMeasurement'?");
      assert.equal(unknownCapabilityMessage('teleporter'), "unknown capability 'teleporter'");
    });

    it('throws a DeviceError whose fix lists the known capabilities', () => {
      assert.throws(
        () => requireCapability('swtich'),
        (e: unknown) =>
          e instanceof DeviceError &&
          e.code === 'unknown-capability' &&
          e.message === "unknown capability 'swtich'; did you mean 'switch'?" &&
          /^Use one of: switch, switchLevel, .*refresh\.$/.test(e.fix ?? ''),
      );
      assert.equal(requireCapability('lock').id, 'lock');
    });
  });
});
