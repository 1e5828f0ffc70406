/**
 * IAP timestamps: `YYYY-MM-DD HH:mm:ss.SSS <zone>` (protocol facts §1.4, the switchover of seed
 * 002, "Load Action and Manifest Properties"). The zone is UTC, what the IAP toolkit writes, or a
 * local abbreviation such as BST (the seed's example). Decisions, since the documents show only the
 * full form: - milliseconds missing (`12:00:00 UTC`): accepted with a warning, the time is
 * unambiguous; - zone missing: accepted with a warning, since it is unclear whose local time is
 * meant; - anything else (ISO 8601 `T`/`Z`, one-digit fields, numeric offsets): an error, whose fix
 * spells the timestamp in IAP form where it can. Every problem names the field and its exact range,
 * so an editor underlines "13" in a month.
 */
import { formatOffset, zoneAbbreviation, type ZoneAbbreviation } from './zone-abbreviations';

export type TimestampField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'zone' | 'separator' | 'end';

export type TimestampProblemCode =
  /** Not in the IAP form (wrong separators, digits, ISO 8601 …): error. */
  | 'format'
  /** A field out of its range (month 13, 30 February, hour 24 …): error. */
  | 'range'
  /** Milliseconds missing: warning. */
  | 'precision'
  /** Zone missing, not in capitals, unknown, or ambiguous (info). */
  | 'zone';

export interface TimestampProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: TimestampProblemCode;
  readonly field: TimestampField;
  readonly index: number;
  readonly length: number;
  readonly message: string;
  readonly fix: string;
  /** Text that fixes it when it replaces [index, index + length), when there is one. */
  readonly replacement?: string;
}

export interface IapTimestamp {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** The zone as written; undefined when there is none. */
  readonly zone?: string;
  /** The zone's offset from UTC in minutes, when the zone is known (for an ambiguous one, the assumed meaning). */
  readonly offsetMinutes?: number;
  /** The instant, when the offset is known. */
  readonly epochMs?: number;
}

export interface TimestampParse {
  /** Undefined when some problem is an error. */
  readonly value?: IapTimestamp;
  readonly problems: readonly TimestampProblem[];
}

const FIELD_RANGES = {
  month: [1, 12],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 59],
} as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2019-02-08 15:12:38.600 UTC`, the form the IAP toolkit writes. */
export function formatIapTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)} UTC`;
}

/** Date.UTC reads years 0-99 as 1900-1999; a four-digit IAP year is meant literally. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

class Fail extends Error {
  constructor(readonly problem: TimestampProblem) {
    super(problem.message);
  }
}

const FORM = 'write YYYY-MM-DD HH:mm:ss.SSS UTC, e.g. 2016-09-28 12:00:00.000 UTC';

/** ISO 8601 with a T and Z or an offset: the most likely mistake, and convertible exactly. */
function isoRewrite(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|z|[+-]\d{2}:?\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4].toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : formatIapTimestamp(ms);
}

class Scanner {
  i = 0;
  readonly problems: TimestampProblem[] = [];
  constructor(readonly text: string) {}

  fail(field: TimestampField, index: number, length: number, message: string, fix = FORM, code: TimestampProblemCode = 'format', replacement?: string): never {
    throw new Fail({ severity: 'error', code, field, index, length, message, fix, ...(replacement !== undefined ? { replacement } : {}) });
  }

  /** A field of exactly `width` digits. */
  digits(field: TimestampField, width: number, example: string): { value: number; index: number } {
    const start = this.i;
    let j = start;
    while (j < this.text.length && this.text[j] >= '0' && this.text[j] <= '9') j++;
    const run = this.text.slice(start, j);
    if (run.length === 0) {
      const found = start < this.text.length ? `found ${JSON.stringify(this.text[start])}` : 'the timestamp ends here';
      this.fail(field, start, start < this.text.length ? 1 : 0, `expected the ${field} (${width} digits, e.g. ${example}); ${found}`);
    }
    if (run.length !== width) {
      // "9" is surely "09"; a two-digit year is not surely "0016", so no fix is offered for it.
      const padded = run.length < width && field !== 'year' ? run.padStart(width, '0') : undefined;
      this.fail(field, start, run.length, `the ${field} must be ${width} digits; found ${JSON.stringify(run)}`, padded ? `write ${padded}` : FORM, 'format', padded);
    }
    this.i = j;
    return { value: Number(run), index: start };
  }

  separator(ch: string, after: string): void {
    const c = this.text[this.i];
    if (c === ch) {
      this.i++;
      return;
    }
    const found = c === undefined ? 'the timestamp ends here' : `found ${JSON.stringify(c)}`;
    const what = ch === ' ' ? 'a space' : JSON.stringify(ch);
    this.fail('separator', this.i, c === undefined ? 0 : 1, `expected ${what} after the ${after}; ${found}`, `write ${what} here (YYYY-MM-DD HH:mm:ss.SSS UTC)`, 'format', c !== undefined && !/[0-9A-Za-z]/.test(c) ? ch : undefined);
  }

  range(field: keyof typeof FIELD_RANGES, at: { value: number; index: number }): void {
    const [lo, hi] = FIELD_RANGES[field];
    if (at.value < lo || at.value > hi) this.fail(field, at.index, 2, `${field} ${String(at.value).padStart(2, '0')} is out of range (${String(lo).padStart(2, '0')}-${hi})`, `write ${field === 'hour' ? 'an' : 'a'} ${field} from ${String(lo).padStart(2, '0')} to ${hi}`, 'range');
  }
}

/** Parses an IAP timestamp; `value` is set when there is no error. */
export function parseIapTimestamp(text: string): TimestampParse {
  const s = new Scanner(text);
  try {
    const iso = isoRewrite(text);
    if (iso) s.fail('separator', 0, text.length, 'this is an ISO 8601 timestamp; IAP timestamps are "YYYY-MM-DD HH:mm:ss.SSS UTC"', `write ${iso}`, 'format', iso);
    const year = s.digits('year', 4, '2016');
    s.separator('-', 'year');
    const month = s.digits('month', 2, '09');
    s.range('month', month);
    s.separator('-', 'month');
    const day = s.digits('day', 2, '28');
    const dim = daysInMonth(year.value, month.value);
    if (day.value < 1 || day.value > dim) {
      const why = month.value === 2 && day.value === 29 ? `${year.value} is not a leap year` : `${MONTH_NAMES[month.value - 1]} has ${dim} days`;
      s.fail('day', day.index, 2, `day ${String(day.value).padStart(2, '0')} is out of range: ${why}`, `write a day from 01 to ${dim}`, 'range');
    }
    if (text[s.i] === 'T' || text[s.i] === 't') s.fail('separator', s.i, 1, 'IAP timestamps separate date and time with a space, not T (ISO 8601)', FORM, 'format', ' ');
    s.separator(' ', 'date');
    const hour = s.digits('hour', 2, '12');
    s.range('hour', hour);
    s.separator(':', 'hour');
    const minute = s.digits('minute', 2, '00');
    s.range('minute', minute);
    s.separator(':', 'minute');
    const second = s.digits('second', 2, '00');
    s.range('second', second);
    let millisecond = 0;
    if (text[s.i] === '.') {
      s.i++;
      const start = s.i;
      let j = start;
      while (j < text.length && text[j] >= '0' && text[j] <= '9') j++;
      const run = text.slice(start, j);
      if (run.length !== 3) {
        const fixed = run.length === 0 ? '000' : run.length < 3 ? run.padEnd(3, '0') : undefined;
        s.fail('millisecond', start, run.length, `the milliseconds must be 3 digits; found ${run.length === 0 ? 'none' : JSON.stringify(run)}`, fixed ? `write ${fixed}` : 'write the milliseconds with 3 digits, e.g. .000', 'format', fixed);
      }
      millisecond = Number(run);
      s.i = j;
    } else {
      s.problems.push({ severity: 'warning', code: 'precision', field: 'millisecond', index: s.i, length: 0, message: 'the milliseconds are missing; IAP timestamps are written "HH:mm:ss.SSS"', fix: 'add .000 after the seconds', replacement: '.000' });
    }
    const zone = readZone(s);
    const base = utcMs(year.value, month.value, day.value, hour.value, minute.value, second.value, millisecond);
    const offsetMinutes = zone?.offsetMinutes;
    const value: IapTimestamp = {
      year: year.value,
      month: month.value,
      day: day.value,
      hour: hour.value,
      minute: minute.value,
      second: second.value,
      millisecond,
      ...(zone ? { zone: zone.written } : {}),
      ...(offsetMinutes !== undefined ? { offsetMinutes, epochMs: base - offsetMinutes * 60_000 } : {}),
    };
    return { value, problems: s.problems };
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { problems: [...s.problems, e.problem] };
  }
}

function readZone(s: Scanner): { written: string; offsetMinutes?: number } | undefined {
  const text = s.text;
  if (s.i === text.length) {
    s.problems.push({ severity: 'warning', code: 'zone', field: 'zone', index: s.i, length: 0, message: 'the time zone is missing, so it is unclear whose local time this is', fix: 'add " UTC" (or the local zone abbreviation, e.g. " BST")', replacement: ' UTC' });
    return undefined;
  }
  s.separator(' ', 'time');
  const start = s.i;
  const written = text.slice(start);
  if (!/^[A-Za-z]{2,5}$/.test(written)) {
    const offset = /^(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?$/i.test(written);
    s.fail('zone', start, written.length, offset ? `numeric offsets such as ${JSON.stringify(written)} are not used in IAP timestamps` : `expected a time-zone abbreviation such as UTC; found ${JSON.stringify(written)}`, 'write UTC (converting the time), or a zone abbreviation such as CET', 'format');
  }
  const upper = written.toUpperCase();
  const known = zoneAbbreviation(upper);
  if (written !== upper) {
    s.problems.push({ severity: 'warning', code: 'zone', field: 'zone', index: start, length: written.length, message: `time-zone abbreviations are written in capitals: ${upper}`, fix: `write ${upper}`, replacement: upper });
  }
  if (!known) {
    s.problems.push({ severity: 'warning', code: 'zone', field: 'zone', index: start, length: written.length, message: `unknown time-zone abbreviation ${JSON.stringify(written)}: the edge server may not recognise it, and its offset is unknown here`, fix: 'write the time in UTC' });
    return { written };
  }
  if (known.alsoMeans) s.problems.push(ambiguity(known, start, written.length));
  return { written, offsetMinutes: known.offsetMinutes };
}

function ambiguity(z: ZoneAbbreviation, index: number, length: number): TimestampProblem {
  const others = (z.alsoMeans ?? []).map((m) => `${m.name} (${formatOffset(m.offsetMinutes)})`).join(', ');
  return {
    severity: 'info',
    code: 'zone',
    field: 'zone',
    index,
    length,
    message: `${z.abbreviation} is ambiguous: read as ${z.name} (${formatOffset(z.offsetMinutes)}), but it also means ${others}`,
    fix: 'write the time in UTC to be unambiguous',
  };
}
