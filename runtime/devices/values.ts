/**
 * Checking values against AttributeSpec and ParamSpec. Kept apart from SimDevice so the devices
 * file can check initial values with exactly the rules a live device applies to reports.
 * Messages name the attribute or parameter but not the device; callers add that context.
 */
import { didYouMean } from '../suggest';
import type { AttrValue, AttributeSpec, CommandSpec, ParamSpec } from './types';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; fix?: string };

const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A finite number, or a string that spells one (apps and event files often pass "21.5"). */
export function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && NUMERIC.test(raw)) return Number(raw);
  return undefined;
}

/** A value as it should appear in a message: strings quoted, objects as JSON, bounded in length. */
export function describeValue(raw: unknown): string {
  if (raw === undefined) return 'nothing';
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return String(raw);
  if (typeof raw === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function rangeText(min: number | undefined, max: number | undefined, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}${u}`;
  if (min !== undefined) return `at least ${min}${u}`;
  return `at most ${max}${u}`;
}

function checkNumber(
  name: string,
  raw: unknown,
  min: number | undefined,
  max: number | undefined,
  unit?: string,
): Checked<number> {
  const n = toNumber(raw);
  if (n === undefined) {
    return { ok: false, message: `${name} must be a number, got ${describeValue(raw)}` };
  }
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    return {
      ok: false,
      message: `${name} must be ${rangeText(min, max, unit)}, got ${n}`,
      fix: `Use a value ${rangeText(min, max, unit)}.`,
    };
  }
  return { ok: true, value: n };
}

function checkEnum(name: string, raw: unknown, values: readonly string[]): Checked<string> {
  if (typeof raw === 'string' && values.includes(raw)) return { ok: true, value: raw };
  const hint = typeof raw === 'string' ? didYouMean(raw, values) : '';
  return {
    ok: false,
    message: `${describeValue(raw)} is not a valid value for ${name}; allowed: ${quoteList(values)}${hint}`,
    fix: `Use one of ${quoteList(values)}.`,
  };
}

/** Checks (and converts: numeric strings to numbers, "true" to true) a value for an attribute. */
export function checkAttributeValue(attr: AttributeSpec, raw: unknown): Checked<AttrValue> {
  const name = attr.name;
  if (raw === undefined || raw === null) {
    return { ok: false, message: `${name} needs a value, got ${describeValue(raw)}` };
  }
  switch (attr.kind) {
    case 'enum':
      return checkEnum(name, raw, attr.values ?? []);
    case 'number':
      return checkNumber(name, raw, attr.min, attr.max, attr.unit);
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return { ok: false, message: `${name} must be true or false, got ${describeValue(raw)}` };
    case 'string':
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { ok: true, value: String(raw) };
      return { ok: false, message: `${name} must be a string, got ${describeValue(raw)}` };
    case 'json':
      // Stored as JSON text because AttrValue is a scalar; apps parse it as SmartThings apps do.
      if (typeof raw === 'string') return { ok: true, value: raw };
      try {
        return { ok: true, value: JSON.stringify(raw) };
      } catch {
        return { ok: false, message: `${name} must be JSON-serialisable, got ${describeValue(raw)}` };
      }
  }
}

/** Checks (and converts) one command argument; `name` is how the message refers to it. */
export function checkArgument(param: ParamSpec, raw: unknown, name = `argument '${param.name}'`): Checked<unknown> {
  switch (param.kind) {
    case 'number':
      return checkNumber(name, raw, param.min, param.max);
    case 'enum':
      return checkEnum(name, raw, param.values ?? []);
    case 'string':
      if (typeof raw === 'string') return { ok: true, value: raw };
      return { ok: false, message: `${name} must be a string, got ${describeValue(raw)}` };
    case 'object':
      return checkObject(param, raw, name);
  }
}

function checkObject(param: ParamSpec, raw: unknown, name: string): Checked<unknown> {
  const fields = param.fields ?? [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, message: `${name} must be a map like ${formatParamType(param)}, got ${describeValue(raw)}` };
  }
  const input = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const known = fields.map((f) => f.name);
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      return {
        ok: false,
        message: `${name} has unknown key '${key}'${didYouMean(key, known)}; expected ${formatParamType(param)}`,
      };
    }
  }
  for (const field of fields) {
    const value = input[field.name];
    if (value === undefined) {
      if (field.optional) continue;
      return { ok: false, message: `${name} needs key '${field.name}'; expected ${formatParamType(param)}` };
    }
    const checked = checkArgument(field, value, `${name} key '${field.name}'`);
    if (!checked.ok) return checked;
    out[field.name] = checked.value;
  }
  return { ok: true, value: out };
}

function formatParamType(p: ParamSpec): string {
  switch (p.kind) {
    case 'number':
      return p.min === undefined && p.max === undefined ? 'number' : `number ${numberRange(p)}`;
    case 'enum':
      return (p.values ?? []).map((v) => JSON.stringify(v)).join(' | ');
    case 'string':
      return 'string';
    case 'object':
      return `{${(p.fields ?? []).map(formatParam).join(', ')}}`;
  }
}

function numberRange(p: ParamSpec): string {
  if (p.min !== undefined && p.max !== undefined) return `${p.min}..${p.max}`;
  if (p.min !== undefined) return `>= ${p.min}`;
  return `<= ${p.max}`;
}

export function formatParam(p: ParamSpec): string {
  return `${p.name}${p.optional ? '?' : ''}: ${formatParamType(p)}`;
}

/** `setLevel(level: number 0..100, rate?: number >= 0)`: how messages and hovers show a command. */
export function formatSignature(command: CommandSpec): string {
  return `${command.name}(${command.params.map(formatParam).join(', ')})`;
}
