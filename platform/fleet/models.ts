/**
 * The types (models) of simulated Things a fleet can run, each with the devices it has. `home` has
 * the devices the example app (examples/door-light) is written for, so `smartplug up` runs it at once.
 */
import { parseDevicesFile } from '../../runtime/devices/devices-file';
import type { DeviceSpec } from '../../runtime/devices/types';

const MODELS: Record<string, string> = {
  home: JSON.stringify([
    { id: 'front-door', label: 'Front door', type: 'Zigbee Door', capabilities: ['contactSensor', 'battery'], attributes: { contact: 'closed', battery: 90 }, functionIds: { contact: 123 } },
    { id: 'hall-lamp', label: 'Hall lamp', capabilities: ['switch', 'switchLevel'], attributes: { switch: 'off', level: 0 }, functionIds: { switch: 4455, level: 4456 } },
    { id: 'kitchen', label: 'Kitchen thermometer', capabilities: ['temperatureMeasurement'], attributes: { temperature: 21 }, functionIds: { temperature: 9 } },
    { id: 'freezer', label: 'Freezer thermometer', capabilities: ['temperatureMeasurement'], attributes: { temperature: -18 }, functionIds: { temperature: 12 } },
  ]),
  plug: JSON.stringify([
    { id: 'outlet', label: 'Outlet', capabilities: ['switch', 'powerMeter'], attributes: { switch: 'off', power: 0 }, functionIds: { switch: 1, power: 2 } },
  ]),
};

export const MODEL_NAMES = Object.keys(MODELS);

export function modelDevices(model: string): DeviceSpec[] {
  const text = MODELS[model];
  if (!text) throw new Error(`there is no simulated Thing type "${model}"; use one of ${MODEL_NAMES.join(', ')}`);
  return parseDevicesFile(text, `model ${model}`);
}
