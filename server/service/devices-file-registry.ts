import { checkDevicesFile } from '../../runtime/devices/devices-file';
import { DeviceRegistry } from '../../runtime/devices/registry';

/**
 * The simulated devices a devices file (or an inline list, as its JSON text) declares, as the
 * runtime builds them: what the scenario, instance and app.js features ask about (attributes,
 * commands, functions, filters). The devices the file gets wrong are left out; its own
 * diagnostics say why. Undefined text: an empty registry.
 */
export function devicesRegistry(text: string | undefined, file: string): DeviceRegistry {
  const registry = new DeviceRegistry();
  if (text === undefined) return registry;
  for (const spec of checkDevicesFile(text, file).devices) {
    try {
      registry.add(spec);
    } catch {
      /* a duplicate id */
    }
  }
  return registry;
}
