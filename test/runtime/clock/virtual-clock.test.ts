import assert from 'node:assert/strict';
import { VirtualClock } from '../../../runtime/clock/virtual-clock';

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);

describe('VirtualClock', () => {
  it('starts at the given time and reports kind virtual', () => {
    const clock = new VirtualClock(T0);
    assert.equal(clock.kind, 'virtual');
    assert.equal(clock.now(), T0);
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(clock.nextTimerAt(), undefined);
  });

  it('fires timers in time order, with now() at each due time, and ends at the target', () => {
    const clock = new VirtualClock(T0);
    const log: Array<[string, number]> = [];
    clock.setTimer(T0 + 300, () => log.push(['c', clock.now()]));
    clock.setTimer(T0 + 100, () => log.push(['a', clock.now()]));
    clock.setTimer(T0 + 200, () => log.push(['b', clock.now()]));
    clock.setTimer(T0 + 1000, () => log.push(['late', clock.now()]));
    assert.equal(clock.pendingTimers(), 4);
    assert.equal(clock.nextTimerAt(), T0 + 100);
    clock.advance(500);
    assert.deepEqual(log, [
      ['a', T0 + 100],
      ['b', T0 + 200],
      ['c', T0 + 300],
    ]);
    assert.equal(clock.now(), T0 + 500);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(clock.nextTimerAt(), T0 + 1000);
  });

  it('fires timers due at the same time in insertion order', () => {
    const clock = new VirtualClock(T0);
    const log: number[] = [];
    for (let i = 0; i < 20; i++) clock.setTimer(T0 + 50, () => log.push(i));
    clock.advanceTo(T0 + 50);
    assert.deepEqual(log, [...Array(20).keys()]);
  });

  it('fires a timer due exactly at the target, but not one a millisecond later', () => {
    const clock = new VirtualClock(T0);
    const log: string[] = [];
    clock.setTimer(T0 + 10, () => log.push('at'));
    clock.setTimer(T0 + 11, () => log.push('after'));
    clock.advanceTo(T0 + 10);
    assert.deepEqual(log, ['at']);
  });

  it('fires timers set while firing when they fall within the same advance', () => {
    const clock = new VirtualClock(T0);
    const log: Array<[string, number]> = [];
    clock.setTimer(T0 + 100, () => {
      log.push(['first', clock.now()]);
      clock.setTimer(T0 + 150, () => {
        log.push(['chained', clock.now()]);
        clock.setTimer(T0 + 400, () => log.push(['beyond', clock.now()]));
      });
      // Same due time as the running timer: after it, and after any earlier-inserted ties.
      clock.setTimer(T0 + 100, () => log.push(['same-time', clock.now()]));
    });
    clock.setTimer(T0 + 100, () => log.push(['tie', clock.now()]));
    clock.setTimer(T0 + 200, () => log.push(['later', clock.now()]));
    clock.advance(300);
    assert.deepEqual(log, [
      ['first', T0 + 100],
      ['tie', T0 + 100],
      ['same-time', T0 + 100],
      ['chained', T0 + 150],
      ['later', T0 + 200],
    ]);
    assert.equal(clock.now(), T0 + 300);
    assert.equal(clock.nextTimerAt(), T0 + 400);
  });

  it('fires an overdue timer at the current time on the next advance, even advance(0)', () => {
    const clock = new VirtualClock(T0);
    clock.advance(1000);
    const seen: number[] = [];
    clock.setTimer(T0 + 10, () => seen.push(clock.now()));
    assert.deepEqual(seen, [], 'setTimer never fires synchronously');
    clock.advance(0);
    assert.deepEqual(seen, [T0 + 1000]);
  });

  it('does not fire a cleared timer and keeps counts right', () => {
    const clock = new VirtualClock(T0);
    const log: string[] = [];
    const a = clock.setTimer(T0 + 10, () => log.push('a'));
    const b = clock.setTimer(T0 + 20, () => log.push('b'));
    clock.setTimer(T0 + 30, () => log.push('c'));
    clock.clearTimer(a);
    assert.equal(clock.pendingTimers(), 2);
    assert.equal(clock.nextTimerAt(), T0 + 20);
    clock.clearTimer(a); // twice is harmless
    clock.clearTimer({ id: 9999 });
    assert.equal(clock.pendingTimers(), 2);
    clock.advance(100);
    assert.deepEqual(log, ['b', 'c']);
    clock.clearTimer(b); // already fired
    assert.equal(clock.pendingTimers(), 0);
  });

  it('lets a callback clear a timer due later in the same advance', () => {
    const clock = new VirtualClock(T0);
    const log: string[] = [];
    const victim = clock.setTimer(T0 + 20, () => log.push('victim'));
    clock.setTimer(T0 + 10, () => {
      log.push('killer');
      clock.clearTimer(victim);
    });
    clock.advance(50);
    assert.deepEqual(log, ['killer']);
  });

  it('refuses to go backwards, negative or non-finite advances, and nested advances', () => {
    const clock = new VirtualClock(T0);
    assert.throws(() => clock.advanceTo(T0 - 1), /backwards/);
    assert.throws(() => clock.advance(-5), RangeError);
    assert.throws(() => clock.advance(Number.NaN), RangeError);
    assert.throws(() => clock.advanceTo(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => new VirtualClock(Number.NaN), RangeError);
    clock.setTimer(T0 + 1, () => clock.advance(10));
    assert.throws(() => clock.advance(5), /inside a timer callback/);
    assert.equal(clock.now(), T0 + 5, 'the outer advance still completed');
  });

  it('keeps firing after a callback throws and rethrows that error once the advance is done', () => {
    const clock = new VirtualClock(T0);
    const log: string[] = [];
    const boom = new Error('boom');
    clock.setTimer(T0 + 10, () => log.push('before'));
    clock.setTimer(T0 + 20, () => {
      throw boom;
    });
    clock.setTimer(T0 + 30, () => log.push('after'));
    assert.throws(
      () => clock.advance(100),
      (e: unknown) => e === boom,
    );
    assert.deepEqual(log, ['before', 'after']);
    assert.equal(clock.now(), T0 + 100);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('rethrows several callback errors as one AggregateError', () => {
    const clock = new VirtualClock(T0);
    clock.setTimer(T0 + 1, () => {
      throw new Error('one');
    });
    clock.setTimer(T0 + 2, () => {
      throw new Error('two');
    });
    assert.throws(
      () => clock.advance(5),
      (e: unknown) => e instanceof AggregateError && e.errors.map((x: Error) => x.message).join(',') === 'one,two',
    );
    assert.equal(clock.now(), T0 + 5);
  });

  it('hands callback errors to onError instead of throwing when given one', () => {
    const errors: unknown[] = [];
    const clock = new VirtualClock(T0, { onError: (e) => errors.push(e) });
    const log: number[] = [];
    clock.setTimer(T0 + 1, () => {
      throw new Error('handled');
    });
    clock.setTimer(T0 + 2, () => log.push(clock.now()));
    clock.advance(10);
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as Error).message, 'handled');
    assert.deepEqual(log, [T0 + 2]);
  });

  it('handles thousands of timers, with cancellations, in exact order', () => {
    const clock = new VirtualClock(T0);
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const expected: Array<{ at: number; i: number }> = [];
    const fired: Array<{ at: number; i: number }> = [];
    const handles = [];
    const N = 20000;
    for (let i = 0; i < N; i++) {
      const at = T0 + Math.floor(random() * 100000);
      handles.push({ handle: clock.setTimer(at, () => fired.push({ at: clock.now(), i })), at, i });
    }
    for (const h of handles) {
      if (h.i % 3 === 0) clock.clearTimer(h.handle);
      else expected.push({ at: h.at, i: h.i });
    }
    expected.sort((x, y) => x.at - y.at || x.i - y.i);
    assert.equal(clock.pendingTimers(), expected.length);
    assert.equal(clock.nextTimerAt(), expected[0].at);
    clock.advance(50000);
    clock.advance(50000);
    assert.deepEqual(fired, expected);
    assert.equal(clock.pendingTimers(), 0);
  });
});
