/**
 * SmartThings-style (Quartz) cron schedules:
 *
 *   second minute hour day-of-month month day-of-week [year]
 *
 * Quartz differs from Unix cron in ways users trip over, so we parse and validate every field
 * ourselves (errors name the field and say how to fix it) and hand cron-parser only plain numeric
 * lists, which it turns into instants in a time zone (including DST). What cron-parser lacks or
 * reads differently is done here:
 * - day-of-week is 1-7 = SUN-SAT (cron-parser: 0-6 = SUN-SAT);
 * - `L`, `L-n`, `nW`, `LW` in day-of-month and `nL`, `n#k` in day-of-week resolve to one day per
 *   month, computed here month by month (cron-parser has no W or L-n, and mishandles L in lists);
 * - the optional year field filters cron-parser's results.
 *
 * Decisions:
 * - A schedule fires at most once a minute, so the second field must be one number.
 * - Day-of-month and day-of-week: at most one may restrict the day. `?` and `*` both mean "no
 *   restriction" in either field, so `0 0 12 * * MON` and `0 0 12 ? * ?` are accepted where
 *   Quartz would demand a `?`; restricting both (`0 0 12 15 * MON`) is an error, because Quartz
 *   rejects it and Unix cron would silently OR the two.
 * - Ranges may wrap (`22-2` hours, `FRI-MON`, `NOV-FEB`), except in the year field.
 * - `L`, `W` and `#` must stand alone in their field (Quartz gives unspecified results otherwise).
 * - DST (cron-parser's rules, matched by daily-time.ts): a time in a spring-forward gap fires the
 *   gap's length later (02:30 -> 03:30), unless that instant is already a fire time; a fixed time
 *   that occurs twice fires once, at the first occurrence, while an hour wildcard (`0 30 * ...`)
 *   keeps firing every real hour, through both copies of the repeated hour.
 */
import type { CronExpression, CronExpressionParser as CronExpressionParserType } from 'cron-parser';

// cron-parser (with luxon) takes ~18 ms to load: most of a worker's start-up. Load it the first time
// an app schedules with cron, not when the worker starts.
let parserModule: typeof CronExpressionParserType | undefined;
const CronExpressionParser = {
  parse(...args: Parameters<typeof CronExpressionParserType.parse>): CronExpression {
    parserModule ??= (require('cron-parser') as { CronExpressionParser: typeof CronExpressionParserType }).CronExpressionParser;
    return parserModule.parse(...args);
  },
};
import { assertTimeZone, daysInMonth, localParts, localToInstant, weekdayOf } from './time-zone';

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

export interface CronSchedule {
  readonly expression: string;
  /** Next fire time strictly after `afterMs`, or undefined if the schedule never fires again. */
  next(afterMs: number, timeZone: string): number | undefined;
}

interface FieldSpec {
  readonly position: number;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Three-letter names for min, min+1, ... */
  readonly names?: readonly string[];
  readonly fix: string;
}

const SECOND: FieldSpec = { position: 1, name: 'second', min: 0, max: 59, fix: 'use a single second value 0-59, e.g. 0' };
const MINUTE: FieldSpec = { position: 2, name: 'minute', min: 0, max: 59, fix: 'use 0-59, a list (0,30), a range (0-15) or a step (*/5)' };
const HOUR: FieldSpec = { position: 3, name: 'hour', min: 0, max: 23, fix: 'use 0-23, a list (8,20), a range (9-17) or a step (*/2)' };
const DAY_OF_MONTH: FieldSpec = { position: 4, name: 'day-of-month', min: 1, max: 31, fix: 'use 1-31, L or ?' };
const MONTH: FieldSpec = {
  position: 5,
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  fix: 'use 1-12 or JAN-DEC',
};
const DAY_OF_WEEK: FieldSpec = {
  position: 6,
  name: 'day-of-week',
  min: 1,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  fix: 'use 1-7 (1 = SUN ... 7 = SAT), SUN-SAT or ?',
};
const YEAR: FieldSpec = { position: 7, name: 'year', min: 1970, max: 2099, fix: 'use 1970-2099 or *' };

const FIELD_LIST = 'second minute hour day-of-month month day-of-week [year]';

/** A day rule that picks at most one day in each month. */
type MonthlyDay =
  | { kind: 'last-day'; before: number } // L, L-n
  | { kind: 'nearest-weekday'; day: number } // nW
  | { kind: 'last-weekday' } // LW
  | { kind: 'last-weekday-of'; weekday: number } // nL (weekday 0 = SUN)
  | { kind: 'nth-weekday'; weekday: number; nth: number }; // n#k

type DayField = { kind: 'any' } | { kind: 'set'; values: number[] } | { kind: 'monthly'; rule: MonthlyDay };

interface Fields {
  second: number;
  minutes: number[];
  hours: number[];
  dayOfMonth: DayField;
  months: number[];
  /** Quartz numbering, 1 = SUN. */
  dayOfWeek: DayField;
  /** Sorted; undefined for any year. */
  years: number[] | undefined;
}

function fail(spec: FieldSpec, text: string, problem: string, fix = spec.fix): never {
  throw new CronError(`cron field ${spec.position} (${spec.name}) "${text}" ${problem}; ${fix}`);
}

function parseValue(spec: FieldSpec, text: string, whole: string): number {
  let value: number;
  if (/^\d+$/.test(text)) {
    value = Number(text);
  } else {
    const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (index < 0) return text === '' ? fail(spec, whole, 'has an empty value') : fail(spec, text, 'is not a valid value');
    value = spec.min + index;
  }
  if (value < spec.min || value > spec.max) fail(spec, text, `is out of range ${spec.min}-${spec.max}`);
  return value;
}

/** Numbers, names, lists, ranges (wrapping past the maximum) and steps; `*` for the whole range. */
function parseSet(spec: FieldSpec, text: string): number[] {
  const span = spec.max - spec.min + 1;
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') fail(spec, text, 'has an empty list item');
    const slash = item.split('/');
    if (slash.length > 2) fail(spec, item, 'has more than one "/"');
    const [base, stepText] = slash;
    let step = 1;
    if (stepText !== undefined) {
      step = /^\d+$/.test(stepText) ? Number(stepText) : 0;
      if (step < 1 || step > span) fail(spec, item, `has step "${stepText}"`, `use a whole-number step 1-${span}, e.g. ${base}/2`);
    }
    let start: number;
    let end: number;
    if (base === '*') {
      start = spec.min;
      end = spec.max;
    } else {
      const dash = base.split('-');
      if (dash.length > 2) fail(spec, item, 'is not a value or range');
      start = parseValue(spec, dash[0], item);
      // Quartz: "5/15" runs from 5 to the end of the range.
      end = dash.length === 2 ? parseValue(spec, dash[1], item) : stepText !== undefined ? spec.max : start;
      if (end < start && spec === YEAR) fail(spec, item, 'has its start after its end', 'write the earlier year first, e.g. 2024-2026');
    }
    const distance = end >= start ? end - start : end - start + span;
    for (let k = 0; k * step <= distance; k++) values.add(spec.min + ((start - spec.min + k * step) % span));
  }
  return [...values].sort((a, b) => a - b);
}

function rejectQuestionMark(spec: FieldSpec, text: string): void {
  if (text.includes('?')) fail(spec, text, 'uses "?", which is only allowed in day-of-month or day-of-week', spec === SECOND ? spec.fix : 'use * instead');
}

function parseSecond(text: string): number {
  rejectQuestionMark(SECOND, text);
  const values = parseSet(SECOND, text);
  if (values.length > 1) fail(SECOND, text, 'would fire more than once a minute, which SmartThings schedules may not do');
  return values[0];
}

function parseDayOfMonth(text: string): DayField {
  if (text === '?' || text === '*') return { kind: 'any' };
  if (text.includes('?')) fail(DAY_OF_MONTH, text, 'uses "?" with other values', '"?" must stand alone');
  const upper = text.toUpperCase();
  if (/[LW]/.test(upper)) {
    if (/[,/]/.test(upper)) fail(DAY_OF_MONTH, text, 'combines L or W with a list or step', 'L, L-n, nW and LW must stand alone');
    if (upper === 'L') return { kind: 'monthly', rule: { kind: 'last-day', before: 0 } };
    if (upper === 'LW') return { kind: 'monthly', rule: { kind: 'last-weekday' } };
    const lastMinus = /^L-(\d+)$/.exec(upper);
    if (lastMinus) {
      const before = Number(lastMinus[1]);
      if (before > 30) fail(DAY_OF_MONTH, text, 'is out of range: L-n needs n 0-30', 'e.g. L-1 for the day before the last day');
      return { kind: 'monthly', rule: { kind: 'last-day', before } };
    }
    const weekday = /^(\d+)W$/.exec(upper);
    if (weekday) {
      const day = Number(weekday[1]);
      if (day < 1 || day > 31) fail(DAY_OF_MONTH, text, 'is out of range 1-31', 'nW needs a day 1-31, e.g. 15W for the weekday nearest the 15th');
      return { kind: 'monthly', rule: { kind: 'nearest-weekday', day } };
    }
    return fail(DAY_OF_MONTH, text, 'is not valid', 'use 1-31, L (last day), L-n (n days before the last), nW (weekday nearest day n), LW (last weekday) or ?');
  }
  return { kind: 'set', values: parseSet(DAY_OF_MONTH, text) };
}

function parseDayOfWeek(text: string): DayField {
  if (text === '?' || text === '*') return { kind: 'any' };
  if (text.includes('?')) fail(DAY_OF_WEEK, text, 'uses "?" with other values', '"?" must stand alone');
  const upper = text.toUpperCase();
  if (/[L#]/.test(upper)) {
    if (/[,/-]/.test(upper)) fail(DAY_OF_WEEK, text, 'combines L or # with a list, range or step', 'nL and n#k must stand alone, e.g. 6L or 2#1');
    // Quartz reads a lone L in day-of-week as 7, i.e. every Saturday.
    if (upper === 'L') return { kind: 'set', values: [7] };
    const last = /^(\w+)L$/.exec(upper);
    if (last) return { kind: 'monthly', rule: { kind: 'last-weekday-of', weekday: parseValue(DAY_OF_WEEK, last[1], text) - 1 } };
    const nth = /^(\w+)#(\d+)$/.exec(upper);
    if (nth) {
      const weekday = parseValue(DAY_OF_WEEK, nth[1], text) - 1;
      const n = Number(nth[2]);
      if (n < 1 || n > 5) fail(DAY_OF_WEEK, text, `asks for occurrence ${n} of the month`, 'n#k needs k 1-5, e.g. 2#1 for the first Monday');
      return { kind: 'monthly', rule: { kind: 'nth-weekday', weekday, nth: n } };
    }
    return fail(DAY_OF_WEEK, text, 'is not valid', 'use 1-7 (1 = SUN), SUN-SAT, nL (last such day of the month), n#k (k-th such day) or ?');
  }
  return { kind: 'set', values: parseSet(DAY_OF_WEEK, text) };
}

function parseYears(text: string): number[] | undefined {
  rejectQuestionMark(YEAR, text);
  if (text === '*') return undefined;
  return parseSet(YEAR, text);
}

/** Longest each month can be (February: 29). */
const MAX_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseFields(expression: string): Fields {
  if (typeof expression !== 'string') throw new CronError(`cron expression must be a string, got ${typeof expression}`);
  const parts = expression.trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 6 && parts.length !== 7) {
    const hint =
      parts.length === 5
        ? `; this looks like a 5-field Unix cron, add a seconds field in front: "0 ${parts.join(' ')}"`
        : '';
    throw new CronError(`cron expression "${expression}" has ${parts.length} fields; expected 6 or 7: ${FIELD_LIST}${hint}`);
  }
  for (const spec of [MINUTE, HOUR, MONTH]) rejectQuestionMark(spec, parts[spec.position - 1]);
  const fields: Fields = {
    second: parseSecond(parts[0]),
    minutes: parseSet(MINUTE, parts[1]),
    hours: parseSet(HOUR, parts[2]),
    dayOfMonth: parseDayOfMonth(parts[3]),
    months: parseSet(MONTH, parts[4]),
    dayOfWeek: parseDayOfWeek(parts[5]),
    years: parts.length === 7 ? parseYears(parts[6]) : undefined,
  };
  if (fields.dayOfMonth.kind !== 'any' && fields.dayOfWeek.kind !== 'any') {
    throw new CronError(
      `cron fields 4 (day-of-month) "${parts[3]}" and 6 (day-of-week) "${parts[5]}" are both specified; set one of them to ?, e.g. "${[...parts.slice(0, 3), '?', ...parts.slice(4)].join(' ')}"`,
    );
  }
  const longest = Math.max(...fields.months.map((m) => MAX_MONTH_DAYS[m - 1]));
  const dom = fields.dayOfMonth;
  const earliestDay = dom.kind === 'set' ? dom.values[0] : dom.kind === 'monthly' && dom.rule.kind === 'nearest-weekday' ? dom.rule.day : 1;
  if (earliestDay > longest) {
    fail(DAY_OF_MONTH, parts[3], `never occurs in month field "${parts[4]}" (at most ${longest} days)`, `use a day 1-${longest} or L for the last day`);
  }
  return fields;
}

/** The day of month (1-31) a monthly rule picks in this month, if any. */
function resolveMonthlyDay(rule: MonthlyDay, year: number, month: number): number | undefined {
  const length = daysInMonth(year, month);
  switch (rule.kind) {
    case 'last-day': {
      const day = length - rule.before;
      return day >= 1 ? day : undefined;
    }
    case 'nearest-weekday': {
      // Quartz never moves across a month boundary: 1W on a Saturday is Monday the 3rd.
      const day = rule.day;
      if (day > length) return undefined;
      const weekday = weekdayOf(year, month, day);
      if (weekday === 6) return day > 1 ? day - 1 : day + 2;
      if (weekday === 0) return day < length ? day + 1 : day - 2;
      return day;
    }
    case 'last-weekday': {
      const weekday = weekdayOf(year, month, length);
      return weekday === 6 ? length - 1 : weekday === 0 ? length - 2 : length;
    }
    case 'last-weekday-of':
      return length - ((weekdayOf(year, month, length) - rule.weekday + 7) % 7);
    case 'nth-weekday': {
      const first = 1 + ((rule.weekday - weekdayOf(year, month, 1) + 7) % 7);
      const day = first + 7 * (rule.nth - 1);
      return day <= length ? day : undefined;
    }
  }
}

function list(values: readonly number[], spec: FieldSpec): string {
  return values.length === spec.max - spec.min + 1 ? '*' : values.join(',');
}

/** Bounds the month-by-month search; Quartz years end at 2099 anyway. */
const MAX_MONTHS_SEARCHED = 12 * 200;
const MAX_CACHED_EXPRESSIONS = 64;

class QuartzSchedule implements CronSchedule {
  private readonly timeOfDay: string;
  private readonly monthly: MonthlyDay | undefined;
  private readonly plain: string;
  // Parsing is most of cron-parser's cost, and an expression is asked for its next time over and
  // over; reset() re-seeds a parsed one.
  private readonly cache = new Map<string, CronExpression>();

  constructor(
    readonly expression: string,
    private readonly fields: Fields,
  ) {
    this.timeOfDay = `${fields.second} ${list(fields.minutes, MINUTE)} ${list(fields.hours, HOUR)}`;
    const dom = fields.dayOfMonth;
    const dow = fields.dayOfWeek;
    this.monthly = dom.kind === 'monthly' ? dom.rule : dow.kind === 'monthly' ? dow.rule : undefined;
    const domText = dom.kind === 'set' ? dom.values.join(',') : '*';
    // cron-parser counts weekdays from 0 = SUN.
    const dowText = dow.kind === 'set' ? dow.values.map((v) => v - 1).join(',') : '*';
    this.plain = `${this.timeOfDay} ${domText} ${list(fields.months, MONTH)} ${dowText}`;
  }

  /** Our checks should leave nothing for cron-parser to reject; if they missed something, say so at parse time, not when the schedule first runs. */
  check(): void {
    const expr = this.monthly ? `${this.timeOfDay} * ${list(this.fields.months, MONTH)} *` : this.plain;
    try {
      CronExpressionParser.parse(expr, { strict: true });
    } catch (error) {
      throw new CronError(`cron expression "${this.expression}" is not valid: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  next(afterMs: number, timeZone: string): number | undefined {
    if (!Number.isFinite(afterMs)) throw new RangeError(`cron next() needs a finite epoch ms, got ${afterMs}`);
    assertTimeZone(timeZone);
    return this.monthly ? this.nextMonthly(this.monthly, afterMs, timeZone) : this.nextPlain(afterMs, timeZone);
  }

  private nextPlain(afterMs: number, timeZone: string): number | undefined {
    const years = this.fields.years;
    let cursor = afterMs;
    // Each pass either returns or jumps to a later listed year, so this ends.
    for (;;) {
      const t = this.cronParserNext(this.plain, cursor, timeZone);
      if (!years) return t;
      const year = localParts(t, timeZone).year;
      if (years.includes(year)) return t;
      const later = years.find((y) => y > year);
      if (later === undefined) return undefined;
      cursor = localToInstant({ year: later, month: 1, day: 1 }, timeZone) - 1;
    }
  }

  private nextMonthly(rule: MonthlyDay, afterMs: number, timeZone: string): number | undefined {
    const { months, years } = this.fields;
    const start = localParts(afterMs, timeZone);
    let year = start.year;
    let month = start.month;
    for (let i = 0; i < MAX_MONTHS_SEARCHED; i++) {
      if (years && year > years[years.length - 1]) return undefined;
      const day = months.includes(month) && (!years || years.includes(year)) ? resolveMonthlyDay(rule, year, month) : undefined;
      if (day !== undefined) {
        const from = Math.max(afterMs, localToInstant({ year, month, day: 1 }, timeZone) - 1);
        const t = this.cronParserNext(`${this.timeOfDay} ${day} ${month} *`, from, timeZone);
        const local = localParts(t, timeZone);
        if (local.year === year && local.month === month) return t;
      }
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
    return undefined;
  }

  private cronParserNext(expr: string, afterMs: number, timeZone: string): number {
    const key = `${timeZone} ${expr}`;
    let parsed = this.cache.get(key);
    if (!parsed) {
      if (this.cache.size >= MAX_CACHED_EXPRESSIONS) this.cache.clear();
      parsed = CronExpressionParser.parse(expr, { currentDate: afterMs, tz: timeZone });
      this.cache.set(key, parsed);
    } else {
      parsed.reset(new Date(afterMs));
    }
    return parsed.next().getTime();
  }
}

/** Parses and validates a Quartz cron expression; throws CronError saying which field is wrong and how to fix it. */
export function parseCron(expression: string): CronSchedule {
  const fields = parseFields(expression);
  const schedule = new QuartzSchedule(expression, fields);
  schedule.check();
  return schedule;
}
