import type { TimerHandle } from '../clock/clock';
import { nextSunEvent } from '../clock/sun';
import type { EngineCore } from './engine-core';

/**
 * Location sunrise and sunset events: armed only while some app listens, re-armed after each one
 * and whenever the location moves. `sunriseTime`/`sunsetTime` carry the *next* occurrence, as in
 * SmartThings.
 */
export class SunEvents {
  private readonly timers = new Map<'sunrise' | 'sunset', TimerHandle>();

  constructor(private readonly core: EngineCore) {}

  refresh(): void {
    for (const kind of ['sunrise', 'sunset'] as const) {
      const wanted = this.core.subs.find('location', 'location', kind).length + this.core.subs.find('location', 'location', kind + 'Time').length > 0;
      const timer = this.timers.get(kind);
      if (timer) {
        this.core.clock.clearTimer(timer);
        this.timers.delete(kind);
      }
      if (wanted) this.arm(kind);
    }
  }

  private arm(kind: 'sunrise' | 'sunset'): void {
    const l = this.core.location;
    const at = nextSunEvent(kind, this.core.clock.now(), l.latitude, l.longitude, l.timeZone);
    if (at === undefined) return;
    this.timers.set(kind, this.core.clock.setTimer(at, () => {
      this.timers.delete(kind);
      const next = nextSunEvent(kind, at, l.latitude, l.longitude, l.timeZone);
      this.core.dispatchLocationEvent(kind, new Date(at).toISOString());
      if (next !== undefined) this.core.dispatchLocationEvent(kind + 'Time', new Date(next).toISOString());
      this.arm(kind);
    }));
  }

  dispose(): void {
    for (const t of this.timers.values()) this.core.clock.clearTimer(t);
    this.timers.clear();
  }
}
