import assert from 'node:assert/strict';
import { MAX_TIMEOUT_MS, RealClock, TimerHost, nextWait, nodeTimerHost } from '../../../runtime/clock/real-clock';

/** A host whose time and timers the test drives by hand. */
class FakeHost implements TimerHost {
  time = 1_000_000;
  timeouts: Array<{ fire: () => void; ms: number; cleared: boolean; unrefed: boolean }> = [];
  immediates: Array<{ fire: () => void; cleared: boolean; unrefed: boolean }> = [];

  now(): number {
    return this.time;
  }
  setTimeout(fire: () => void, ms: number): unknown {
    const t = { fire, ms, cleared: false, unrefed: false, unref: () => (t.unrefed = true) };
    this.timeouts.push(t);
    return t;
  }
  clearTimeout(handle: unknown): void {
    (handle as { cleared: boolean }).cleared = true;
  }
  setImmediate(fire: () => void): unknown {
    const t = { fire, cleared: false, unrefed: false, unref: () => (t.unrefed = true) };
    this.immediates.push(t);
    return t;
  }
  clearImmediate(handle: unknown): void {
    (handle as { cleared: boolean }).cleared = true;
  }
  /** Lets the most recent timeout elapse (optionally waking `early` ms before it should) and runs it. */
  elapseLatest(early = 0): number {
    const t = this.timeouts[this.timeouts.length - 1];
    this.time += t.ms - early;
    t.fire();
    return t.ms;
  }
}

describe('RealClock', () => {
  describe('nextWait', () => {
    it('fires timers that are due or overdue', () => {
      assert.deepEqual(nextWait(100, 100), { kind: 'fire' });
      assert.deepEqual(nextWait(50, 100), { kind: 'fire' });
    });
    it('sleeps the remaining time, rounded up, capped at setTimeout’s limit', () => {
      assert.deepEqual(nextWait(105, 100), { kind: 'sleep', ms: 5 });
      assert.deepEqual(nextWait(100.4, 100), { kind: 'sleep', ms: 1 });
      assert.equal(MAX_TIMEOUT_MS, 2147483647);
      assert.deepEqual(nextWait(100 + 2 ** 31, 100), { kind: 'sleep', ms: MAX_TIMEOUT_MS });
      assert.deepEqual(nextWait(100 + 40 * 86_400_000, 100), { kind: 'sleep', ms: MAX_TIMEOUT_MS });
    });
  });

  describe('with a fake host', () => {
    it('re-arms a timer beyond the setTimeout limit until it is due, then fires once', () => {
      const host = new FakeHost();
      const clock = new RealClock({ host });
      const at = host.time + 3 * MAX_TIMEOUT_MS + 10;
      let firedAt: number | undefined;
      clock.setTimer(at, () => (firedAt = host.now()));
      const sleeps: number[] = [];
      while (firedAt === undefined && sleeps.length < 10) sleeps.push(host.elapseLatest());
      assert.deepEqual(sleeps, [MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, 10]);
      assert.equal(firedAt, at);
      assert.equal(clock.pendingTimers(), 0);
    });

    it('sleeps again when woken early', () => {
      const host = new FakeHost();
      const clock = new RealClock({ host });
      let fired = 0;
      clock.setTimer(host.time + 100, () => fired++);
      host.elapseLatest(3);
      assert.equal(fired, 0);
      assert.equal(host.timeouts.length, 2);
      assert.equal(host.timeouts[1].ms, 3);
      host.elapseLatest();
      assert.equal(fired, 1);
    });

    it('queues a timer whose time has passed as an immediate, never calling it synchronously', () => {
      const host = new FakeHost();
      const clock = new RealClock({ host });
      let fired = 0;
      clock.setTimer(host.time - 5000, () => fired++);
      assert.equal(fired, 0);
      assert.equal(host.timeouts.length, 0);
      assert.equal(host.immediates.length, 1);
      host.immediates[0].fire();
      assert.equal(fired, 1);
    });

    it('cancels both sleeping and queued timers', () => {
      const host = new FakeHost();
      const clock = new RealClock({ host });
      let fired = 0;
      const sleeping = clock.setTimer(host.time + 100, () => fired++);
      const queued = clock.setTimer(host.time, () => fired++);
      assert.equal(clock.pendingTimers(), 2);
      clock.clearTimer(sleeping);
      clock.clearTimer(queued);
      assert.equal(host.timeouts[0].cleared, true);
      assert.equal(host.immediates[0].cleared, true);
      // Even if the host ran them anyway, a cleared timer does nothing.
      host.timeouts[0].fire();
      host.immediates[0].fire();
      assert.equal(fired, 0);
      assert.equal(clock.pendingTimers(), 0);
    });

    it('unrefs host timers only when asked to', () => {
      const plainHost = new FakeHost();
      new RealClock({ host: plainHost }).setTimer(plainHost.time + 10, () => undefined);
      assert.equal(plainHost.timeouts[0].unrefed, false);

      const host = new FakeHost();
      const clock = new RealClock({ host, unref: true });
      clock.setTimer(host.time + MAX_TIMEOUT_MS + 10, () => undefined);
      clock.setTimer(host.time - 1, () => undefined);
      host.elapseLatest();
      assert.deepEqual(
        host.timeouts.map((t) => t.unrefed),
        [true, true],
        're-armed timeouts stay unref’d',
      );
      assert.equal(host.immediates[0].unrefed, true);
    });

    it('passes callback errors to onError when given', () => {
      const host = new FakeHost();
      const errors: unknown[] = [];
      const clock = new RealClock({ host, onError: (e) => errors.push(e) });
      clock.setTimer(host.time + 1, () => {
        throw new Error('bad handler');
      });
      host.elapseLatest();
      assert.equal((errors[0] as Error).message, 'bad handler');
    });
  });

  describe('with Node timers', () => {
    it('reports the wall clock', () => {
      const clock = new RealClock();
      assert.equal(clock.kind, 'real');
      assert.ok(Math.abs(clock.now() - Date.now()) < 1000);
    });

    it('fires a short timer no earlier than its time', async () => {
      const clock = new RealClock();
      const at = clock.now() + 30;
      const firedAt = await new Promise<number>((resolve) => clock.setTimer(at, () => resolve(Date.now())));
      assert.ok(firedAt >= at, `fired ${at - firedAt} ms early`);
      assert.ok(firedAt - at < 5000, 'fired within a generous bound');
    });

    it('fires a past timer before a later one, and never a cleared one', async () => {
      const clock = new RealClock();
      const order: string[] = [];
      const cleared = clock.setTimer(clock.now() + 5, () => order.push('cleared'));
      clock.clearTimer(cleared);
      await new Promise<void>((resolve) => {
        clock.setTimer(clock.now() + 40, () => {
          order.push('later');
          resolve();
        });
        clock.setTimer(clock.now() - 1000, () => order.push('past'));
      });
      assert.deepEqual(order, ['past', 'later']);
    });

    it('unrefs real handles only with { unref: true }', () => {
      const handles: unknown[] = [];
      const recordingHost: TimerHost = {
        ...nodeTimerHost,
        setTimeout: (fire, ms) => {
          const h = nodeTimerHost.setTimeout(fire, ms);
          handles.push(h);
          return h;
        },
      };
      const refd = new RealClock({ host: recordingHost });
      const unrefd = new RealClock({ host: recordingHost, unref: true });
      const a = refd.setTimer(Date.now() + 60_000, () => undefined);
      const b = unrefd.setTimer(Date.now() + 60_000, () => undefined);
      try {
        assert.equal((handles[0] as NodeJS.Timeout).hasRef(), true);
        assert.equal((handles[1] as NodeJS.Timeout).hasRef(), false);
      } finally {
        refd.clearTimer(a);
        unrefd.clearTimer(b);
      }
    });
  });
});
