/**
 * Small builders for the capability catalogue, so each capability reads as a table of attributes
 * and commands rather than as repeated object literals.
 */
import type {
  AttrValue,
  AttributeChange,
  AttributeSpec,
  CapabilitySpec,
  CommandSpec,
  DeviceStateView,
  ParamSpec,
  TemperatureUnit,
} from '../types';

export interface CommandDef {
  readonly params?: readonly ParamSpec[];
  readonly description: string;
  /** See CommandSpec.attribute: the attribute whose function has this command; null for none. */
  readonly attribute: string | null;
  /** Receives arguments already checked and converted against `params`. */
  run(args: readonly unknown[], device: DeviceStateView): AttributeChange[];
}

export interface CapabilityDef {
  readonly id: string;
  readonly title: string;
  readonly attributes: readonly AttributeSpec[];
  readonly commands?: Readonly<Record<string, CommandDef>>;
}

export function defineCapability(def: CapabilityDef): CapabilitySpec {
  // A Map, not the record, so a command named like an Object.prototype key cannot resolve by accident.
  const runs = new Map(Object.entries(def.commands ?? {}));
  const commands: CommandSpec[] = [...runs].map(([name, c]) => ({
    name,
    params: c.params ?? [],
    description: c.description,
    attribute: c.attribute,
  }));
  return {
    id: def.id,
    title: def.title,
    attributes: def.attributes,
    commands,
    apply(command, args, device) {
      return runs.get(command)?.run(args, device) ?? [];
    },
  };
}

export function enumAttribute(
  name: string,
  functionType: string,
  values: readonly string[],
  initial: string | null,
  description: string,
): AttributeSpec {
  return { name, kind: 'enum', values, functionType, initial, description };
}

export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
}

export function numberAttribute(
  name: string,
  functionType: string,
  range: NumberRange,
  initial: number,
  description: string,
): AttributeSpec {
  return { name, kind: 'number', ...range, functionType, initial, description };
}

export const PERCENT: NumberRange = { min: 0, max: 100, unit: '%' };

/** A command without parameters that sets one attribute to a fixed value, e.g. `on()`. */
export function setter(attribute: string, value: AttrValue, description: string): CommandDef {
  return { description, attribute, run: () => [{ attribute, value }] };
}

/** A one-parameter command that sets an attribute to its argument, e.g. `setHeatingSetpoint(n)`. */
export function valueSetter(attribute: string, param: ParamSpec, description: string): CommandDef {
  return { params: [param], description, attribute, run: (args) => [{ attribute, value: args[0] as AttrValue }] };
}

/** Capabilities learn whether their device has another capability's attribute this way. */
export function deviceHas(device: DeviceStateView, attribute: string): boolean {
  return device.value(attribute) !== undefined;
}

/**
 * Ranges wide enough for any plausible home reading, in the device's unit, so a typo (2100 for
 * 21.0) is caught but a freezer or a sauna is not.
 */
export function temperatureRange(unit: TemperatureUnit, use: 'measurement' | 'setpoint'): NumberRange {
  if (use === 'measurement') return unit === 'C' ? { min: -50, max: 100, unit } : { min: -58, max: 212, unit };
  return unit === 'C' ? { min: 0, max: 40, unit } : { min: 32, max: 104, unit };
}

/** A Celsius default expressed in the device's unit, rounded to whole degrees. */
export function inUnit(celsius: number, unit: TemperatureUnit): number {
  return unit === 'C' ? celsius : Math.round((celsius * 9) / 5 + 32);
}

export function temperatureAttribute(unit: TemperatureUnit): AttributeSpec {
  return numberAttribute(
    'temperature',
    'temperature',
    temperatureRange(unit, 'measurement'),
    inUnit(20, unit),
    'Measured temperature.',
  );
}
