import assert from 'node:assert/strict';
import {
  addDays,
  assertTimeZone,
  daysInMonth,
  isValidTimeZone,
  localParts,
  localToInstant,
  weekdayOf,
  zoneOffsetMs,
} from '../../../runtime/clock/time-zone';

const HOUR = 3_600_000;

describe('time-zone helpers', () => {
  it('accepts IANA names and rejects others', () => {
    for (const tz of ['UTC', 'Europe/Stockholm', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) {
      assert.equal(isValidTimeZone(tz), true, tz);
    }
    for (const tz of ['Mars/Olympus', '', '+01:00', 'Europe/Stockholm ', 'not a zone']) {
      assert.equal(isValidTimeZone(tz), false, JSON.stringify(tz));
    }
    assert.equal(isValidTimeZone(undefined as unknown as string), false);
    assert.throws(() => assertTimeZone('Nowhere'), /unknown time zone "Nowhere"; use an IANA time zone name such as "Europe\/Stockholm"/);
  });

  it('gives local calendar parts and weekday of an instant', () => {
    const t = Date.UTC(2024, 0, 1, 3, 4, 5); // Monday 03:04:05 UTC
    assert.deepEqual(localParts(t, 'UTC'), { year: 2024, month: 1, day: 1, hour: 3, minute: 4, second: 5, weekday: 1 });
    assert.deepEqual(localParts(t, 'America/New_York'), { year: 2023, month: 12, day: 31, hour: 22, minute: 4, second: 5, weekday: 0 });
    assert.deepEqual(localParts(Date.UTC(2024, 5, 30, 23, 30), 'Europe/Stockholm'), { year: 2024, month: 7, day: 1, hour: 1, minute: 30, second: 0, weekday: 1 });
  });

  it('gives zone offsets that follow DST', () => {
    assert.equal(zoneOffsetMs(Date.UTC(2024, 0, 15), 'Europe/Stockholm'), HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2024, 6, 15), 'Europe/Stockholm'), 2 * HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2024, 0, 15), 'America/New_York'), -5 * HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2024, 6, 15, 0, 0, 0, 750), 'America/New_York'), -4 * HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2024, 6, 15), 'Asia/Kolkata'), 5.5 * HOUR);
  });

  it('turns a local time into an instant', () => {
    assert.equal(localToInstant({ year: 2024, month: 1, day: 15, hour: 8 }, 'Europe/Stockholm'), Date.UTC(2024, 0, 15, 7));
    assert.equal(localToInstant({ year: 2024, month: 7, day: 15, hour: 8, minute: 30, second: 15 }, 'Europe/Stockholm'), Date.UTC(2024, 6, 15, 6, 30, 15));
    // Rolls over like Date.UTC.
    assert.equal(localToInstant({ year: 2024, month: 12, day: 32 }, 'UTC'), Date.UTC(2025, 0, 1));
  });

  it('resolves a spring-forward gap by moving later by the gap', () => {
    // New York 2024-03-10 02:00 EST -> 03:00 EDT; 02:30 does not exist.
    assert.equal(localToInstant({ year: 2024, month: 3, day: 10, hour: 2, minute: 30 }, 'America/New_York'), Date.UTC(2024, 2, 10, 7, 30));
    assert.equal(localToInstant({ year: 2024, month: 3, day: 10, hour: 3, minute: 30 }, 'America/New_York'), Date.UTC(2024, 2, 10, 7, 30));
  });

  it('resolves a fall-back overlap to the first occurrence', () => {
    // New York 2024-11-03 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
    assert.equal(localToInstant({ year: 2024, month: 11, day: 3, hour: 1, minute: 30 }, 'America/New_York'), Date.UTC(2024, 10, 3, 5, 30));
    assert.equal(localToInstant({ year: 2024, month: 10, day: 27, hour: 2, minute: 30 }, 'Europe/Stockholm'), Date.UTC(2024, 9, 27, 0, 30));
  });

  it('does calendar arithmetic', () => {
    assert.deepEqual(addDays({ year: 2024, month: 2, day: 28 }, 1), { year: 2024, month: 2, day: 29 });
    assert.deepEqual(addDays({ year: 2024, month: 12, day: 31 }, 1), { year: 2025, month: 1, day: 1 });
    assert.deepEqual(addDays({ year: 2024, month: 3, day: 1 }, -1), { year: 2024, month: 2, day: 29 });
    assert.equal(daysInMonth(2024, 2), 29);
    assert.equal(daysInMonth(2023, 2), 28);
    assert.equal(daysInMonth(2100, 2), 28);
    assert.equal(daysInMonth(2024, 4), 30);
    assert.equal(weekdayOf(2024, 1, 1), 1);
    assert.equal(weekdayOf(2024, 3, 31), 0);
    assert.equal(weekdayOf(50, 1, 1), new Date('0050-01-01T00:00:00Z').getUTCDay(), 'years below 100 are not 19xx');
  });
});
