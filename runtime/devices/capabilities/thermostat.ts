/**
 * Thermostat. Besides storing modes and setpoints, commands recompute thermostatSetpoint (the
 * setpoint of the active mode) and thermostatOperatingState from the current temperature, so an
 * app that turns the heat on sees the thermostat start heating as a real one would. Temperature
 * reports alone do not change the operating state (that is a scenario's job, as on a real device
 * whose state comes from its own firmware).
 */
import type { AttrValue, AttributeChange, CapabilitySpec, DeviceStateView, ParamSpec, TemperatureUnit } from '../types';
import type { CommandDef } from './define';
import { defineCapability, enumAttribute, inUnit, numberAttribute, temperatureAttribute, temperatureRange } from './define';

export const THERMOSTAT_MODES = ['auto', 'cool', 'heat', 'emergency heat', 'off'] as const;
export const FAN_MODES = ['auto', 'on', 'circulate'] as const;
export const OPERATING_STATES = [
  'idle',
  'heating',
  'cooling',
  'fan only',
  'pending heat',
  'pending cool',
  'vent economizer',
] as const;

export interface ThermostatState {
  mode: string;
  fan: string;
  heating: number;
  cooling: number;
  temperature: number | undefined;
}

function readState(device: DeviceStateView, override: Partial<ThermostatState>): ThermostatState {
  const num = (v: AttrValue | undefined) => (typeof v === 'number' ? v : undefined);
  return {
    mode: String(device.value('thermostatMode') ?? 'off'),
    fan: String(device.value('thermostatFanMode') ?? 'auto'),
    heating: num(device.value('heatingSetpoint')) ?? 0,
    cooling: num(device.value('coolingSetpoint')) ?? 0,
    temperature: num(device.value('temperature')),
    ...override,
  };
}

export function operatingState(s: ThermostatState): string {
  const t = s.temperature;
  const heat = (s.mode === 'heat' || s.mode === 'emergency heat' || s.mode === 'auto') && t !== undefined && t < s.heating;
  const cool = (s.mode === 'cool' || s.mode === 'auto') && t !== undefined && t > s.cooling;
  if (heat) return 'heating';
  if (cool) return 'cooling';
  return s.fan === 'on' ? 'fan only' : 'idle';
}

/** The changes a command makes, plus the derived setpoint and operating state. */
function withDerived(device: DeviceStateView, override: Partial<ThermostatState>, changes: AttributeChange[]): AttributeChange[] {
  const s = readState(device, override);
  const out = [...changes];
  if (s.mode === 'heat' || s.mode === 'emergency heat') out.push({ attribute: 'thermostatSetpoint', value: s.heating });
  else if (s.mode === 'cool') out.push({ attribute: 'thermostatSetpoint', value: s.cooling });
  out.push({ attribute: 'thermostatOperatingState', value: operatingState(s) });
  return out;
}

function modeCommand(mode: string, description: string): CommandDef {
  return {
    description,
    attribute: 'thermostatMode',
    run: (_args, device) => withDerived(device, { mode }, [{ attribute: 'thermostatMode', value: mode }]),
  };
}

function fanCommand(fan: string, description: string): CommandDef {
  return {
    description,
    attribute: 'thermostatFanMode',
    run: (_args, device) => withDerived(device, { fan }, [{ attribute: 'thermostatFanMode', value: fan }]),
  };
}

export function thermostatCapability(unit: TemperatureUnit): CapabilitySpec {
  const setpoint = temperatureRange(unit, 'setpoint');
  const setpointParam: ParamSpec = { name: 'setpoint', kind: 'number', min: setpoint.min, max: setpoint.max };
  return defineCapability({
    id: 'thermostat',
    title: 'Thermostat',
    attributes: [
      enumAttribute('thermostatMode', 'thermostat_mode', THERMOSTAT_MODES, 'off', 'What the thermostat is set to do.'),
      numberAttribute('heatingSetpoint', 'heating_setpoint', setpoint, inUnit(20, unit), 'Heat below this temperature.'),
      numberAttribute('coolingSetpoint', 'cooling_setpoint', setpoint, inUnit(24, unit), 'Cool above this temperature.'),
      numberAttribute('thermostatSetpoint', 'thermostat_setpoint', setpoint, inUnit(20, unit), 'The setpoint of the active mode.'),
      enumAttribute('thermostatOperatingState', 'thermostat_state', OPERATING_STATES, 'idle', 'What the equipment is doing right now.'),
      enumAttribute('thermostatFanMode', 'thermostat_fan_mode', FAN_MODES, 'auto', 'How the fan runs.'),
      temperatureAttribute(unit),
    ],
    commands: {
      setHeatingSetpoint: {
        params: [setpointParam],
        description: 'Sets the heating setpoint.',
        attribute: 'heatingSetpoint',
        run: (args, device) =>
          withDerived(device, { heating: args[0] as number }, [{ attribute: 'heatingSetpoint', value: args[0] as number }]),
      },
      setCoolingSetpoint: {
        params: [setpointParam],
        description: 'Sets the cooling setpoint.',
        attribute: 'coolingSetpoint',
        run: (args, device) =>
          withDerived(device, { cooling: args[0] as number }, [{ attribute: 'coolingSetpoint', value: args[0] as number }]),
      },
      setThermostatMode: {
        params: [{ name: 'mode', kind: 'enum', values: THERMOSTAT_MODES }],
        description: 'Sets the thermostat mode.',
        attribute: 'thermostatMode',
        run: (args, device) => modeCommand(args[0] as string, '').run([], device),
      },
      auto: modeCommand('auto', 'Sets the mode to auto (heat or cool as needed).'),
      cool: modeCommand('cool', 'Sets the mode to cool.'),
      heat: modeCommand('heat', 'Sets the mode to heat.'),
      emergencyHeat: modeCommand('emergency heat', 'Sets the mode to emergency heat.'),
      off: modeCommand('off', 'Turns the thermostat off.'),
      setThermostatFanMode: {
        params: [{ name: 'mode', kind: 'enum', values: FAN_MODES }],
        description: 'Sets the fan mode.',
        attribute: 'thermostatFanMode',
        run: (args, device) => fanCommand(args[0] as string, '').run([], device),
      },
      fanAuto: fanCommand('auto', 'Runs the fan only while heating or cooling.'),
      fanOn: fanCommand('on', 'Runs the fan continuously.'),
      fanCirculate: fanCommand('circulate', 'Runs the fan now and then to circulate air.'),
    },
  });
}
