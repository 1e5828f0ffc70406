/**
 * The config object of seed 003 ("The app.json file") as the runtime uses it: defaults filled in
 * for absent inputs, and selector values tagged so the sandbox can turn ids into live functions and
 * devices. Checking lives in check-config.ts and instance files in instance-file.ts; both are
 * re-exported.
 */
import type { AppJson, InputSpec, JsonValue } from './app-json-types';
import { idFromKey, isId } from './check-selectors';
import type { SettingsDescriptor } from './config-types';
import { defaultConfigValue, isMultiSelector, selectorKind, topLevelInputNames } from './input-rules';

export { checkConfig } from './check-config';
export { parseInstanceFile } from './instance-file';
export type { InstanceFile } from './instance-file';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function membersOf(appJson: AppJson, names: readonly string[]): string[] {
  return names.filter((n) => appJson.input[n] !== undefined);
}

/**
 * A copy of `config` in which every input that is absent (or null, what a form sends for an
 * empty field) and has a default gets it, in repeat entries too. The argument is not changed.
 */
export function applyDefaults(appJson: AppJson, config: Record<string, unknown>): Record<string, unknown> {
  return fill(appJson, topLevelInputNames(appJson), config);
}

function fill(appJson: AppJson, names: readonly string[], obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj };
  for (const name of names) {
    const input = appJson.input[name];
    if (!input) continue;
    const value = out[name];
    if (value === undefined || value === null) {
      const d = defaultConfigValue(input);
      if (d !== undefined) out[name] = d;
    } else if (input.type === 'repeat' && Array.isArray(value)) {
      const members = membersOf(appJson, input.input_fields);
      out[name] = value.map((entry: unknown) => (isPlainObject(entry) ? fill(appJson, members, entry) : entry));
    }
  }
  return out;
}

/**
 * A JSON-only copy of a checked config for the sandbox: function selectors become
 * `{ "$function": id }` (with a value: `{ "$function": id, "value": v }`), device selectors
 * `{ "$device": id }` likewise, notification outputs `{ "$notification": id }`; multi selectors
 * arrays of those; repeats entry by entry; other inputs as they are. A value whose shape does
 * not fit its input (checkConfig reports those) and keys that are no input are copied untagged.
 * Ids written as object keys are strings in JSON; one that spells a number becomes that number,
 * so `{ "4456": 255 }` and `4456` name the same function.
 */
export function resolveSettings(appJson: AppJson, config: Record<string, unknown>): SettingsDescriptor {
  return resolveEntries(appJson, topLevelInputNames(appJson), config);
}

function resolveEntries(appJson: AppJson, names: readonly string[], obj: Record<string, unknown>): SettingsDescriptor {
  const allowed = new Set(names);
  const out: SettingsDescriptor = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    const input = allowed.has(key) ? appJson.input[key] : undefined;
    out[key] = input ? resolveValue(appJson, input, value) : toJson(value);
  }
  return out;
}

function resolveValue(appJson: AppJson, input: InputSpec, value: unknown): JsonValue {
  if (input.type === 'repeat') {
    if (!Array.isArray(value)) return toJson(value);
    const members = membersOf(appJson, input.input_fields);
    return value.map((entry: unknown) => (isPlainObject(entry) ? resolveEntries(appJson, members, entry) : toJson(entry)));
  }
  const kind = selectorKind(input.type);
  if (!kind || value === null) return toJson(value);
  const tag = kind === 'function' ? '$function' : kind === 'device' ? '$device' : '$notification';
  const ref = (id: string | number, v?: unknown): JsonValue => (v === undefined ? { [tag]: id } : { [tag]: id, value: toJson(v) });
  const multi = isMultiSelector(input.type);
  if ('value' in input && input.value === true) {
    if (!isPlainObject(value)) return toJson(value);
    const refs = Object.entries(value).map(([k, v]) => ref(idFromKey(k), v));
    if (multi) return refs;
    return refs.length === 1 ? refs[0] : refs.length === 0 ? null : toJson(value);
  }
  if (multi) return Array.isArray(value) ? value.map((id: unknown) => (isId(id) ? ref(id) : toJson(id))) : toJson(value);
  return isId(value) ? ref(value) : toJson(value);
}

/** Drops what JSON cannot carry (undefined, functions) the way JSON.stringify does. */
function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
