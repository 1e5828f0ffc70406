/**
 * Durations ("10m", "1h30m", 5000) and points in time ("2024-01-01T18:00:00Z", "18:00", "sunset")
 * as scenario files write them. Parsing is pure; turning a local time into an instant needs the
 * location's time zone and happens in resolveTime.
 */
import { localParts, localToInstant } from '../clock/time-zone';
import { nextSunEvent } from '../clock/sun';
import type { LocationSpec } from '../engine/location';
import type { TimeSpec } from './types';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const DURATION_HELP = 'write a number of ms (5000) or a text like "90s", "10m", "1h30m", "500ms", "2d"';

/** Milliseconds, or an error message. */
export function parseDuration(value: unknown): { ms: number } | { error: string } {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return { ms: Math.round(value) };
    return { error: `a duration must be a non-negative number of ms; got ${value}` };
  }
  if (typeof value !== 'string') return { error: `a duration is a number of ms or a text like "10m"; got ${describe(value)}` };
  const text = value.trim();
  const token = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let end = 0;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    end = token.lastIndex;
  }
  if (text === '' || end !== text.length) {
    const hint = /^\d+(\.\d+)?$/.test(text) ? `; a bare number in quotes has no unit: write ${text} (ms) or "${text}s"` : '';
    return { error: `"${value}" is not a duration${hint}` };
  }
  return { ms: Math.round(total) };
}

/** "90000" ms → "1m30s", for step descriptions. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

export const TIME_HELP = 'write an ISO time ("2024-01-01T18:00:00Z", or without Z for the location\'s local time), a time of day ("18:30"), or "sunrise"/"sunset" with an optional offset ("sunset+30m")';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const SUN = /^(sunrise|sunset)(?:\s*([+-])\s*(.+))?$/;

/** Parses a point in time; `allowRelative` admits time-of-day and sun events (advanceTo, not start). */
export function parseTime(value: unknown, allowRelative: boolean): { spec: TimeSpec } | { error: string } {
  if (typeof value !== 'string') return { error: `a time is a text; got ${describe(value)}` };
  const text = value.trim();
  const iso = ISO.exec(text);
  if (iso) {
    const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(iso[i]));
    const second = iso[6] ? Number(iso[6]) : 0;
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
      return { error: `"${value}" is not a valid date and time` };
    }
    if (iso[8]) return { spec: { kind: 'instant', ms: Date.parse(text) } };
    if (iso[7]) return { error: `"${value}": a local time (without Z or an offset) cannot have milliseconds` };
    return { spec: { kind: 'local', year, month, day, hour, minute, second } };
  }
  if (allowRelative) {
    const tod = TIME_OF_DAY.exec(text);
    if (tod) {
      const [hour, minute, second] = [Number(tod[1]), Number(tod[2]), tod[3] ? Number(tod[3]) : 0];
      if (hour > 23 || minute > 59 || second > 59) return { error: `"${value}" is not a time of day` };
      return { spec: { kind: 'timeOfDay', hour, minute, second } };
    }
    const sun = SUN.exec(text);
    if (sun) {
      let offsetMs = 0;
      if (sun[2]) {
        const d = parseDuration(sun[3]);
        if ('error' in d) return { error: `"${value}": the offset ${d.error.replace(/^"[^"]*" /, '')}; write e.g. "sunset+30m" or "sunrise-1h"` };
        offsetMs = sun[2] === '-' ? -d.ms : d.ms;
      }
      return { spec: { kind: 'sun', event: sun[1] as 'sunrise' | 'sunset', offsetMs } };
    }
  }
  return { error: `"${value}" is not a time` };
}

/** The instant a time stands for at `now` in `location`; undefined for a sun event that never comes. */
export function resolveTime(spec: TimeSpec, now: number, location: LocationSpec): number | undefined {
  switch (spec.kind) {
    case 'instant':
      return spec.ms;
    case 'local':
      return localToInstant(spec, location.timeZone);
    case 'timeOfDay': {
      // The next time the clock shows it: today if still ahead (or now), else tomorrow.
      const today = localParts(now, location.timeZone);
      const at = localToInstant({ year: today.year, month: today.month, day: today.day, hour: spec.hour, minute: spec.minute, second: spec.second }, location.timeZone);
      if (at >= now) return at;
      const tomorrow = localParts(now + 86_400_000, location.timeZone);
      return localToInstant({ year: tomorrow.year, month: tomorrow.month, day: tomorrow.day, hour: spec.hour, minute: spec.minute, second: spec.second }, location.timeZone);
    }
    case 'sun':
      return nextSunEvent(spec.event, now, location.latitude, location.longitude, location.timeZone, spec.offsetMs);
  }
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? JSON.stringify(v) : `${typeof v} ${String(v)}`;
}
