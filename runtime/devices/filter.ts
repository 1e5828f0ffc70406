/**
 * app.json `filter` matching, as IoT Open Edge Apps do it: every key must match; `type` matches
 * the function's (or device's) type, `capability` (device selectors) any capability the device
 * has, every other key its meta. String values are fnmatch patterns
 * (`*temp*`, `sensor?`, `[abc]`, `[!abc]`), numbers and booleans compare as their string form,
 * and an array matches when any element does. A key the subject does not have never matches,
 * not even `*`. `id` matches the subject's own id when it has one (function or device id).
 * Matching is case-sensitive, like fnmatch on Linux where Edge Apps run.
 */
export interface FilterSubject {
  readonly type: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly id?: string | number;
  /** A device's capability ids (`capability` matches when any of them does); absent for a function. */
  readonly capabilities?: readonly string[];
}

/**
 * The keys a filter can match besides meta keys, by selector kind, with what each matches. Every
 * device's meta has `device_id` and `name` (and its functions' meta too), so those always can.
 */
export const FILTER_KEYS: Readonly<Record<'function' | 'device', readonly { readonly key: string; readonly matches: string }[]>> = {
  function: [
    { key: 'type', matches: 'the function type, e.g. `temperature`, `switch`, `door`' },
    { key: 'name', matches: 'the name (label) of the function\'s device' },
    { key: 'device_id', matches: 'the id of the function\'s device' },
    { key: 'id', matches: 'the function\'s own id' },
  ],
  device: [
    { key: 'type', matches: 'the device type (a device\'s `type` in devices.json)' },
    { key: 'capability', matches: 'a capability the device has, e.g. `switch`, `switchLevel`, `contactSensor`' },
    { key: 'name', matches: 'the device\'s name (label)' },
    { key: 'device_id', matches: 'the device\'s id' },
    { key: 'id', matches: 'the device\'s id' },
  ],
};

export interface FilterProblem {
  /** The filter key concerned; absent when the whole filter is wrong. */
  readonly key?: string;
  /** Index within an array value. */
  readonly index?: number;
  readonly message: string;
}

const compiled = new Map<string, RegExp>();

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** fnmatch-style pattern to an anchored RegExp, following Python's fnmatch.translate. */
function translate(pattern: string): RegExp {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      // A ']' first in the set (after an optional '!') is a literal member, as in fnmatch.
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      let set = pattern.slice(i, j);
      i = j + 1;
      const negate = set.startsWith('!');
      if (negate) set = set.slice(1);
      // Keep '-' ranges; escape everything else that is special inside a RegExp class.
      const body = set.replace(/[\\^\]]/g, '\\$&');
      out += negate ? `[^${body}]` : `[${body}]`;
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, 's');
}

export function fnmatch(pattern: string, text: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = translate(pattern);
    // Filters come from a handful of app.json files; the bound only guards against pathological use.
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.test(text);
}

function matchesValue(expected: unknown, actual: string): boolean {
  if (typeof expected === 'string') return fnmatch(expected, actual);
  if (typeof expected === 'number' || typeof expected === 'boolean') return String(expected) === actual;
  if (Array.isArray(expected)) return expected.some((e) => !Array.isArray(e) && matchesValue(e, actual));
  return false;
}

/** The subject's values for a key (a device has several capabilities); undefined when it has no such key. */
function subjectValues(key: string, subject: FilterSubject): readonly string[] | undefined {
  if (key === 'type') return [subject.type];
  if (key === 'id' && subject.id !== undefined) return [String(subject.id)];
  if (key === 'capability' && subject.capabilities) return subject.capabilities;
  return Object.prototype.hasOwnProperty.call(subject.meta, key) ? [subject.meta[key]] : undefined;
}

export function matchesFilter(filter: Readonly<Record<string, unknown>>, subject: FilterSubject): boolean {
  for (const [key, expected] of Object.entries(filter)) {
    const actual = subjectValues(key, subject);
    if (actual === undefined || !actual.some((a) => matchesValue(expected, a))) return false;
  }
  return true;
}

function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** What is wrong with a filter (empty when nothing is); matchesFilter treats such values as never matching. */
export function validateFilter(filter: unknown): FilterProblem[] {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    return [{ message: `filter must be an object of key: pattern pairs, got ${kindOf(filter)}` }];
  }
  const problems: FilterProblem[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (isScalar(value)) continue;
    if (!Array.isArray(value)) {
      problems.push({ key, message: `filter value for '${key}' must be a string, number, boolean or array of them, got ${kindOf(value)}` });
      continue;
    }
    if (value.length === 0) {
      problems.push({ key, message: `filter value for '${key}' is an empty array, which matches nothing` });
    }
    value.forEach((element, index) => {
      if (!isScalar(element)) {
        problems.push({ key, index, message: `filter value for '${key}'[${index}] must be a string, number or boolean, got ${kindOf(element)}` });
      }
    });
  }
  return problems;
}
