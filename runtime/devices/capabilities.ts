/**
 * The capability catalogue: which SmartThings capabilities a simulated device can have.
 *
 * Function types (what an app.json `filter: {"type": …}` matches for each attribute):
 *
 * | capability                  | attribute                | functionType         |
 * |-----------------------------|--------------------------|----------------------|
 * | switch                      | switch                   | switch               |
 * | switchLevel                 | level                    | dimmer               |
 * | colorControl                | hue / saturation / color | color_hue / color_saturation / color |
 * | colorTemperature            | colorTemperature         | color_temperature    |
 * | contactSensor               | contact                  | door                 |
 * | motionSensor                | motion                   | movement             |
 * | temperatureMeasurement      | temperature              | temperature          |
 * | relativeHumidityMeasurement | humidity                 | humidity             |
 * | illuminanceMeasurement      | illuminance              | luminance            |
 * | presenceSensor              | presence                 | presence             |
 * | button                      | button / numberOfButtons | button / button_count |
 * | battery                     | battery                  | battery              |
 * | powerMeter                  | power                    | power                |
 * | energyMeter                 | energy                   | energy               |
 * | waterSensor                 | water                    | water                |
 * | smokeDetector               | smoke                    | smoke                |
 * | accelerationSensor          | acceleration             | acceleration         |
 * | lock                        | lock                     | lock                 |
 * | valve                       | valve                    | valve                |
 * | doorControl                 | door                     | door_control         |
 * | windowShade                 | windowShade              | window_shade         |
 * | alarm                       | alarm                    | alarm                |
 * | thermostat                  | thermostatMode           | thermostat_mode      |
 * |                             | heatingSetpoint          | heating_setpoint     |
 * |                             | coolingSetpoint          | cooling_setpoint     |
 * |                             | thermostatSetpoint       | thermostat_setpoint  |
 * |                             | thermostatOperatingState | thermostat_state     |
 * |                             | thermostatFanMode        | thermostat_fan_mode  |
 * |                             | temperature              | temperature          |
 * | refresh                     | (none)                   |                      |
 *
 * doorControl is `door_control`, not `door`, so a filter for door sensors does not also pick
 * garage-door openers. Thermostat and temperatureMeasurement share the `temperature` attribute
 * (one attribute, one function, on a device that has both).
 */
import { DeviceError } from './device-error';
import { didYouMean } from '../suggest';
import type { CapabilitySpec, TemperatureUnit } from './types';
import { alarmCapability, doorControlCapability, lockCapability, refreshCapability, valveCapability, windowShadeCapability } from './capabilities/actuators';
import { colorControlCapability, colorTemperatureCapability, switchCapability, switchLevelCapability } from './capabilities/lighting';
import {
  accelerationSensorCapability,
  batteryCapability,
  buttonCapability,
  contactSensorCapability,
  energyMeterCapability,
  illuminanceMeasurementCapability,
  motionSensorCapability,
  powerMeterCapability,
  presenceSensorCapability,
  relativeHumidityMeasurementCapability,
  smokeDetectorCapability,
  temperatureMeasurementCapability,
  waterSensorCapability,
} from './capabilities/sensors';
import { thermostatCapability } from './capabilities/thermostat';

export interface CapabilityOptions {
  /** Unit of temperature attributes and setpoints; default `C`. */
  readonly temperatureUnit?: TemperatureUnit;
}

type Factory = (unit: TemperatureUnit) => CapabilitySpec;
const fixed = (spec: CapabilitySpec): Factory => () => spec;

const FACTORIES: ReadonlyMap<string, Factory> = new Map<string, Factory>([
  ['switch', fixed(switchCapability)],
  ['switchLevel', fixed(switchLevelCapability)],
  ['colorControl', fixed(colorControlCapability)],
  ['colorTemperature', fixed(colorTemperatureCapability)],
  ['contactSensor', fixed(contactSensorCapability)],
  ['motionSensor', fixed(motionSensorCapability)],
  ['temperatureMeasurement', temperatureMeasurementCapability],
  ['relativeHumidityMeasurement', fixed(relativeHumidityMeasurementCapability)],
  ['illuminanceMeasurement', fixed(illuminanceMeasurementCapability)],
  ['presenceSensor', fixed(presenceSensorCapability)],
  ['button', fixed(buttonCapability)],
  ['battery', fixed(batteryCapability)],
  ['powerMeter', fixed(powerMeterCapability)],
  ['energyMeter', fixed(energyMeterCapability)],
  ['waterSensor', fixed(waterSensorCapability)],
  ['smokeDetector', fixed(smokeDetectorCapability)],
  ['accelerationSensor', fixed(accelerationSensorCapability)],
  ['lock', fixed(lockCapability)],
  ['valve', fixed(valveCapability)],
  ['doorControl', fixed(doorControlCapability)],
  ['windowShade', fixed(windowShadeCapability)],
  ['alarm', fixed(alarmCapability)],
  ['thermostat', thermostatCapability],
  ['refresh', fixed(refreshCapability)],
]);

// Unit-dependent specs are built once per unit so the same id always yields the same object.
const cache = new Map<string, CapabilitySpec>();

export function capabilityIds(): string[] {
  return [...FACTORIES.keys()];
}

export function getCapability(id: string, options: CapabilityOptions = {}): CapabilitySpec | undefined {
  const factory = FACTORIES.get(id);
  if (!factory) return undefined;
  const unit = options.temperatureUnit ?? 'C';
  const key = `${id}/${unit}`;
  let spec = cache.get(key);
  if (!spec) {
    spec = factory(unit);
    cache.set(key, spec);
  }
  return spec;
}

/** `unknown capability 'swtich'; did you mean 'switch'?` */
export function unknownCapabilityMessage(id: string): string {
  return `unknown capability '${id}'${didYouMean(id, FACTORIES.keys())}`;
}

export function requireCapability(id: string, options: CapabilityOptions = {}): CapabilitySpec {
  const spec = getCapability(id, options);
  if (spec) return spec;
  throw new DeviceError('unknown-capability', unknownCapabilityMessage(id), `Use one of: ${capabilityIds().join(', ')}.`);
}

export function allCapabilities(options: CapabilityOptions = {}): CapabilitySpec[] {
  return capabilityIds().map((id) => getCapability(id, options) as CapabilitySpec);
}
