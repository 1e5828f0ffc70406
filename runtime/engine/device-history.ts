/**
 * The newest device events of each device, for device.events() (seed 001's history). A ring per
 * device: every device event is added (shifting an array of 100 cost more than dispatching it),
 * and the history is read only when an app asks for it.
 */
import type { DeviceEventRecord } from './records';

interface Ring {
  events: DeviceEventRecord[];
  /** Where the oldest event is, once the ring is full. */
  oldest: number;
}

export class DeviceHistory {
  private readonly byDevice = new Map<string, Ring>();

  constructor(private readonly size: number) {}

  add(rec: DeviceEventRecord): void {
    let ring = this.byDevice.get(rec.deviceId);
    if (!ring) this.byDevice.set(rec.deviceId, (ring = { events: [], oldest: 0 }));
    if (ring.events.length < this.size) {
      ring.events.push(rec);
      return;
    }
    ring.events[ring.oldest] = rec;
    ring.oldest = (ring.oldest + 1) % this.size;
  }

  /** Oldest first. */
  of(deviceId: string): readonly DeviceEventRecord[] {
    const ring = this.byDevice.get(deviceId);
    if (!ring) return [];
    return ring.oldest === 0 ? ring.events : [...ring.events.slice(ring.oldest), ...ring.events.slice(0, ring.oldest)];
  }
}
