/** Lights and plugs: switch, switchLevel, colorControl, colorTemperature. */
import type { AttributeChange, CapabilitySpec, DeviceStateView, ParamSpec } from '../types';
import { PERCENT, defineCapability, deviceHas, enumAttribute, numberAttribute, setter, valueSetter } from './define';

export const switchCapability: CapabilitySpec = defineCapability({
  id: 'switch',
  title: 'Switch',
  attributes: [enumAttribute('switch', 'switch', ['on', 'off'], 'off', 'Whether the device is on or off.')],
  commands: {
    on: setter('switch', 'on', 'Turns the device on.'),
    off: setter('switch', 'off', 'Turns the device off.'),
  },
});

export const switchLevelCapability: CapabilitySpec = defineCapability({
  id: 'switchLevel',
  title: 'Switch Level',
  attributes: [numberAttribute('level', 'dimmer', PERCENT, 100, 'Brightness or position, in percent.')],
  commands: {
    setLevel: {
      params: [
        { name: 'level', kind: 'number', min: 0, max: 100 },
        // Transition time in seconds; the simulator changes instantly, but apps may pass it.
        { name: 'rate', kind: 'number', min: 0, optional: true },
      ],
      description: 'Sets the level; on a device that also has switch, turns it on above 0 and off at 0.',
      attribute: 'level',
      run(args, device) {
        const level = args[0] as number;
        const changes: AttributeChange[] = [{ attribute: 'level', value: level }];
        if (deviceHas(device, 'switch')) changes.push({ attribute: 'switch', value: level > 0 ? 'on' : 'off' });
        return changes;
      },
    },
  },
});

const HUE: ParamSpec = { name: 'hue', kind: 'number', min: 0, max: 100 };
const SATURATION: ParamSpec = { name: 'saturation', kind: 'number', min: 0, max: 100 };

/** SmartThings hue and saturation are percentages; the colour is shown at full brightness. */
export function hueSaturationToHex(hue: number, saturation: number): string {
  const h = ((hue / 100) * 6) % 6;
  const s = saturation / 100;
  const c = s;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const m = 1 - c;
  const [r, g, b] =
    h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  const hex = (v: number) => Math.round((v + m) * 255).toString(16).padStart(2, '0').toUpperCase();
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

function colorChanges(device: DeviceStateView, hue: number | undefined, saturation: number | undefined): AttributeChange[] {
  const h = hue ?? Number(device.value('hue') ?? 0);
  const s = saturation ?? Number(device.value('saturation') ?? 0);
  const changes: AttributeChange[] = [];
  if (hue !== undefined) changes.push({ attribute: 'hue', value: hue });
  if (saturation !== undefined) changes.push({ attribute: 'saturation', value: saturation });
  changes.push({ attribute: 'color', value: hueSaturationToHex(h, s) });
  return changes;
}

export const colorControlCapability: CapabilitySpec = defineCapability({
  id: 'colorControl',
  title: 'Color Control',
  attributes: [
    numberAttribute('hue', 'color_hue', PERCENT, 0, 'Hue, in percent of the colour wheel.'),
    numberAttribute('saturation', 'color_saturation', PERCENT, 0, 'Colour saturation, in percent.'),
    {
      name: 'color',
      kind: 'string',
      functionType: 'color',
      initial: '#FFFFFF',
      description: 'The current colour as #RRGGBB, derived from hue and saturation.',
    },
  ],
  commands: {
    setHue: {
      params: [HUE],
      description: 'Sets the hue (0-100 %).',
      attribute: 'hue',
      run: (args, device) => colorChanges(device, args[0] as number, undefined),
    },
    setSaturation: {
      params: [SATURATION],
      description: 'Sets the saturation (0-100 %).',
      attribute: 'saturation',
      run: (args, device) => colorChanges(device, undefined, args[0] as number),
    },
    setColor: {
      params: [{ name: 'color', kind: 'object', fields: [{ ...HUE, optional: true }, { ...SATURATION, optional: true }] }],
      description: 'Sets hue and/or saturation at once from a map {hue, saturation}.',
      attribute: 'color',
      run(args, device) {
        const map = args[0] as { hue?: number; saturation?: number };
        return colorChanges(device, map.hue, map.saturation);
      },
    },
  },
});

export const colorTemperatureCapability: CapabilitySpec = defineCapability({
  id: 'colorTemperature',
  title: 'Color Temperature',
  attributes: [
    numberAttribute('colorTemperature', 'color_temperature', { min: 1, max: 30000, unit: 'K' }, 2700, 'White colour temperature, in kelvin.'),
  ],
  commands: {
    setColorTemperature: valueSetter(
      'colorTemperature',
      { name: 'kelvin', kind: 'number', min: 1, max: 30000 },
      'Sets the white colour temperature, in kelvin.',
    ),
  },
});
