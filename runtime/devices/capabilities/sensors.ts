/**
 * Capabilities without commands: a real sensor only reports, so the simulator changes them through
 * reports (scenario events, the CLI, the editor's device panel).
 */
import type { CapabilitySpec, TemperatureUnit } from '../types';
import { PERCENT, defineCapability, enumAttribute, numberAttribute, temperatureAttribute } from './define';

export const contactSensorCapability: CapabilitySpec = defineCapability({
  id: 'contactSensor',
  title: 'Contact Sensor',
  attributes: [enumAttribute('contact', 'door', ['open', 'closed'], 'closed', 'Whether the contact (door, window) is open or closed.')],
});

export const motionSensorCapability: CapabilitySpec = defineCapability({
  id: 'motionSensor',
  title: 'Motion Sensor',
  attributes: [enumAttribute('motion', 'movement', ['active', 'inactive'], 'inactive', 'Whether motion is detected.')],
});

export function temperatureMeasurementCapability(unit: TemperatureUnit): CapabilitySpec {
  return defineCapability({
    id: 'temperatureMeasurement',
    title: 'Temperature Measurement',
    attributes: [temperatureAttribute(unit)],
  });
}

export const relativeHumidityMeasurementCapability: CapabilitySpec = defineCapability({
  id: 'relativeHumidityMeasurement',
  title: 'Relative Humidity Measurement',
  attributes: [numberAttribute('humidity', 'humidity', PERCENT, 50, 'Relative humidity, in percent.')],
});

export const illuminanceMeasurementCapability: CapabilitySpec = defineCapability({
  id: 'illuminanceMeasurement',
  title: 'Illuminance Measurement',
  attributes: [numberAttribute('illuminance', 'luminance', { min: 0, unit: 'lux' }, 100, 'Light level, in lux.')],
});

export const presenceSensorCapability: CapabilitySpec = defineCapability({
  id: 'presenceSensor',
  title: 'Presence Sensor',
  attributes: [enumAttribute('presence', 'presence', ['present', 'not present'], 'present', 'Whether the person or tag is present.')],
});

export const buttonCapability: CapabilitySpec = defineCapability({
  id: 'button',
  title: 'Button',
  attributes: [
    {
      ...enumAttribute('button', 'button', ['pushed', 'held', 'double'], null, 'The last action on the button; every press is an event.'),
      momentary: true,
    },
    numberAttribute('numberOfButtons', 'button_count', { min: 1 }, 1, 'How many buttons the device has.'),
  ],
});

export const batteryCapability: CapabilitySpec = defineCapability({
  id: 'battery',
  title: 'Battery',
  attributes: [numberAttribute('battery', 'battery', PERCENT, 100, 'Battery charge, in percent.')],
});

export const powerMeterCapability: CapabilitySpec = defineCapability({
  id: 'powerMeter',
  title: 'Power Meter',
  // No minimum: a meter on a solar inverter reports negative power.
  attributes: [numberAttribute('power', 'power', { unit: 'W' }, 0, 'Instantaneous power, in watts.')],
});

export const energyMeterCapability: CapabilitySpec = defineCapability({
  id: 'energyMeter',
  title: 'Energy Meter',
  attributes: [numberAttribute('energy', 'energy', { min: 0, unit: 'kWh' }, 0, 'Accumulated energy, in kilowatt-hours.')],
});

export const waterSensorCapability: CapabilitySpec = defineCapability({
  id: 'waterSensor',
  title: 'Water Sensor',
  attributes: [enumAttribute('water', 'water', ['dry', 'wet'], 'dry', 'Whether the sensor detects water.')],
});

export const smokeDetectorCapability: CapabilitySpec = defineCapability({
  id: 'smokeDetector',
  title: 'Smoke Detector',
  attributes: [enumAttribute('smoke', 'smoke', ['clear', 'detected', 'tested'], 'clear', 'Whether smoke is detected (or a test is running).')],
});

export const accelerationSensorCapability: CapabilitySpec = defineCapability({
  id: 'accelerationSensor',
  title: 'Acceleration Sensor',
  attributes: [enumAttribute('acceleration', 'acceleration', ['active', 'inactive'], 'inactive', 'Whether the device is moving or vibrating.')],
});
