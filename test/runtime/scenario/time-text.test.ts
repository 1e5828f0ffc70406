import assert from 'node:assert/strict';
import { DEFAULT_LOCATION } from '../../../runtime/engine/location';
import { formatDuration, parseDuration, parseTime, resolveTime } from '../../../runtime/scenario';

describe('scenario/time-text', () => {
  it('parses durations as text and as ms', () => {
    assert.deepEqual(parseDuration('10m'), { ms: 600_000 });
    assert.deepEqual(parseDuration('90s'), { ms: 90_000 });
    assert.deepEqual(parseDuration('1h30m'), { ms: 5_400_000 });
    assert.deepEqual(parseDuration('2d'), { ms: 172_800_000 });
    assert.deepEqual(parseDuration('1.5s'), { ms: 1500 });
    assert.deepEqual(parseDuration('500ms'), { ms: 500 });
    assert.deepEqual(parseDuration(' 1m30s '), { ms: 90_000 });
    assert.deepEqual(parseDuration(5000), { ms: 5000 });
    assert.deepEqual(parseDuration(0), { ms: 0 });
  });

  it('explains bad durations', () => {
    assert.deepEqual(parseDuration('10 minutes'), { error: '"10 minutes" is not a duration' });
    assert.deepEqual(parseDuration('90'), { error: '"90" is not a duration; a bare number in quotes has no unit: write 90 (ms) or "90s"' });
    assert.deepEqual(parseDuration(''), { error: '"" is not a duration' });
    assert.deepEqual(parseDuration(-1), { error: 'a duration must be a non-negative number of ms; got -1' });
    assert.deepEqual(parseDuration(true), { error: 'a duration is a number of ms or a text like "10m"; got boolean true' });
  });

  it('formats durations compactly', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(5_400_500), '1h30m500ms');
    assert.equal(formatDuration(86_400_000 + 1000), '1d1s');
  });

  it('parses instants, local times, times of day and sun events', () => {
    assert.deepEqual(parseTime('2024-01-01T18:00:00Z', false), { spec: { kind: 'instant', ms: Date.parse('2024-01-01T18:00:00Z') } });
    assert.deepEqual(parseTime('2024-01-01T18:00:00.250+01:00', false), { spec: { kind: 'instant', ms: Date.parse('2024-01-01T17:00:00.250Z') } });
    assert.deepEqual(parseTime('2024-07-01T18:30', false), { spec: { kind: 'local', year: 2024, month: 7, day: 1, hour: 18, minute: 30, second: 0 } });
    assert.deepEqual(parseTime('07:15', true), { spec: { kind: 'timeOfDay', hour: 7, minute: 15, second: 0 } });
    assert.deepEqual(parseTime('sunrise', true), { spec: { kind: 'sun', event: 'sunrise', offsetMs: 0 } });
    assert.deepEqual(parseTime('sunset-30m', true), { spec: { kind: 'sun', event: 'sunset', offsetMs: -1_800_000 } });
    assert.deepEqual(parseTime('sunset + 1h', true), { spec: { kind: 'sun', event: 'sunset', offsetMs: 3_600_000 } });
  });

  it('rejects what is not a time, and relative times where only a date-time fits', () => {
    assert.deepEqual(parseTime('18:00', false), { error: '"18:00" is not a time' });
    assert.deepEqual(parseTime('sunset', false), { error: '"sunset" is not a time' });
    assert.deepEqual(parseTime('2024-13-01T00:00:00Z', true), { error: '"2024-13-01T00:00:00Z" is not a valid date and time' });
    assert.deepEqual(parseTime('25:00', true), { error: '"25:00" is not a time of day' });
    assert.deepEqual(parseTime('2024-01-01T10:00:00.5', true), { error: '"2024-01-01T10:00:00.5": a local time (without Z or an offset) cannot have milliseconds' });
    assert.deepEqual(parseTime(12, true), { error: 'a time is a text; got number 12' });
  });

  it('resolves times in the location\'s time zone', () => {
    const stockholm = { ...DEFAULT_LOCATION, timeZone: 'Europe/Stockholm', latitude: 59.33, longitude: 18.07 };
    const now = Date.parse('2024-06-01T10:00:00Z'); // 12:00 in Stockholm (CEST)
    const local = parseTime('2024-06-01T18:00', true);
    assert.ok('spec' in local);
    assert.equal(resolveTime(local.spec, now, stockholm), Date.parse('2024-06-01T16:00:00Z'));
    const later = parseTime('13:00', true);
    const earlier = parseTime('11:00', true);
    assert.ok('spec' in later && 'spec' in earlier);
    assert.equal(resolveTime(later.spec, now, stockholm), Date.parse('2024-06-01T11:00:00Z'));
    assert.equal(resolveTime(earlier.spec, now, stockholm), Date.parse('2024-06-02T09:00:00Z'), 'a time already past today is tomorrow');
    const sunset = parseTime('sunset+10m', true);
    assert.ok('spec' in sunset);
    const at = resolveTime(sunset.spec, now, stockholm)!;
    // Stockholm's sunset on 1 June is at about 21:50 local (19:50 UTC).
    assert.ok(at > Date.parse('2024-06-01T19:40:00Z') && at < Date.parse('2024-06-01T20:10:00Z'), new Date(at).toISOString());
  });
});
