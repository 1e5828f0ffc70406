/**
 * Sunrise and sunset for a location, by local calendar day, for SmartThings-style sun schedules
 * with an offset (e.g. 30 minutes before sunset).
 */
import type { getTimes as GetTimes } from 'suncalc' with { 'resolution-mode': 'import' };
import { CalendarDay, addDays, assertTimeZone, localParts, localToInstant } from './time-zone';

// suncalc 2 is an ES module that also ships a CommonJS build; its types are ESM-only, so a static
// import from this CommonJS file fails to type-check. Types come from the ESM declaration, the
// code from the CommonJS build its package.json maps `require` to.
const { getTimes }: { getTimes: typeof GetTimes } = require('suncalc');

export type SunEventKind = 'sunrise' | 'sunset';

export interface SunTimes {
  /** undefined when the sun does not rise that day (polar night, or polar day: it never set). */
  sunrise: number | undefined;
  sunset: number | undefined;
}

const DAY_MS = 86_400_000;
/** A year and a day: long enough to leave any polar night or polar day. */
const SEARCH_DAYS = 366;

function checkLocation(latitude: number, longitude: number): void {
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
    throw new RangeError(`latitude ${latitude} is out of range; use -90 to 90 (degrees north)`);
  }
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw new RangeError(`longitude ${longitude} is out of range; use -180 to 180 (degrees east)`);
  }
}

function timesOnDay(date: CalendarDay, latitude: number, longitude: number, timeZone: string): SunTimes {
  // Copy only the date: callers may pass LocalParts, whose hour would shift the day's start.
  const day: CalendarDay = { year: date.year, month: date.month, day: date.day };
  const start = localToInstant(day, timeZone);
  const end = localToInstant(addDays(day, 1), timeZone);
  const noon = localToInstant({ ...day, hour: 12 }, timeZone);
  // suncalc answers for the solar day nearest the instant given, which need not be the local
  // calendar day (zones far from their meridian); ask around it and keep what falls inside the day.
  const result: SunTimes = { sunrise: undefined, sunset: undefined };
  for (const at of [noon - DAY_MS, noon, noon + DAY_MS]) {
    const times = getTimes(new Date(at), latitude, longitude);
    for (const kind of ['sunrise', 'sunset'] as const) {
      // suncalc gives null (or, in older versions, an Invalid Date) when there is no such event;
      // NaN fails both comparisons below.
      const t = times[kind]?.getTime() ?? NaN;
      if (t >= start && t < end) {
        const seen = result[kind];
        if (seen === undefined || t < seen) result[kind] = t;
      }
    }
  }
  return result;
}

/** Sunrise and sunset on the local calendar day (in `timeZone`) that contains `dayMs`. */
export function sunTimes(dayMs: number, latitude: number, longitude: number, timeZone: string): SunTimes {
  assertTimeZone(timeZone);
  checkLocation(latitude, longitude);
  if (!Number.isFinite(dayMs)) throw new RangeError(`sunTimes() needs a finite epoch ms, got ${dayMs}`);
  return timesOnDay(localParts(dayMs, timeZone), latitude, longitude, timeZone);
}

/**
 * The first sunrise or sunset, shifted by `offsetMs`, that is strictly after `afterMs`, searching a
 * year and a day ahead so the end of a polar night or day is found; undefined if there is none.
 */
export function nextSunEvent(
  kind: SunEventKind,
  afterMs: number,
  latitude: number,
  longitude: number,
  timeZone: string,
  offsetMs = 0,
): number | undefined {
  assertTimeZone(timeZone);
  checkLocation(latitude, longitude);
  if (!Number.isFinite(afterMs)) throw new RangeError(`nextSunEvent() needs a finite epoch ms, got ${afterMs}`);
  if (!Number.isFinite(offsetMs)) throw new RangeError(`sun event offset must be a finite number of ms, got ${offsetMs}`);
  // Start a day early: with a positive offset, yesterday's event can still be ahead of afterMs.
  const first = addDays(localParts(afterMs - offsetMs, timeZone), -1);
  for (let i = 0; i <= SEARCH_DAYS + 1; i++) {
    const t = timesOnDay(addDays(first, i), latitude, longitude, timeZone)[kind];
    if (t !== undefined && t + offsetMs > afterMs) return t + offsetMs;
  }
  return undefined;
}

/**
 * A SmartThings sun-event offset: "HH:mm" with an optional sign ("-00:30" is 30 minutes before)
 * or a number of minutes. Returns milliseconds.
 */
export function parseOffset(offset: string | number): number {
  if (typeof offset === 'number') {
    if (!Number.isFinite(offset)) throw new Error(`invalid sun offset ${offset}; use minutes (e.g. -30) or "HH:mm" (e.g. "-00:30")`);
    return Math.round(offset * 60_000);
  }
  const m = typeof offset === 'string' ? /^\s*([+-])?(\d{1,2}):(\d{2})\s*$/.exec(offset) : null;
  if (!m || Number(m[3]) > 59) {
    throw new Error(`invalid sun offset ${JSON.stringify(offset)}; use "HH:mm" with an optional sign (e.g. "-00:30", "01:15") or a number of minutes`);
  }
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return (m[1] === '-' ? -minutes : minutes) * 60_000;
}
