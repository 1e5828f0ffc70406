/**
 * When app.json changes under an open guide, the values already entered follow their inputs: an
 * input that was renamed keeps its value under its new name, in repeat rows too. An input counts
 * as renamed when its old name is gone, a new name appeared, and they are of the same type and
 * either the only such pair or at the same place in the guide (page and position).
 */
import type { AppJson, JsonValue } from '../runtime/app/app-json-types';

type Config = Record<string, JsonValue>;

/** Old input name → new input name, for the inputs `next` renamed. */
export function renamedInputs(previous: AppJson, next: AppJson): Map<string, string> {
  const gone = Object.keys(previous.input).filter((k) => !(k in next.input));
  const added = Object.keys(next.input).filter((k) => !(k in previous.input));
  const renames = new Map<string, string>();
  if (!gone.length || !added.length) return renames;
  const typeOf = (app: AppJson, k: string) => app.input[k]?.type;
  if (gone.length === 1 && added.length === 1) {
    if (typeOf(previous, gone[0]) === typeOf(next, added[0])) renames.set(gone[0], added[0]);
    return renames;
  }
  const placeOld = placesOf(previous);
  const placeNew = placesOf(next);
  for (const old of gone) {
    const at = placeOld.get(old);
    const match = at && added.find((k) => placeNew.get(k) === at && typeOf(next, k) === typeOf(previous, old) && ![...renames.values()].includes(k));
    if (match) renames.set(old, match);
  }
  return renames;
}

/** Where each input sits: "page/position" on a guide page, or "repeat/position" inside a repeat. */
function placesOf(app: AppJson): Map<string, string> {
  const places = new Map<string, string>();
  app.guide.forEach((page, p) => (page.input_fields ?? []).forEach((k, i) => places.set(k, `${p}/${i}`)));
  for (const [name, input] of Object.entries(app.input)) {
    if (input.type !== 'repeat') continue;
    // A repeat keeps its place under a rename too, so its members are placed by its place.
    const repeatAt = places.get(name) ?? name;
    input.input_fields.forEach((k, i) => places.has(k) || places.set(k, `${repeatAt}/row/${i}`));
  }
  return places;
}

/** The config with renamed inputs' values moved to their new names (a new object; `config` is not changed). */
export function carryConfig(previous: AppJson, next: AppJson, config: Readonly<Config>): Config {
  const renames = renamedInputs(previous, next);
  if (!renames.size) return { ...config };
  const rename = (obj: Readonly<Config>): Config => {
    const out: Config = {};
    for (const [k, v] of Object.entries(obj)) {
      const to = renames.get(k) ?? k;
      // A value already under the new name (entered after the rename) wins.
      if (to !== k && to in obj) continue;
      out[to] = next.input[to]?.type === 'repeat' && Array.isArray(v) ? v.map((row) => (row !== null && typeof row === 'object' && !Array.isArray(row) ? rename(row) : row)) : v;
    }
    return out;
  };
  return rename(config);
}
