/**
 * Partial deep matching for `state` and `response.body`: objects match when every expected key
 * matches (extra keys are fine), arrays when they have the same length and every element matches,
 * everything else when equal. Mismatches come back with their paths for the failure message.
 */
export interface Mismatch {
  /** `state.count`, `body.lights[1].switch`. */
  path: string;
  expected: unknown;
  /** undefined when the key is missing. */
  actual: unknown;
  missing?: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function partialMatch(expected: unknown, actual: unknown, path: string): Mismatch[] {
  if (isObject(expected)) {
    if (!isObject(actual)) return [{ path, expected, actual }];
    const out: Mismatch[] = [];
    for (const [k, v] of Object.entries(expected)) {
      const p = `${path}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`;
      if (!Object.prototype.hasOwnProperty.call(actual, k)) out.push({ path: p, expected: v, actual: undefined, missing: true });
      else out.push(...partialMatch(v, actual[k], p));
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ path, expected, actual }];
    return expected.flatMap((v, i) => partialMatch(v, actual[i], `${path}[${i}]`));
  }
  return deepEqual(expected, actual) ? [] : [{ path, expected, actual }];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The part of `actual` that `expected` talks about, shaped like `expected`, so a diff of the two
 * shows only what the test checks. Where the shapes differ, actual is shown whole.
 */
export function project(expected: unknown, actual: unknown): unknown {
  if (isObject(expected) && isObject(actual)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(expected)) if (Object.prototype.hasOwnProperty.call(actual, k)) out[k] = project(expected[k], actual[k]);
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) return actual.map((v, i) => project(expected[i], v));
  return actual;
}

/** JSON text for messages; `undefined` spelled out. */
export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s;
}

export function describeMismatch(m: Mismatch): string {
  return m.missing ? `${m.path} is missing (expected ${show(m.expected)})` : `${m.path}: expected ${show(m.expected)}, got ${show(m.actual)}`;
}
