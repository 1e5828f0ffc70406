/**
 * The page's edits applied to a config object, without changing it (a new object is returned):
 * setting or removing a value at a path, adding and removing a repeat's rows within its min/max.
 */
import type { AppJson, JsonValue } from '../runtime/app/app-json-types';
import type { ConfigPath } from '../runtime/app/config-types';

type Config = Record<string, JsonValue>;

/** Sets (or, with undefined, removes) the value at `path`; containers on the way are created. */
export function setAt(config: Readonly<Config>, path: ConfigPath, value: JsonValue | undefined): Config {
  // A key that reaches a prototype names no config value (messages.ts refuses them first).
  if (path.some((step) => step === '__proto__' || step === 'constructor' || step === 'prototype')) throw new Error(`"${path.join('.')}" is not a config path`);
  return setIn(config, path, 0, value) as Config;
}

function setIn(container: JsonValue | undefined, path: ConfigPath, i: number, value: JsonValue | undefined): JsonValue | undefined {
  const step = path[i];
  const last = i === path.length - 1;
  if (typeof step === 'number') {
    const list = Array.isArray(container) ? [...container] : [];
    while (list.length < step) list.push({});
    if (last) {
      if (value === undefined) list.splice(step, 1);
      else list[step] = value;
    } else list[step] = setIn(list[step], path, i + 1, value) ?? {};
    return list;
  }
  const obj: Config = container !== null && typeof container === 'object' && !Array.isArray(container) ? { ...container } : {};
  if (last) {
    if (value === undefined) delete obj[step];
    else obj[step] = value;
  } else {
    const inner = setIn(obj[step], path, i + 1, value);
    if (inner === undefined) delete obj[step];
    else obj[step] = inner;
  }
  return obj;
}

/** The value at `path` (undefined when a step on the way is missing). */
export function getAt(config: Readonly<Config>, path: ConfigPath): JsonValue | undefined {
  let v: JsonValue | undefined = config;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? (typeof step === 'number' ? v[step] : undefined) : (v as Config)[String(step)];
  }
  return v;
}

/** The repeat input a path names (its last step is the repeat's key). */
function repeatAt(appJson: AppJson, path: ConfigPath) {
  const key = path[path.length - 1];
  const input = typeof key === 'string' ? appJson.input[key] : undefined;
  if (!input || input.type !== 'repeat') throw new Error(`${path.join('.')} is not a repeat input of app.json`);
  return input;
}

/** Adds an empty row to the repeat at `path`, unless it has `max` rows already. */
export function addRow(appJson: AppJson, config: Readonly<Config>, path: ConfigPath): Config {
  const input = repeatAt(appJson, path);
  const rows = getAt(config, path);
  const list = Array.isArray(rows) ? rows : [];
  // Rows up to the minimum are shown before any is added: adding makes the next one real.
  const shown = Math.max(list.length, input.min ?? 0);
  if (input.max !== undefined && shown >= input.max) return { ...config };
  const next = [...list];
  while (next.length <= shown) next.push({});
  return setAt(config, path, next);
}

/** Removes row `index` of the repeat at `path`, unless it would go below `min`. */
export function removeRow(appJson: AppJson, config: Readonly<Config>, path: ConfigPath, index: number): Config {
  const input = repeatAt(appJson, path);
  const rows = getAt(config, path);
  const list = Array.isArray(rows) ? rows : [];
  if (index >= list.length || list.length <= (input.min ?? 0)) return { ...config };
  return setAt(config, path, list.filter((_, i) => i !== index));
}
