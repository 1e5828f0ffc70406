import assert from 'node:assert/strict';
import { CronError, parseCron } from '../../../runtime/clock/cron';

/** The next `count` fire times after `from`, as ISO strings (UTC); stops at the first undefined. */
function nexts(expr: string, from: string, timeZone = 'UTC', count = 4): string[] {
  const schedule = parseCron(expr);
  const out: string[] = [];
  let t = Date.parse(from);
  for (let i = 0; i < count; i++) {
    const n = schedule.next(t, timeZone);
    if (n === undefined) {
      out.push('never');
      break;
    }
    out.push(new Date(n).toISOString().replace('.000Z', 'Z'));
    t = n;
  }
  return out;
}

function cronError(expr: string, message: string): void {
  assert.throws(
    () => parseCron(expr),
    (e: unknown) => {
      assert.ok(e instanceof CronError, `expected a CronError, got ${String(e)}`);
      assert.equal(e.name, 'CronError');
      assert.equal(e.message, message);
      return true;
    },
  );
}

// 2024-01-01 is a Monday.
describe('parseCron', () => {
  describe('times of day (UTC)', () => {
    it('fixed time, strictly after the start', () => {
      assert.deepEqual(nexts('0 15 10 ? * *', '2024-01-01T00:00:00Z', 'UTC', 2), ['2024-01-01T10:15:00Z', '2024-01-02T10:15:00Z']);
      assert.deepEqual(nexts('0 15 10 ? * *', '2024-01-01T10:15:00Z', 'UTC', 1), ['2024-01-02T10:15:00Z']);
      assert.deepEqual(nexts('0 15 10 ? * *', '2024-01-01T10:14:59.999Z', 'UTC', 1), ['2024-01-01T10:15:00Z']);
    });
    it('a single second value', () => {
      assert.deepEqual(nexts('45 0 0 * * ?', '2024-01-01T00:00:00Z', 'UTC', 2), ['2024-01-01T00:00:45Z', '2024-01-02T00:00:45Z']);
      // A range or step that comes to one value is still one value.
      assert.deepEqual(nexts('5-5 0 0 * * ?', '2024-01-01T00:00:00Z', 'UTC', 1), ['2024-01-01T00:00:05Z']);
    });
    it('minute steps from a start value (Quartz n/step)', () => {
      assert.deepEqual(nexts('30 0/20 * * * ?', '2024-01-01T00:00:00Z'), [
        '2024-01-01T00:00:30Z',
        '2024-01-01T00:20:30Z',
        '2024-01-01T00:40:30Z',
        '2024-01-01T01:00:30Z',
      ]);
      assert.deepEqual(nexts('0 */25 0 * * ?', '2024-01-01T00:00:00Z'), ['2024-01-01T00:25:00Z', '2024-01-01T00:50:00Z', '2024-01-02T00:00:00Z', '2024-01-02T00:25:00Z']);
    });
    it('lists and ranges', () => {
      assert.deepEqual(nexts('0 5,35 8-9 * * ?', '2024-01-01T00:00:00Z', 'UTC', 5), [
        '2024-01-01T08:05:00Z',
        '2024-01-01T08:35:00Z',
        '2024-01-01T09:05:00Z',
        '2024-01-01T09:35:00Z',
        '2024-01-02T08:05:00Z',
      ]);
      assert.deepEqual(nexts('0 0 10-16/3 * * ?', '2024-01-01T00:00:00Z'), ['2024-01-01T10:00:00Z', '2024-01-01T13:00:00Z', '2024-01-01T16:00:00Z', '2024-01-02T10:00:00Z']);
    });
    it('ranges that wrap past the maximum', () => {
      assert.deepEqual(nexts('0 0 22-1 * * ?', '2024-01-01T12:00:00Z', 'UTC', 5), [
        '2024-01-01T22:00:00Z',
        '2024-01-01T23:00:00Z',
        '2024-01-02T00:00:00Z',
        '2024-01-02T01:00:00Z',
        '2024-01-02T22:00:00Z',
      ]);
    });
    it('every minute is allowed', () => {
      assert.deepEqual(nexts('0 * * * * ?', '2024-01-01T00:00:30Z', 'UTC', 2), ['2024-01-01T00:01:00Z', '2024-01-01T00:02:00Z']);
    });
  });

  describe('day of week (1 = SUN ... 7 = SAT)', () => {
    it('numbers are Quartz numbers, not Unix ones', () => {
      assert.deepEqual(nexts('0 0 9 ? * 1', '2024-01-01T00:00:00Z', 'UTC', 2), ['2024-01-07T09:00:00Z', '2024-01-14T09:00:00Z']);
      assert.deepEqual(nexts('0 0 9 ? * 2', '2024-01-01T00:00:00Z', 'UTC', 2), ['2024-01-01T09:00:00Z', '2024-01-08T09:00:00Z']);
      assert.deepEqual(nexts('0 0 9 ? * 7', '2024-01-01T00:00:00Z', 'UTC', 1), ['2024-01-06T09:00:00Z']);
    });
    it('names, case-insensitive, in ranges that may wrap', () => {
      assert.deepEqual(nexts('0 0 9 ? * sun', '2024-01-01T00:00:00Z', 'UTC', 1), ['2024-01-07T09:00:00Z']);
      assert.deepEqual(nexts('0 0 12 ? * MON-FRI', '2024-01-05T13:00:00Z', 'UTC', 2), ['2024-01-08T12:00:00Z', '2024-01-09T12:00:00Z']);
      assert.deepEqual(nexts('0 0 9 ? * FRI-MON', '2024-01-01T10:00:00Z', 'UTC', 5), [
        '2024-01-05T09:00:00Z',
        '2024-01-06T09:00:00Z',
        '2024-01-07T09:00:00Z',
        '2024-01-08T09:00:00Z',
        '2024-01-12T09:00:00Z',
      ]);
    });
    it('steps: 2/2 is MON, WED, FRI', () => {
      assert.deepEqual(nexts('0 0 9 ? * 2/2', '2024-01-01T10:00:00Z', 'UTC', 3), ['2024-01-03T09:00:00Z', '2024-01-05T09:00:00Z', '2024-01-08T09:00:00Z']);
    });
    it('a lone L is Saturday', () => {
      assert.deepEqual(nexts('0 0 9 ? * L', '2024-01-01T00:00:00Z', 'UTC', 2), ['2024-01-06T09:00:00Z', '2024-01-13T09:00:00Z']);
    });
    it('nL: the last such weekday of the month', () => {
      const lastFridays = ['2024-01-26T00:00:00Z', '2024-02-23T00:00:00Z', '2024-03-29T00:00:00Z', '2024-04-26T00:00:00Z'];
      assert.deepEqual(nexts('0 0 0 ? * 6L', '2024-01-01T00:00:00Z'), lastFridays);
      assert.deepEqual(nexts('0 0 0 ? * FRIL', '2024-01-01T00:00:00Z'), lastFridays);
    });
    it('n#k: the k-th such weekday, skipping months without one', () => {
      assert.deepEqual(nexts('0 0 9 ? * 2#1', '2024-01-01T00:00:00Z'), ['2024-01-01T09:00:00Z', '2024-02-05T09:00:00Z', '2024-03-04T09:00:00Z', '2024-04-01T09:00:00Z']);
      assert.deepEqual(nexts('0 0 0 ? * FRI#5', '2024-01-01T00:00:00Z'), ['2024-03-29T00:00:00Z', '2024-05-31T00:00:00Z', '2024-08-30T00:00:00Z', '2024-11-29T00:00:00Z']);
    });
  });

  describe('day of month', () => {
    it('L: last day, including leap February', () => {
      assert.deepEqual(nexts('0 0 0 L * ?', '2024-01-01T00:00:00Z'), ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z', '2024-03-31T00:00:00Z', '2024-04-30T00:00:00Z']);
    });
    it('L-n: n days before the last day', () => {
      assert.deepEqual(nexts('0 0 0 L-3 * ?', '2024-01-01T00:00:00Z'), ['2024-01-28T00:00:00Z', '2024-02-26T00:00:00Z', '2024-03-28T00:00:00Z', '2024-04-27T00:00:00Z']);
    });
    it('nW: nearest weekday, moving off Saturdays and Sundays', () => {
      // 2024-06-15 is a Saturday, 2024-09-15 a Sunday.
      assert.deepEqual(nexts('0 0 0 15W * ?', '2024-06-01T00:00:00Z'), ['2024-06-14T00:00:00Z', '2024-07-15T00:00:00Z', '2024-08-15T00:00:00Z', '2024-09-16T00:00:00Z']);
    });
    it('nW never crosses the month: 1W on a Saturday is Monday the 3rd', () => {
      // 2024-06-01 is a Saturday, 2024-09-01 a Sunday.
      assert.deepEqual(nexts('0 0 0 1W * ?', '2024-05-15T00:00:00Z'), ['2024-06-03T00:00:00Z', '2024-07-01T00:00:00Z', '2024-08-01T00:00:00Z', '2024-09-02T00:00:00Z']);
    });
    it('30W skips months without a 30th and moves a Sunday last day back to Friday', () => {
      // February has no 30th; 2024-03-30 is a Saturday.
      assert.deepEqual(nexts('0 0 0 30W * ?', '2024-01-01T00:00:00Z'), ['2024-01-30T00:00:00Z', '2024-03-29T00:00:00Z', '2024-04-30T00:00:00Z', '2024-05-30T00:00:00Z']);
      // 2024-06-30 is a Sunday and the last day of June.
      assert.deepEqual(nexts('0 0 0 30W 6 ?', '2024-06-01T00:00:00Z', 'UTC', 1), ['2024-06-28T00:00:00Z']);
    });
    it('LW: last weekday of the month', () => {
      // 2024-03-31 is a Sunday.
      assert.deepEqual(nexts('0 0 0 LW * ?', '2024-01-01T00:00:00Z'), ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z', '2024-03-29T00:00:00Z', '2024-04-30T00:00:00Z']);
    });
    it('lists, ranges and steps', () => {
      assert.deepEqual(nexts('0 0 0 1,15 * ?', '2024-01-01T00:00:00Z', 'UTC', 3), ['2024-01-15T00:00:00Z', '2024-02-01T00:00:00Z', '2024-02-15T00:00:00Z']);
      assert.deepEqual(nexts('0 0 0 1/10 * ?', '2024-01-01T00:00:00Z'), ['2024-01-11T00:00:00Z', '2024-01-21T00:00:00Z', '2024-01-31T00:00:00Z', '2024-02-01T00:00:00Z']);
    });
    it('a day missing from some listed months fires only in the others', () => {
      assert.deepEqual(nexts('0 0 0 31 2,3 ?', '2024-01-01T00:00:00Z', 'UTC', 2), ['2024-03-31T00:00:00Z', '2025-03-31T00:00:00Z']);
      assert.deepEqual(nexts('0 0 0 29 2 ?', '2024-03-01T00:00:00Z', 'UTC', 2), ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']);
    });
  });

  describe('day-of-month / day-of-week leniency', () => {
    it('* in day-of-month with a day-of-week acts as ?', () => {
      assert.deepEqual(nexts('0 0 9 * * MON', '2024-01-02T00:00:00Z', 'UTC', 1), ['2024-01-08T09:00:00Z']);
    });
    it('* in day-of-week with a day-of-month acts as ?', () => {
      assert.deepEqual(nexts('0 0 9 15 * *', '2024-01-02T00:00:00Z', 'UTC', 2), ['2024-01-15T09:00:00Z', '2024-02-15T09:00:00Z']);
    });
    it('? or * in both means every day', () => {
      assert.deepEqual(nexts('0 0 9 ? * ?', '2024-01-01T10:00:00Z', 'UTC', 1), ['2024-01-02T09:00:00Z']);
      assert.deepEqual(nexts('0 0 9 * * *', '2024-01-01T10:00:00Z', 'UTC', 1), ['2024-01-02T09:00:00Z']);
    });
  });

  describe('months', () => {
    it('names and lists', () => {
      assert.deepEqual(nexts('0 0 0 1 JAN,jul ?', '2024-01-01T00:00:00Z', 'UTC', 3), ['2024-07-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-07-01T00:00:00Z']);
    });
    it('a range that wraps the year', () => {
      assert.deepEqual(nexts('0 0 0 1 NOV-FEB ?', '2024-03-01T00:00:00Z', 'UTC', 5), [
        '2024-11-01T00:00:00Z',
        '2024-12-01T00:00:00Z',
        '2025-01-01T00:00:00Z',
        '2025-02-01T00:00:00Z',
        '2025-11-01T00:00:00Z',
      ]);
    });
    it('numeric steps', () => {
      assert.deepEqual(nexts('0 0 0 1 1/3 ?', '2024-01-01T00:00:00Z'), ['2024-04-01T00:00:00Z', '2024-07-01T00:00:00Z', '2024-10-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    });
  });

  describe('year field', () => {
    it('* is every year', () => {
      assert.deepEqual(nexts('0 0 0 1 1 ? *', '2024-01-01T00:00:00Z', 'UTC', 2), ['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z']);
    });
    it('a single year, then never again', () => {
      assert.deepEqual(nexts('0 0 0 1 1 ? 2026', '2024-01-01T00:00:00Z'), ['2026-01-01T00:00:00Z', 'never']);
    });
    it('a range, lists and steps', () => {
      assert.deepEqual(nexts('0 0 12 1 6 ? 2025-2026', '2024-01-01T00:00:00Z'), ['2025-06-01T12:00:00Z', '2026-06-01T12:00:00Z', 'never']);
      assert.deepEqual(nexts('0 0 0 1 1 ? 2024/2', '2024-06-01T00:00:00Z', 'UTC', 2), ['2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z']);
      assert.deepEqual(nexts('0 0 0 1 1 ? 2025,2030', '2024-06-01T00:00:00Z'), ['2025-01-01T00:00:00Z', '2030-01-01T00:00:00Z', 'never']);
    });
    it('a date that does not occur in the listed years never fires', () => {
      assert.deepEqual(nexts('0 0 0 29 2 ? 2025-2027', '2024-03-01T00:00:00Z'), ['never']);
      assert.deepEqual(nexts('0 0 0 29 2 ? 2025-2030', '2024-03-01T00:00:00Z'), ['2028-02-29T00:00:00Z', 'never']);
    });
    it('works with monthly day rules', () => {
      assert.deepEqual(nexts('0 0 0 L 2 ? 2026', '2024-01-01T00:00:00Z'), ['2026-02-28T00:00:00Z', 'never']);
      assert.deepEqual(nexts('0 0 0 ? * 2#1 2025', '2024-06-01T00:00:00Z', 'UTC', 2), ['2025-01-06T00:00:00Z', '2025-02-03T00:00:00Z']);
    });
    it('is the local year, not the UTC one', () => {
      // Midnight 2030-01-01 in Stockholm is still 2029 in UTC.
      assert.deepEqual(nexts('0 0 0 1 1 ? 2030', '2024-01-01T00:00:00Z', 'Europe/Stockholm'), ['2029-12-31T23:00:00Z', 'never']);
    });
  });

  describe('time zones and DST', () => {
    it('reads day-of-week in the zone', () => {
      // 2024-01-01T00:00Z is still Sunday 2023-12-31 19:00 in New York; Sunday 23:00 there is
      // Monday 04:00 UTC. In UTC the next Sunday is a week later.
      assert.deepEqual(nexts('0 0 23 ? * SUN', '2024-01-01T00:00:00Z', 'America/New_York', 2), ['2024-01-01T04:00:00Z', '2024-01-08T04:00:00Z']);
      assert.deepEqual(nexts('0 0 23 ? * SUN', '2024-01-01T00:00:00Z', 'UTC', 1), ['2024-01-07T23:00:00Z']);
    });
    it('Stockholm spring forward: 02:30 does not exist and fires at 03:30', () => {
      assert.deepEqual(nexts('0 30 2 * * ?', '2024-03-30T12:00:00Z', 'Europe/Stockholm', 2), ['2024-03-31T01:30:00Z', '2024-04-01T00:30:00Z']);
    });
    it('Stockholm fall back: 02:30 occurs twice and fires once, at the first', () => {
      assert.deepEqual(nexts('0 30 2 * * ?', '2024-10-26T12:00:00Z', 'Europe/Stockholm', 2), ['2024-10-27T00:30:00Z', '2024-10-28T01:30:00Z']);
    });
    it('New York hourly schedules follow real hours through both switches', () => {
      // 2024-03-10: 01:00 EST, then 02:00 does not exist, then 03:00 EDT.
      assert.deepEqual(nexts('0 0 * * * ?', '2024-03-10T05:30:00Z', 'America/New_York', 3), ['2024-03-10T06:00:00Z', '2024-03-10T07:00:00Z', '2024-03-10T08:00:00Z']);
      // 2024-11-03: 01:00 EDT, 01:00 EST, 02:00 EST.
      assert.deepEqual(nexts('0 0 * * * ?', '2024-11-03T04:30:00Z', 'America/New_York', 3), ['2024-11-03T05:00:00Z', '2024-11-03T06:00:00Z', '2024-11-03T07:00:00Z']);
    });
    it('New York fixed hours fire once on the fall-back day', () => {
      assert.deepEqual(nexts('0 30 1,2 * * ?', '2024-11-03T04:00:00Z', 'America/New_York', 3), ['2024-11-03T05:30:00Z', '2024-11-03T07:30:00Z', '2024-11-04T06:30:00Z']);
    });
    it('monthly rules in a zone, across a DST switch', () => {
      // Midnight local is 23:00 UTC the day before in winter, 22:00 in summer.
      assert.deepEqual(nexts('0 0 0 L * ?', '2024-01-01T00:00:00Z', 'Europe/Stockholm'), [
        '2024-01-30T23:00:00Z',
        '2024-02-28T23:00:00Z',
        '2024-03-30T23:00:00Z',
        '2024-04-29T22:00:00Z',
      ]);
      // 02:00 on 2024-03-31 is in the gap: 03:00 CEST.
      assert.deepEqual(nexts('0 0 2 L 3 ?', '2024-03-01T00:00:00Z', 'Europe/Stockholm', 1), ['2024-03-31T01:00:00Z']);
    });
    it('rejects an unknown time zone', () => {
      assert.throws(() => parseCron('0 0 0 * * ?').next(0, 'Mars/Olympus'), /unknown time zone "Mars\/Olympus"; use an IANA time zone name/);
    });
    it('rejects a non-finite start', () => {
      assert.throws(() => parseCron('0 0 0 * * ?').next(Number.NaN, 'UTC'), RangeError);
    });
  });

  describe('errors', () => {
    it('wrong number of fields', () => {
      cronError(
        '0 12 * * ?',
        'cron expression "0 12 * * ?" has 5 fields; expected 6 or 7: second minute hour day-of-month month day-of-week [year]; this looks like a 5-field Unix cron, add a seconds field in front: "0 0 12 * * ?"',
      );
      cronError('', 'cron expression "" has 0 fields; expected 6 or 7: second minute hour day-of-month month day-of-week [year]');
      cronError('0 0 0 * * ? 2024 x', 'cron expression "0 0 0 * * ? 2024 x" has 8 fields; expected 6 or 7: second minute hour day-of-month month day-of-week [year]');
      assert.throws(() => parseCron(42 as unknown as string), /cron expression must be a string, got number/);
    });
    it('seconds that would fire more than once a minute', () => {
      for (const s of ['*', '*/10', '0,30', '0-5']) {
        cronError(
          `${s} * * * * ?`,
          `cron field 1 (second) "${s}" would fire more than once a minute, which SmartThings schedules may not do; use a single second value 0-59, e.g. 0`,
        );
      }
    });
    it('bad seconds', () => {
      cronError('60 0 0 * * ?', 'cron field 1 (second) "60" is out of range 0-59; use a single second value 0-59, e.g. 0');
      cronError('x 0 0 * * ?', 'cron field 1 (second) "x" is not a valid value; use a single second value 0-59, e.g. 0');
      cronError('? 0 0 * * ?', 'cron field 1 (second) "?" uses "?", which is only allowed in day-of-month or day-of-week; use a single second value 0-59, e.g. 0');
    });
    it('bad minutes and hours', () => {
      cronError('0 60 0 * * ?', 'cron field 2 (minute) "60" is out of range 0-59; use 0-59, a list (0,30), a range (0-15) or a step (*/5)');
      cronError('0 */0 0 * * ?', 'cron field 2 (minute) "*/0" has step "0"; use a whole-number step 1-60, e.g. */2');
      cronError('0 5/x 0 * * ?', 'cron field 2 (minute) "5/x" has step "x"; use a whole-number step 1-60, e.g. 5/2');
      cronError('0 1/2/3 0 * * ?', 'cron field 2 (minute) "1/2/3" has more than one "/"; use 0-59, a list (0,30), a range (0-15) or a step (*/5)');
      cronError('0 1,,2 0 * * ?', 'cron field 2 (minute) "1,,2" has an empty list item; use 0-59, a list (0,30), a range (0-15) or a step (*/5)');
      cronError('0 1- 0 * * ?', 'cron field 2 (minute) "1-" has an empty value; use 0-59, a list (0,30), a range (0-15) or a step (*/5)');
      cronError('0 1-2-3 0 * * ?', 'cron field 2 (minute) "1-2-3" is not a value or range; use 0-59, a list (0,30), a range (0-15) or a step (*/5)');
      cronError('0 0 24 * * ?', 'cron field 3 (hour) "24" is out of range 0-23; use 0-23, a list (8,20), a range (9-17) or a step (*/2)');
      cronError('0 0 noon * * ?', 'cron field 3 (hour) "noon" is not a valid value; use 0-23, a list (8,20), a range (9-17) or a step (*/2)');
      cronError('0 0 ? * * ?', 'cron field 3 (hour) "?" uses "?", which is only allowed in day-of-month or day-of-week; use * instead');
    });
    it('bad day-of-month', () => {
      cronError('0 0 0 32 * ?', 'cron field 4 (day-of-month) "32" is out of range 1-31; use 1-31, L or ?');
      cronError('0 0 0 0 * ?', 'cron field 4 (day-of-month) "0" is out of range 1-31; use 1-31, L or ?');
      cronError('0 0 0 L,15 * ?', 'cron field 4 (day-of-month) "L,15" combines L or W with a list or step; L, L-n, nW and LW must stand alone');
      cronError('0 0 0 L-31 * ?', 'cron field 4 (day-of-month) "L-31" is out of range: L-n needs n 0-30; e.g. L-1 for the day before the last day');
      cronError('0 0 0 32W * ?', 'cron field 4 (day-of-month) "32W" is out of range 1-31; nW needs a day 1-31, e.g. 15W for the weekday nearest the 15th');
      cronError('0 0 0 0W * ?', 'cron field 4 (day-of-month) "0W" is out of range 1-31; nW needs a day 1-31, e.g. 15W for the weekday nearest the 15th');
      cronError('0 0 0 W * ?', 'cron field 4 (day-of-month) "W" is not valid; use 1-31, L (last day), L-n (n days before the last), nW (weekday nearest day n), LW (last weekday) or ?');
      cronError('0 0 0 ?,1 * ?', 'cron field 4 (day-of-month) "?,1" uses "?" with other values; "?" must stand alone');
      cronError('0 0 0 30 2 ?', 'cron field 4 (day-of-month) "30" never occurs in month field "2" (at most 29 days); use a day 1-29 or L for the last day');
      cronError('0 0 0 31W APR,JUN ?', 'cron field 4 (day-of-month) "31W" never occurs in month field "APR,JUN" (at most 30 days); use a day 1-30 or L for the last day');
    });
    it('bad month', () => {
      cronError('0 0 0 1 13 ?', 'cron field 5 (month) "13" is out of range 1-12; use 1-12 or JAN-DEC');
      cronError('0 0 0 1 JANUARY ?', 'cron field 5 (month) "JANUARY" is not a valid value; use 1-12 or JAN-DEC');
      cronError('0 0 0 1 ? ?', 'cron field 5 (month) "?" uses "?", which is only allowed in day-of-month or day-of-week; use * instead');
    });
    it('bad day-of-week', () => {
      cronError('0 0 0 ? * 0', 'cron field 6 (day-of-week) "0" is out of range 1-7; use 1-7 (1 = SUN ... 7 = SAT), SUN-SAT or ?');
      cronError('0 0 0 ? * 8', 'cron field 6 (day-of-week) "8" is out of range 1-7; use 1-7 (1 = SUN ... 7 = SAT), SUN-SAT or ?');
      cronError('0 0 0 ? * FUN', 'cron field 6 (day-of-week) "FUN" is not a valid value; use 1-7 (1 = SUN ... 7 = SAT), SUN-SAT or ?');
      cronError('0 0 0 ? * 2#6', 'cron field 6 (day-of-week) "2#6" asks for occurrence 6 of the month; n#k needs k 1-5, e.g. 2#1 for the first Monday');
      cronError('0 0 0 ? * 2#1,3', 'cron field 6 (day-of-week) "2#1,3" combines L or # with a list, range or step; nL and n#k must stand alone, e.g. 6L or 2#1');
      cronError('0 0 0 ? * 0L', 'cron field 6 (day-of-week) "0" is out of range 1-7; use 1-7 (1 = SUN ... 7 = SAT), SUN-SAT or ?');
      cronError('0 0 0 ? * L#2', 'cron field 6 (day-of-week) "L" is not a valid value; use 1-7 (1 = SUN ... 7 = SAT), SUN-SAT or ?');
      cronError('0 0 0 ? * 2W', 'cron field 6 (day-of-week) "2W" is not a valid value; use 1-7 (1 = SUN ... 7 = SAT), SUN-SAT or ?');
    });
    it('both day fields specified', () => {
      cronError(
        '0 0 12 15 * MON',
        'cron fields 4 (day-of-month) "15" and 6 (day-of-week) "MON" are both specified; set one of them to ?, e.g. "0 0 12 ? * MON"',
      );
      cronError('0 0 12 L * 6L', 'cron fields 4 (day-of-month) "L" and 6 (day-of-week) "6L" are both specified; set one of them to ?, e.g. "0 0 12 ? * 6L"');
    });
    it('bad year', () => {
      cronError('0 0 0 1 1 ? 1969', 'cron field 7 (year) "1969" is out of range 1970-2099; use 1970-2099 or *');
      cronError('0 0 0 1 1 ? 2100', 'cron field 7 (year) "2100" is out of range 1970-2099; use 1970-2099 or *');
      cronError('0 0 0 1 1 ? 2026-2024', 'cron field 7 (year) "2026-2024" has its start after its end; write the earlier year first, e.g. 2024-2026');
      cronError('0 0 0 1 1 ? ?', 'cron field 7 (year) "?" uses "?", which is only allowed in day-of-month or day-of-week; use * instead');
    });
  });

  it('keeps the expression text', () => {
    assert.equal(parseCron('0 0 12 * * ?').expression, '0 0 12 * * ?');
  });
});
