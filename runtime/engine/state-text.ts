/**
 * The state text that arrives from an app's context, checked on the host side: the context is the
 * script's, which can replace anything there, JSON included, so the host trusts nothing it sends.
 */

/** Seed 001: an app's state is at most this many characters of JSON. */
export const STATE_LIMIT = 100_000;

/** What is wrong with state text that arrived from an app's context, or undefined when it can be saved. */
export function stateProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return `state has no JSON text (the runtime received ${kindOf(text)}); it was not saved`;
  if (text.length > STATE_LIMIT) return `state is ${text.length} characters of JSON; the limit is ${STATE_LIMIT}. It was not saved`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'state is not valid JSON; it was not saved';
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  return `state must be saved as JSON of an object, but its JSON is ${kindOf(value)} (does it have a toJSON method?); it was not saved`;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
