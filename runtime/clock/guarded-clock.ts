import { VirtualClock } from './virtual-clock';
import type { TimerHandle } from './clock';

/** More timers than this for one instant means an app re-arms itself without end (runIn(0) in its own handler). */
export const MAX_TIMERS_PER_INSTANT = 10_000;

/**
 * A virtual clock that refuses to be re-armed for the same instant without end. Without it, an app
 * whose handler schedules itself with runIn(0) keeps advance() firing forever at one instant when
 * the rate limit is off; with it, the app's runIn throws and the step fails with an app error.
 */
export class GuardedClock extends VirtualClock {
  private instant = Number.NaN;
  private armedNow = 0;

  override setTimer(at: number, fire: () => void): TimerHandle {
    const now = this.now();
    if (at <= now) {
      if (now !== this.instant) {
        this.instant = now;
        this.armedNow = 0;
      }
      if (++this.armedNow > MAX_TIMERS_PER_INSTANT) {
        throw new Error(`more than ${MAX_TIMERS_PER_INSTANT} timers were set for ${new Date(now).toISOString()} without time moving on; does a handler keep scheduling itself with runIn(0)?`);
      }
    }
    return super.setTimer(at, fire);
  }
}
