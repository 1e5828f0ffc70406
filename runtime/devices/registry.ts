/**
 * The set of simulated devices an app runs against, and the lookups apps and configs need:
 * by device id, by function id (numeric ids and their string forms are the same id, because
 * configs write `9` where events carry `"9"`), and by filter.
 */
import { DeviceError } from './device-error';
import { matchesFilter } from './filter';
import { SimDevice } from './sim-device';
import { didYouMean, joinSentences } from '../suggest';
import type { DeviceSpec, FunctionInfo } from './types';

export type Filter = Readonly<Record<string, unknown>>;

export class DeviceRegistry {
  private readonly byId = new Map<string, SimDevice>();
  /** Keyed by String(id). */
  private readonly byFunctionId = new Map<string, FunctionInfo>();

  /** Creates the device; throws DeviceError for a duplicate device or function id, or a bad spec. */
  add(spec: DeviceSpec, nowMs = 0): SimDevice {
    if (this.byId.has(spec.id)) {
      throw new DeviceError('duplicate-device', `a device with id '${spec.id}' already exists`, 'Give each device its own id.');
    }
    const device = new SimDevice(spec, nowMs);
    const fns = device.functions();
    const seen = new Set<string>();
    for (const fn of fns) {
      const key = String(fn.id);
      const owner = this.byFunctionId.get(key);
      if (owner || seen.has(key)) {
        const other = owner ? `${owner.deviceId}.${owner.attribute}` : `another attribute of '${device.id}'`;
        throw new DeviceError(
          'duplicate-function',
          `function id ${JSON.stringify(fn.id)} of ${device.id}.${fn.attribute} is already used by ${other}`,
          'Give each function its own id in functionIds.',
        );
      }
      seen.add(key);
    }
    this.byId.set(device.id, device);
    for (const fn of fns) this.byFunctionId.set(String(fn.id), fn);
    return device;
  }

  /** Removes the device and its functions; false when there was no such device. */
  remove(id: string): boolean {
    const device = this.byId.get(id);
    if (!device) return false;
    for (const fn of device.functions()) this.byFunctionId.delete(String(fn.id));
    return this.byId.delete(id);
  }

  get(id: string): SimDevice | undefined {
    return this.byId.get(id);
  }

  require(id: string): SimDevice {
    const device = this.byId.get(id);
    if (device) return device;
    const ids = [...this.byId.keys()];
    const known = ids.length ? `Known devices: ${ids.join(', ')}` : 'No devices are defined';
    throw new DeviceError('unknown-device', joinSentences(`unknown device '${id}'${didYouMean(id, ids)}`, known));
  }

  all(): SimDevice[] {
    return [...this.byId.values()];
  }

  functionById(id: string | number): FunctionInfo | undefined {
    return this.byFunctionId.get(String(id));
  }

  requireFunction(id: string | number): FunctionInfo {
    const fn = this.functionById(id);
    if (fn) return fn;
    const ids = [...this.byFunctionId.keys()];
    throw new DeviceError(
      'unknown-function',
      `unknown function id ${JSON.stringify(id)}${didYouMean(String(id), ids)}`,
      ids.length ? `Use a function id of a defined device, e.g. ${ids.slice(0, 5).join(', ')}.` : 'Define devices first.',
    );
  }

  /** Functions in device order, then attribute order; all of them without a filter. */
  functions(filter?: Filter): FunctionInfo[] {
    const fns = this.all().flatMap((d) => d.functions());
    return filter ? fns.filter((fn) => matchesFilter(filter, fn)) : fns;
  }

  /** Devices matching a device filter: `type` is the device type, meta includes device_id and name. */
  devices(filter?: Filter): SimDevice[] {
    if (!filter) return this.all();
    return this.all().filter((d) =>
      matchesFilter(filter, { type: d.type, id: d.id, meta: { ...d.meta, device_id: d.id, name: d.label } }),
    );
  }
}
