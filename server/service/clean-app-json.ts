/**
 * The fast path of diagnostics: whether an app.json certainly has no problem, decided without a
 * tree or a single position (positions are only needed where there is a problem to report).
 * `JSON.parse` and the compiled schema are the floor any checker pays; on top of them come a count
 * that finds duplicate keys (which JSON.parse drops silently) and the runtime's own semantic checks
 * (runtime/app/app-json-checks.ts), run on the parsed value with placeholder places. Anything this
 * cannot vouch for answers false, and validation.ts takes the full path, which builds the tree and
 * reports every problem at its place. A 1 MB app.json is checked in a few times JSON.parse.
 */
import { checkAppJsonSemantics, type AppJsonLocations, type InputLocation, type PageLocation } from '../../runtime/app/app-json-checks';
import type { AppJson } from '../../runtime/app/app-json-types';
import { selectorKind } from '../../runtime/app/input-rules';
import type { JsonNode } from '../../runtime/app/json-tree';
import { FILTER_KEYS } from '../../runtime/devices/filter';
import { schemaAccepts } from './schema-validation';

type Json = Record<string, unknown>;

/** Stands for every place in the semantic checks: they read a place only to report a problem at it. */
const NOWHERE: JsonNode = { type: 'null', offset: 0, length: 0, value: null };

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `value` is `JSON.parse(text)`; true only when the full check would report nothing. */
export function isCleanAppJson(text: string, value: unknown): boolean {
  if (!isObject(value) || !schemaAccepts('app', value)) return false;
  // A key written twice: more properties written than parsed. Every colon is a property unless a
  // string holds one, so the exact count (which skips strings) is needed only when they differ.
  const parsed = propertiesParsed(value);
  if (colons(text) !== parsed && propertiesWritten(text) !== parsed) return false;
  const input = isObject(value.input) ? value.input : {};
  const guide = Array.isArray(value.guide) ? (value.guide as Json[]) : [];
  for (const name of Object.keys(input)) if (!plainInput(input[name] as Json)) return false;
  const locations: AppJsonLocations = {
    inputNode: value.input === undefined ? undefined : NOWHERE,
    guideNode: value.guide === undefined ? undefined : NOWHERE,
    inputs: new Map<string, InputLocation>(Object.keys(input).map((name) => [name, { keyNode: NOWHERE, node: NOWHERE }])),
    pages: guide.map((page, i): PageLocation => ({ node: NOWHERE, label: `guide page ${i + 1}`, fieldNodes: Array.isArray(page.input_fields) ? page.input_fields.map(() => NOWHERE) : [], ...(page.id === undefined ? {} : { idNode: NOWHERE }) })),
  };
  const doc = { file: '', text: '', root: NOWHERE, problems: [] };
  return checkAppJsonSemantics(doc, { ...value, input, guide } as unknown as AppJson, locations).length === 0;
}

/**
 * An input whose every check the semantic checks can make on the value alone. The others (an empty
 * repeat, an option without values, a filter key a devices.json may or may not know) read the
 * tree, or files beside app.json, and take the full path.
 */
function plainInput(input: Json): boolean {
  if (input.type === 'repeat') return Array.isArray(input.input_fields) && input.input_fields.length > 0;
  if (input.type === 'option' || input.type === 'checkbox') return isObject(input.values) && Object.keys(input.values).length > 0;
  const kind = selectorKind(input.type as never);
  if ((kind === 'function' || kind === 'device') && isObject(input.filter)) {
    const known = FILTER_KEYS[kind].map((k) => k.key);
    return Object.keys(input.filter).every((key) => key !== 'capability' && known.includes(key));
  }
  return true;
}

/** Every property of every object in a parsed value (a key written twice is one of them). */
function propertiesParsed(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += propertiesParsed(item);
    return n;
  }
  for (const key in value) n += 1 + propertiesParsed((value as Json)[key]);
  return n;
}

function colons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n++;
  return n;
}

/** Properties written in valid JSON text: its colons outside strings. -1 when a string is not closed. */
export function propertiesWritten(text: string): number {
  let count = 0;
  let nextColon = text.indexOf(':');
  let i = 0;
  for (;;) {
    const quote = text.indexOf('"', i);
    const end = quote < 0 ? text.length : quote;
    while (nextColon >= 0 && nextColon < end) {
      count++;
      nextColon = text.indexOf(':', nextColon + 1);
    }
    if (quote < 0) return count;
    let close = quote;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close < 0) return -1;
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    i = close + 1;
    // Colons inside the string are not properties.
    if (nextColon >= 0 && nextColon < i) nextColon = text.indexOf(':', i);
  }
}
