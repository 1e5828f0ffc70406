/**
 * Wall-clock arithmetic in IANA time zones, built only on Intl so the runtime needs no tz database
 * of its own. Cron, daily schedules and sun times all need "what local day/time is this instant"
 * and "which instant is this local time", and they must agree on how DST gaps and overlaps resolve.
 */

export interface CalendarDay {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
}

export interface LocalParts extends CalendarDay {
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

export interface LocalDateTime extends CalendarDay {
  hour?: number;
  minute?: number;
  second?: number;
}

const DAY_MS = 86_400_000;

// Building a DateTimeFormat is far more expensive than using one, and the same few zones are
// asked about over and over.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * True for names Intl knows as zones (e.g. `Europe/Stockholm`, `UTC`). Offset strings such as
 * `+01:00` are rejected even where the engine accepts them: a location's zone must follow DST.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws an Error that says what a valid zone looks like. */
export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new Error(
      `unknown time zone ${JSON.stringify(timeZone)}; use an IANA time zone name such as "Europe/Stockholm", "America/New_York" or "UTC"`,
    );
  }
}

/** The local calendar date and wall time of an instant in a zone (seconds precision). */
export function localParts(ms: number, timeZone: string): LocalParts {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value);
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  // Intl counts BC years from 1 without a year zero; proleptic ISO years (what Date.UTC uses) do.
  if (bc) year = 1 - year;
  return { year, month, day, hour, minute, second, weekday: weekdayOf(year, month, day) };
}

/** Milliseconds to add to UTC to get local wall time at this instant (e.g. +3_600_000 for CET). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wall = utcOf(p.year, p.month, p.day, p.hour, p.minute, p.second);
  // Intl drops milliseconds, so compare against the instant truncated to the second.
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks show this local date and time. Out-of-range parts roll
 * over like Date.UTC (day 32 is the 1st of the next month).
 *
 * DST: a wall time that occurs twice (clocks fall back) resolves to the first occurrence; one that
 * never occurs (clocks spring forward) is read with the offset in force before the change, which
 * lands the length of the gap later (02:30 in a 02:00->03:00 gap becomes 03:30). cron-parser
 * resolves gaps and overlaps the same way, so every schedule kind behaves alike.
 */
export function localToInstant(t: LocalDateTime, timeZone: string): number {
  const wall = utcOf(t.year, t.month, t.day, t.hour ?? 0, t.minute ?? 0, t.second ?? 0);
  // Zone transitions are never closer than a few weeks apart, so the offsets a day either side
  // are the only two that can apply to this wall time.
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  const candidates: number[] = [];
  for (const off of before === after ? [before] : [before, after]) {
    const instant = wall - off;
    if (zoneOffsetMs(instant, timeZone) === off) candidates.push(instant);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

/** The calendar day `days` after (or before, if negative) the given one. */
export function addDays(d: CalendarDay, days: number): CalendarDay {
  const u = new Date(utcOf(d.year, d.month, d.day + days, 0, 0, 0));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utcOf(year, month + 1, 0, 0, 0, 0)).getUTCDate();
}

/** 0 = Sunday ... 6 = Saturday, for a proleptic Gregorian date. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(utcOf(year, month, day, 0, 0, 0)).getUTCDay();
}

// Date.UTC maps years 0-99 onto 1900-1999; shifting by one 400-year Gregorian cycle (exactly
// 146097 days) sidesteps that without changing weekdays or leap years.
function utcOf(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (year >= 0 && year < 100) return Date.UTC(year + 400, month - 1, day, hour, minute, second) - 146_097 * DAY_MS;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
