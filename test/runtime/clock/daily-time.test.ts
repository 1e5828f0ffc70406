import assert from 'node:assert/strict';
import { nextDailyTime, parseTimeOfDay } from '../../../runtime/clock/daily-time';

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

describe('parseTimeOfDay', () => {
  it('reads HH:mm and HH:mm:ss as wall times', () => {
    assert.deepEqual(parseTimeOfDay('07:30', 'Europe/Stockholm'), { hour: 7, minute: 30, second: 0 });
    assert.deepEqual(parseTimeOfDay('7:05:09', 'UTC'), { hour: 7, minute: 5, second: 9 });
    assert.deepEqual(parseTimeOfDay(' 23:59:59 ', 'UTC'), { hour: 23, minute: 59, second: 59 });
    assert.deepEqual(parseTimeOfDay('00:00', 'UTC'), { hour: 0, minute: 0, second: 0 });
  });

  it('converts an ISO date-time with an offset to the zone’s time of day', () => {
    const st = '2015-01-09T15:50:32.000-0600';
    assert.deepEqual(parseTimeOfDay(st, 'America/Chicago'), { hour: 15, minute: 50, second: 32 });
    assert.deepEqual(parseTimeOfDay(st, 'UTC'), { hour: 21, minute: 50, second: 32 });
    assert.deepEqual(parseTimeOfDay(st, 'Europe/Stockholm'), { hour: 22, minute: 50, second: 32 });
    assert.deepEqual(parseTimeOfDay('2015-07-09T21:50:32Z', 'Europe/Stockholm'), { hour: 23, minute: 50, second: 32 });
    assert.deepEqual(parseTimeOfDay('2015-07-09T21:50:32.5+05:30', 'UTC'), { hour: 16, minute: 20, second: 32 });
  });

  it('takes an ISO date-time without an offset as local time', () => {
    assert.deepEqual(parseTimeOfDay('2015-01-09T15:50', 'Asia/Tokyo'), { hour: 15, minute: 50, second: 0 });
  });

  it('takes epoch milliseconds as an instant', () => {
    assert.deepEqual(parseTimeOfDay(Date.UTC(2024, 0, 1, 12, 34, 56), 'America/New_York'), { hour: 7, minute: 34, second: 56 });
  });

  it('rejects bad input with the accepted formats', () => {
    const formats = /use "HH:mm" \(e\.g\. "07:30"\), "HH:mm:ss", an ISO date-time such as "2015-01-09T15:50:32\.000-0600" or "2015-01-09T21:50:32Z", or epoch milliseconds/;
    for (const [input, why] of [
      ['25:00', 'hour 25 is out of range 0-23'],
      ['12:60', 'minute 60 is out of range 0-59'],
      ['12:00:61', 'second 61 is out of range 0-59'],
      ['noon', 'not a recognised format'],
      ['', 'not a recognised format'],
      ['2015-13-01T00:00:00Z', 'month 13 is out of range 1-12'],
      ['2015-01-09T15:50:32+1900', 'offset +1900 is out of range'],
    ] as const) {
      assert.throws(
        () => parseTimeOfDay(input, 'UTC'),
        (e: unknown) => e instanceof Error && e.message.startsWith(`invalid time ${JSON.stringify(input)}: ${why}; `) && formats.test(e.message),
        input,
      );
    }
    assert.throws(() => parseTimeOfDay(Number.NaN, 'UTC'), /invalid time null: not a finite number; use "HH:mm"/);
    assert.throws(() => parseTimeOfDay({} as unknown as string, 'UTC'), /a object is not a time/);
    assert.throws(() => parseTimeOfDay('07:30', 'Nowhere/Land'), /unknown time zone/);
  });
});

describe('nextDailyTime', () => {
  it('is today if still ahead, otherwise tomorrow, strictly after', () => {
    const tod = { hour: 8, minute: 0, second: 0 };
    assert.equal(iso(nextDailyTime(tod, Date.UTC(2024, 0, 1, 7), 'UTC')), '2024-01-01T08:00:00Z');
    assert.equal(iso(nextDailyTime(tod, Date.UTC(2024, 0, 1, 8), 'UTC')), '2024-01-02T08:00:00Z');
    assert.equal(iso(nextDailyTime(tod, Date.UTC(2024, 0, 1, 9), 'UTC')), '2024-01-02T08:00:00Z');
  });

  it('keeps the wall time across Stockholm’s spring-forward day (23-hour gap between runs)', () => {
    const tod = { hour: 8, minute: 0, second: 0 };
    const sat = nextDailyTime(tod, Date.UTC(2024, 2, 30, 0), 'Europe/Stockholm');
    const sun = nextDailyTime(tod, sat, 'Europe/Stockholm');
    const mon = nextDailyTime(tod, sun, 'Europe/Stockholm');
    assert.deepEqual([iso(sat), iso(sun), iso(mon)], ['2024-03-30T07:00:00Z', '2024-03-31T06:00:00Z', '2024-04-01T06:00:00Z']);
  });

  it('moves a time inside the spring-forward gap later by the gap, once', () => {
    const tod = { hour: 2, minute: 30, second: 0 };
    const tz = 'America/New_York';
    const sat = nextDailyTime(tod, Date.UTC(2024, 2, 9, 0), tz);
    const sun = nextDailyTime(tod, sat, tz);
    const mon = nextDailyTime(tod, sun, tz);
    // 02:30 EST, then 03:30 EDT (02:30 does not exist), then 02:30 EDT.
    assert.deepEqual([iso(sat), iso(sun), iso(mon)], ['2024-03-09T07:30:00Z', '2024-03-10T07:30:00Z', '2024-03-11T06:30:00Z']);
  });

  it('fires a repeated fall-back time once, at the first occurrence', () => {
    const tod = { hour: 1, minute: 30, second: 0 };
    const tz = 'America/New_York';
    const first = nextDailyTime(tod, Date.UTC(2024, 10, 3, 4), tz);
    assert.equal(iso(first), '2024-11-03T05:30:00Z');
    // Between the two 01:30s the next run is tomorrow's, not the repeat.
    assert.equal(iso(nextDailyTime(tod, first, tz)), '2024-11-04T06:30:00Z');
    assert.equal(iso(nextDailyTime(tod, Date.UTC(2024, 10, 3, 6), tz)), '2024-11-04T06:30:00Z');
  });

  it('rejects a malformed time of day', () => {
    assert.throws(() => nextDailyTime({ hour: 24, minute: 0, second: 0 }, 0, 'UTC'), /hour 24 is out of range 0-23/);
    assert.throws(() => nextDailyTime({ hour: 1.5, minute: 0, second: 0 }, 0, 'UTC'), /whole numbers/);
    assert.throws(() => nextDailyTime({ hour: 1, minute: 0, second: 0 }, Number.NaN, 'UTC'), RangeError);
  });
});
