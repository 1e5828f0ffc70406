/** The newest device events of each device, for device.events() (seed 001's history). */
import type { DeviceEventRecord } from './records';

export class DeviceHistory {
  private readonly byDevice = new Map<string, DeviceEventRecord[]>();

  constructor(private readonly size: number) {}

  add(rec: DeviceEventRecord): void {
    let list = this.byDevice.get(rec.deviceId);
    if (!list) this.byDevice.set(rec.deviceId, (list = []));
    list.push(rec);
    if (list.length > this.size) list.shift();
  }

  of(deviceId: string): readonly DeviceEventRecord[] {
    return this.byDevice.get(deviceId) ?? [];
  }
}
