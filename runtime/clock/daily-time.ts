/**
 * SmartThings `schedule(dateTimeOrTime, handler)` repeats daily at the time-of-day part of its
 * argument, read in the location's time zone. This module turns the argument into a wall time and
 * finds the next instant that wall time occurs.
 */
import { addDays, assertTimeZone, localParts, localToInstant } from './time-zone';

export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

const ACCEPTED =
  'use "HH:mm" (e.g. "07:30"), "HH:mm:ss", an ISO date-time such as "2015-01-09T15:50:32.000-0600" or "2015-01-09T21:50:32Z", or epoch milliseconds';

function bad(input: unknown, why: string): never {
  throw new Error(`invalid time ${JSON.stringify(input)}: ${why}; ${ACCEPTED}`);
}

const CLOCK_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
// Offsets as SmartThings writes them (-0600) and as ISO does (-06:00), or Z; none means local time.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function checkClock(input: unknown, hour: number, minute: number, second: number): TimeOfDay {
  if (![hour, minute, second].every((n) => Number.isInteger(n) && n >= 0)) bad(input, 'hour, minute and second must be whole numbers');
  if (hour > 23) bad(input, `hour ${hour} is out of range 0-23`);
  if (minute > 59) bad(input, `minute ${minute} is out of range 0-59`);
  if (second > 59) bad(input, `second ${second} is out of range 0-59`);
  return { hour, minute, second };
}

/**
 * The wall time in `timeZone` that a SmartThings schedule argument stands for. A date-time with an
 * offset (or Z) is an instant, so its time of day is converted to the zone; one without an offset
 * is taken as already local.
 */
export function parseTimeOfDay(input: string | number, timeZone: string): TimeOfDay {
  assertTimeZone(timeZone);
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) bad(input, 'not a finite number');
    const p = localParts(input, timeZone);
    return { hour: p.hour, minute: p.minute, second: p.second };
  }
  if (typeof input !== 'string') bad(input, `a ${typeof input} is not a time`);
  const text = input.trim();
  const clock = CLOCK_TIME.exec(text);
  if (clock) return checkClock(input, Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0));
  const iso = ISO_DATE_TIME.exec(text);
  if (!iso) return bad(input, 'not a recognised format');
  const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  if (month < 1 || month > 12) bad(input, `month ${month} is out of range 1-12`);
  if (day < 1 || day > 31) bad(input, `day ${day} is out of range 1-31`);
  const tod = checkClock(input, Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0));
  const zone = iso[8];
  if (zone === undefined) return tod;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 18 || minutes > 59) bad(input, `offset ${zone} is out of range`);
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const instant = Date.UTC(year, month - 1, day, tod.hour, tod.minute, tod.second) - offsetMinutes * 60_000;
  const p = localParts(instant, timeZone);
  return { hour: p.hour, minute: p.minute, second: p.second };
}

/**
 * The next instant strictly after `afterMs` at which the zone's clocks show `tod`. Across DST the
 * wall time is kept, not the interval: a time inside a spring-forward gap fires the gap's length
 * later that day, and a time that occurs twice fires once, at the first occurrence.
 */
export function nextDailyTime(tod: TimeOfDay, afterMs: number, timeZone: string): number {
  assertTimeZone(timeZone);
  if (!Number.isFinite(afterMs)) throw new RangeError(`nextDailyTime() needs a finite epoch ms, got ${afterMs}`);
  checkClock(tod, tod.hour, tod.minute, tod.second);
  const today = localParts(afterMs, timeZone);
  // Today's occurrence may have passed; tomorrow's cannot have. The third day covers a gap-shifted
  // time that would otherwise land on or before afterMs.
  for (let days = 0; days < 3; days++) {
    const t = localToInstant({ ...addDays(today, days), ...tod }, timeZone);
    if (t > afterMs) return t;
  }
  throw new Error(`no ${tod.hour}:${tod.minute}:${tod.second} found after ${new Date(afterMs).toISOString()} in ${timeZone}`);
}
