/**
 * Config values of function, device and notification-output selectors (seed 003, "The app.json
 * file"): a bare id, an array of ids, or with `"value": true` an object of id → value. The messages
 * spell out the shape the input's own parameters demand, since seed 003's example mixes the two up.
 */
import type { DeviceSelectorInput, FunctionSelectorInput, NotificationSelectorInput } from './app-json-types';
import type { CatalogueDevice, CatalogueFunction, ConfigPath, ConfigProblem, SelectorCatalogue } from './config-types';
import { isMultiSelector, isNumericString, selectorKind } from './input-rules';
import { describeValue, showValue } from './json-tree';
import { suggestName } from '../suggest';

type Report = (problem: ConfigProblem) => void;

export function isId(v: unknown): v is string | number {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length > 0);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isSettableValue(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** A key that spells a number is shown as that number: `{ "4456": 255 }` → 4456. */
export function idFromKey(key: string): string | number {
  return isNumericString(key) && String(Number(key)) === key ? Number(key) : key;
}

function showId(id: string | number): string {
  return typeof id === 'number' ? String(id) : JSON.stringify(id);
}

/** Selected ids of an empty selection: `{}` or `[]` mean "nothing selected". */
export function isEmptySelection(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

export function checkSelector(
  name: string,
  input: FunctionSelectorInput | DeviceSelectorInput | NotificationSelectorInput,
  value: unknown,
  path: ConfigPath,
  report: Report,
  catalogue: SelectorCatalogue | undefined,
): void {
  const kind = selectorKind(input.type)!;
  const what = kind === 'notification' ? 'notification-output' : kind;
  const multi = isMultiSelector(input.type);
  const withValue = 'value' in input && input.value === true;
  const error = (message: string, fix: string, at?: 'key', p: ConfigPath = path): void =>
    report({ path: p, ...(at ? { at } : {}), severity: 'error', code: 'config-type', message, fix });
  const ids: { id: string | number; path: ConfigPath; at?: 'key' }[] = [];

  if (withValue) {
    const shape = multi ? `{ "<${what}-id>": <value>, … }` : `{ "<${what}-id>": <value> }`;
    const head = `input "${name}" has "value": true, so its config is ${shape}`;
    if (!isPlainObject(value)) {
      const given = Array.isArray(value) ? value.filter(isId) : isId(value) ? [value] : [];
      const fix = given.length > 0 ? `write { ${given.map((id) => `"${id}": <value>`).join(', ')} } or set "value": false` : `write ${shape}`;
      error(`${head}; got ${showValue(value)}`, fix);
      return;
    }
    const keys = Object.keys(value);
    if (!multi && keys.length > 1) {
      error(`${head} with exactly one key (a single selector); got ${keys.length} keys`, `keep one of ${keys.map((k) => `"${k}"`).join(', ')}, or make the input a multi_${kind}_selector`);
    }
    for (const key of keys) {
      const v = value[key];
      if (!isSettableValue(v)) error(`input "${name}": the value for ${kind} "${key}" must be a number, string or boolean; got ${describeValue(v)}`, `write "${key}": <value>`, undefined, [...path, key]);
      ids.push({ id: idFromKey(key), path: [...path, key], at: 'key' });
    }
  } else if (multi) {
    const shape = `[<${what}-id>, …]`;
    const noValue = kind === 'notification' ? `input "${name}" is a ${input.type}` : `input "${name}" has no "value": true`;
    if (!Array.isArray(value)) {
      if (isPlainObject(value)) {
        const keys = Object.keys(value).map(idFromKey);
        const fix = kind === 'notification' ? `write [${keys.map(showId).join(', ')}]` : `write [${keys.map(showId).join(', ')}], or set "value": true in app.json to keep the values`;
        error(`${noValue}, so its config is ${shape}; got ${showValue(value)}`, fix);
      } else error(`${noValue}, so its config is ${shape}; got ${showValue(value)}`, isId(value) ? `write [${showId(value)}]` : `write ${shape}`);
      return;
    }
    const seen = new Set<string>();
    value.forEach((id, i) => {
      if (!isId(id)) {
        error(`input "${name}": every element must be a ${what} id (a number or string); got ${describeValue(id)}`, `write the ${what} id`, undefined, [...path, i]);
        return;
      }
      if (seen.has(String(id))) report({ path: [...path, i], severity: 'warning', code: 'config-duplicate', message: `input "${name}" selects ${what} ${showId(id)} twice`, fix: 'remove the duplicate' });
      seen.add(String(id));
      ids.push({ id, path: [...path, i] });
    });
  } else {
    const shape = `<${what}-id>`;
    const noValue = kind === 'notification' ? `input "${name}" is a ${input.type}` : `input "${name}" has no "value": true`;
    if (!isId(value)) {
      let fix = `write a ${what} id (a number or string)`;
      if (isPlainObject(value) && Object.keys(value).length === 1) {
        const id = idFromKey(Object.keys(value)[0]);
        fix = kind === 'notification' ? `write ${showId(id)}` : `write ${showId(id)}, or set "value": true in app.json to keep the value`;
      } else if (Array.isArray(value) && value.length === 1 && isId(value[0])) fix = `write ${showId(value[0])} (a single selector takes one id)`;
      else if (Array.isArray(value)) fix = `select one ${what}, or make the input a multi_${kind === 'notification' ? 'notification_output' : kind}_selector`;
      error(`${noValue}, so its config is ${shape}; got ${showValue(value)}`, fix);
      return;
    }
    ids.push({ id: value, path });
  }
  if (catalogue) for (const s of ids) checkKnown(name, input, s.id, s.path, s.at, report, catalogue);
}

/** Looks an id up as written, then in its other form (12 ↔ "12"). */
export function lookup<T>(byId: (id: string | number) => T | undefined, id: string | number): T | undefined {
  const found = byId(id);
  if (found !== undefined) return found;
  if (typeof id === 'number') return byId(String(id));
  return isNumericString(id) ? byId(Number(id)) : undefined;
}

function checkKnown(
  name: string,
  input: FunctionSelectorInput | DeviceSelectorInput | NotificationSelectorInput,
  id: string | number,
  path: ConfigPath,
  at: 'key' | undefined,
  report: Report,
  catalogue: SelectorCatalogue,
): void {
  const kind = selectorKind(input.type)!;
  const base = { path, ...(at ? { at } : {}) };
  const unknown = (known: Iterable<string | number>, what: string): void => {
    const ids = [...known];
    const s = suggestName(String(id), ids.map(String));
    // The id as the catalogue has it (a function id is a number), written the way JSON says it.
    const meant = s === undefined ? undefined : ids.find((k) => String(k) === s);
    report({
      ...base, severity: 'error', code: 'config-unknown-id', message: `input "${name}": ${what} ${showId(id)} does not exist${s ? `; did you mean ${s}?` : ''}`, fix: s ? `write ${s}` : `use the id of an existing ${what}`,
      ...(meant !== undefined && at !== 'key' ? { replacement: JSON.stringify(meant) } : {}),
    });
  };
  if (kind === 'notification') {
    const known = catalogue.notificationOutputIds?.();
    if (known && ![...known].some((k) => String(k) === String(id))) unknown(catalogue.notificationOutputIds!(), 'notification output');
    return;
  }
  const subject: CatalogueFunction | CatalogueDevice | undefined =
    kind === 'function' ? lookup((x) => catalogue.functionById(x), id) : lookup((x) => catalogue.deviceById(x), id);
  if (!subject) {
    unknown(kind === 'function' ? catalogue.functionIds() : catalogue.deviceIds(), kind);
    return;
  }
  const filter = (input as FunctionSelectorInput | DeviceSelectorInput).filter;
  if (filter && Object.keys(filter).length > 0 && !catalogue.matches(filter, subject)) {
    const type = subject.type ? ` (type "${subject.type}")` : '';
    report({ ...base, severity: 'error', code: 'config-filter', message: `input "${name}": ${kind} ${showId(id)}${type} does not match the input's filter ${JSON.stringify(filter)}`, fix: `choose a ${kind} matching ${JSON.stringify(filter)}` });
  }
}
