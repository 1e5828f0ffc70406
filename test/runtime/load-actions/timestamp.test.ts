import assert from 'node:assert/strict';
import { daysInMonth, formatIapTimestamp, isLeapYear, parseIapTimestamp, zoneAbbreviation, type TimestampProblem } from '../../../runtime/load-actions';

/** The only problem of a timestamp, asserting there is exactly one. */
function onlyProblem(text: string): TimestampProblem {
  const r = parseIapTimestamp(text);
  assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
  return r.problems[0];
}

describe('parseIapTimestamp', () => {
  it('reads the IAP form in UTC, with the instant', () => {
    const r = parseIapTimestamp('2019-02-08 15:12:38.600 UTC');
    assert.deepEqual(r, {
      value: { year: 2019, month: 2, day: 8, hour: 15, minute: 12, second: 38, millisecond: 600, zone: 'UTC', offsetMinutes: 0, epochMs: Date.UTC(2019, 1, 8, 15, 12, 38, 600) },
      problems: [],
    });
  });

  it("reads the seed's BST example as British Summer Time and says BST is ambiguous", () => {
    const r = parseIapTimestamp('2016-09-28 12:00:00.000 BST');
    assert.equal(r.value?.epochMs, Date.UTC(2016, 8, 28, 11));
    assert.equal(r.value?.offsetMinutes, 60);
    assert.deepEqual(r.problems, [
      {
        severity: 'info',
        code: 'zone',
        field: 'zone',
        index: 24,
        length: 3,
        message: 'BST is ambiguous: read as British Summer Time (UTC+01:00), but it also means Bangladesh Standard Time (UTC+06:00)',
        fix: 'write the time in UTC to be unambiguous',
      },
    ]);
  });

  it('applies the offsets of known abbreviations, including half hours and negative ones', () => {
    const at = (zone: string): number | undefined => parseIapTimestamp(`2020-01-01 12:00:00.000 ${zone}`).value?.epochMs;
    assert.equal(at('CET'), Date.UTC(2020, 0, 1, 11));
    assert.equal(at('CEST'), Date.UTC(2020, 0, 1, 10));
    assert.equal(at('EST'), Date.UTC(2020, 0, 1, 17));
    assert.equal(at('ACST'), Date.UTC(2020, 0, 1, 2, 30));
    assert.equal(at('NST'), Date.UTC(2020, 0, 1, 15, 30));
    assert.equal(at('GMT'), Date.UTC(2020, 0, 1, 12));
    assert.deepEqual(parseIapTimestamp('2020-01-01 12:00:00.000 CET').problems, []);
  });

  it('says which meaning is assumed for other ambiguous abbreviations (CST, IST)', () => {
    assert.match(onlyProblem('2020-01-01 12:00:00.000 CST').message, /^CST is ambiguous: read as Central Standard Time \(North America\) \(UTC-06:00\), but it also means China Standard Time \(UTC\+08:00\), Cuba Standard Time \(UTC-05:00\)$/);
    assert.match(onlyProblem('2020-01-01 12:00:00.000 IST').message, /India Standard Time \(UTC\+05:30\).*Irish Standard Time/);
  });

  it('accepts leap days only in leap years', () => {
    assert.equal(parseIapTimestamp('2016-02-29 00:00:00.000 UTC').problems.length, 0);
    assert.equal(parseIapTimestamp('2000-02-29 00:00:00.000 UTC').problems.length, 0);
    const p = onlyProblem('1900-02-29 00:00:00.000 UTC');
    assert.deepEqual([p.severity, p.code, p.field, p.index, p.length], ['error', 'range', 'day', 8, 2]);
    assert.equal(p.message, 'day 29 is out of range: 1900 is not a leap year');
    assert.equal(p.fix, 'write a day from 01 to 28');
    assert.equal(onlyProblem('2015-02-29 00:00:00.000 UTC').message, 'day 29 is out of range: 2015 is not a leap year');
  });

  const rangeErrors: [string, string, number, string][] = [
    ['2016-13-01 00:00:00.000 UTC', 'month', 5, 'month 13 is out of range (01-12)'],
    ['2016-00-01 00:00:00.000 UTC', 'month', 5, 'month 00 is out of range (01-12)'],
    ['2016-04-31 00:00:00.000 UTC', 'day', 8, 'day 31 is out of range: April has 30 days'],
    ['2016-02-30 00:00:00.000 UTC', 'day', 8, 'day 30 is out of range: February has 29 days'],
    ['2016-01-00 00:00:00.000 UTC', 'day', 8, 'day 00 is out of range: January has 31 days'],
    ['2016-01-01 24:00:00.000 UTC', 'hour', 11, 'hour 24 is out of range (00-23)'],
    ['2016-01-01 12:60:00.000 UTC', 'minute', 14, 'minute 60 is out of range (00-59)'],
    ['2016-01-01 12:00:60.000 UTC', 'second', 17, 'second 60 is out of range (00-59)'],
  ];
  for (const [text, field, index, message] of rangeErrors) {
    it(`reports the ${field} of ${text} at ${index}`, () => {
      const p = onlyProblem(text);
      assert.deepEqual([p.severity, p.code, p.field, p.index, p.length, p.message], ['error', 'range', field, index, 2, message]);
      assert.equal(parseIapTimestamp(text).value, undefined);
    });
  }

  const formatErrors: [string, string, number, number, RegExp, string?][] = [
    ['2016-9-28 12:00:00.000 UTC', 'month', 5, 1, /^the month must be 2 digits; found "9"$/, '09'],
    ['16-09-28 12:00:00.000 UTC', 'year', 0, 2, /^the year must be 4 digits; found "16"$/],
    ['2016-09-8 12:00:00.000 UTC', 'day', 8, 1, /^the day must be 2 digits/, '08'],
    ['2016-09-28 9:00:00.000 UTC', 'hour', 11, 1, /^the hour must be 2 digits/, '09'],
    ['2016-09-28 12:00:00.5 UTC', 'millisecond', 20, 1, /^the milliseconds must be 3 digits; found "5"$/, '500'],
    ['2016-09-28 12:00:00.1234 UTC', 'millisecond', 20, 4, /^the milliseconds must be 3 digits; found "1234"$/],
    ['2016-09-28 12:00:00. UTC', 'millisecond', 20, 0, /^the milliseconds must be 3 digits; found none$/, '000'],
    ['2016/09/28 12:00:00.000 UTC', 'separator', 4, 1, /^expected "-" after the year; found "\/"$/, '-'],
    ['2016-09-28_12:00:00.000 UTC', 'separator', 10, 1, /^expected a space after the date; found "_"$/, ' '],
    ['2016-09-28T12:00:00.000 UTC', 'separator', 10, 1, /^IAP timestamps separate date and time with a space, not T/, ' '],
    ['2016-09-28 12.00.00.000 UTC', 'separator', 13, 1, /^expected ":" after the hour; found "\."$/, ':'],
    ['2016-09-28 12:00:00.000UTC', 'separator', 23, 1, /^expected a space after the time; found "U"$/],
    ['2016-09-28 12:00:00.000 +0100', 'zone', 24, 5, /^numeric offsets such as "\+0100" are not used in IAP timestamps$/],
    ['2016-09-28 12:00:00.000 UTC+1', 'zone', 24, 5, /^numeric offsets/],
    ['2016-09-28 12:00:00.000 Europe/Berlin', 'zone', 24, 13, /^expected a time-zone abbreviation such as UTC; found "Europe\/Berlin"$/],
    ['2016-09-28', 'separator', 10, 0, /^expected a space after the date; the timestamp ends here$/],
    ['', 'year', 0, 0, /^expected the year \(4 digits, e\.g\. 2016\); the timestamp ends here$/],
    ['next tuesday', 'year', 0, 1, /^expected the year \(4 digits, e\.g\. 2016\); found "n"$/],
  ];
  for (const [text, field, index, length, message, replacement] of formatErrors) {
    it(`reports ${JSON.stringify(text)}: ${field} at ${index}+${length}`, () => {
      const p = onlyProblem(text);
      assert.deepEqual([p.severity, p.code, p.field, p.index, p.length], ['error', 'format', field, index, length]);
      assert.match(p.message, message);
      assert.equal(p.replacement, replacement);
    });
  }

  it('rewrites an ISO 8601 timestamp in IAP form, converted to UTC', () => {
    const p = onlyProblem('2016-09-28T12:00:00.000Z');
    assert.deepEqual([p.code, p.index, p.length, p.replacement], ['format', 0, 24, '2016-09-28 12:00:00.000 UTC']);
    assert.equal(onlyProblem('2016-09-28T12:00:00+02:00').replacement, '2016-09-28 10:00:00.000 UTC');
    assert.equal(onlyProblem('2016-09-28T12:00:00.5-0130').replacement, '2016-09-28 13:30:00.500 UTC');
  });

  it('accepts missing milliseconds with a warning', () => {
    const r = parseIapTimestamp('2016-09-28 12:00:00 UTC');
    assert.equal(r.value?.epochMs, Date.UTC(2016, 8, 28, 12));
    assert.deepEqual(r.problems, [
      { severity: 'warning', code: 'precision', field: 'millisecond', index: 19, length: 0, message: 'the milliseconds are missing; IAP timestamps are written "HH:mm:ss.SSS"', fix: 'add .000 after the seconds', replacement: '.000' },
    ]);
  });

  it('accepts a missing zone with a warning, and gives no instant', () => {
    const r = parseIapTimestamp('2016-09-28 12:00:00.000');
    assert.equal(r.value?.epochMs, undefined);
    assert.equal(r.value?.zone, undefined);
    assert.equal(r.value?.hour, 12);
    const [p] = r.problems;
    assert.deepEqual([p.severity, p.code, p.index, p.length, p.replacement], ['warning', 'zone', 23, 0, ' UTC']);
    assert.equal(p.message, 'the time zone is missing, so it is unclear whose local time this is');
  });

  it('warns about lower-case zones and still applies them', () => {
    const r = parseIapTimestamp('2016-09-28 12:00:00.000 utc');
    assert.equal(r.value?.epochMs, Date.UTC(2016, 8, 28, 12));
    assert.deepEqual(
      r.problems.map((p) => [p.severity, p.code, p.index, p.length, p.replacement]),
      [['warning', 'zone', 24, 3, 'UTC']],
    );
  });

  it('warns about unknown abbreviations, which give no instant', () => {
    const r = parseIapTimestamp('2016-09-28 12:00:00.000 XYZ');
    assert.equal(r.value?.zone, 'XYZ');
    assert.equal(r.value?.epochMs, undefined);
    const [p] = r.problems;
    assert.deepEqual([p.severity, p.code, p.index, p.length], ['warning', 'zone', 24, 3]);
    assert.match(p.message, /^unknown time-zone abbreviation "XYZ"/);
  });

  it('reads four-digit years literally (not 0-99 as 1900-1999)', () => {
    assert.equal(parseIapTimestamp('0050-01-01 00:00:00.000 UTC').value?.epochMs, new Date('0050-01-01T00:00:00Z').getTime());
  });
});

describe('timestamp helpers', () => {
  it('formats an instant as the IAP toolkit does', () => {
    assert.equal(formatIapTimestamp(Date.UTC(2019, 1, 8, 15, 12, 38, 600)), '2019-02-08 15:12:38.600 UTC');
    assert.equal(formatIapTimestamp(0), '1970-01-01 00:00:00.000 UTC');
  });

  it('knows leap years and month lengths', () => {
    assert.deepEqual([isLeapYear(2000), isLeapYear(1900), isLeapYear(2024), isLeapYear(2023)], [true, false, true, false]);
    assert.deepEqual([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(2023, 4), daysInMonth(2023, 12)], [29, 28, 30, 31]);
  });

  it('has a table of abbreviations with their offsets', () => {
    assert.equal(zoneAbbreviation('UTC')?.offsetMinutes, 0);
    assert.equal(zoneAbbreviation('BST')?.alsoMeans?.[0].name, 'Bangladesh Standard Time');
    assert.equal(zoneAbbreviation('CET')?.alsoMeans, undefined);
    assert.equal(zoneAbbreviation('utc'), undefined);
  });
});
