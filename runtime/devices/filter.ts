/**
 * app.json `filter` matching, as IoT Open Edge Apps do it: every key must match; `type` matches
 * the function's (or device's) type, every other key its meta. String values are fnmatch patterns
 * (`*temp*`, `sensor?`, `[abc]`, `[!abc]`), numbers and booleans compare as their string form,
 * and an array matches when any element does. A key the subject does not have never matches,
 * not even `*`. `id` matches the subject's own id when it has one (function or device id).
 * Matching is case-sensitive, like fnmatch on Linux where Edge Apps run.
 */
export interface FilterSubject {
  readonly type: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly id?: string | number;
}

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

function subjectValue(key: string, subject: FilterSubject): string | undefined {
  if (key === 'type') return subject.type;
  if (key === 'id' && subject.id !== undefined) return String(subject.id);
  return Object.prototype.hasOwnProperty.call(subject.meta, key) ? subject.meta[key] : undefined;
}

export function matchesFilter(filter: Readonly<Record<string, unknown>>, subject: FilterSubject): boolean {
  for (const [key, expected] of Object.entries(filter)) {
    const actual = subjectValue(key, subject);
    if (actual === undefined || !matchesValue(expected, actual)) return false;
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
