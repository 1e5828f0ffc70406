/**
 * The keys of a selector's `filter` in app.json, checked against what they can match (a rule of
 * the language server's app.json checks, beside runtime/app's): the keys the runtime's filters know
 * (runtime/devices/filter.ts FILTER_KEYS), a device's capabilities, and the meta keys of the
 * devices in the devices.json beside app.json. A key that can match nothing makes the selector
 * offer nothing, silently: a warning names the keys that can, with "did you mean" where one is close.
 */
import { allCapabilities } from '../../runtime/devices/capabilities';
import { FILTER_KEYS } from '../../runtime/devices/filter';
import { paramNode } from '../../runtime/app/app-json-checks';
import type { AppJsonParse } from '../../runtime/app/parse-app-json';
import { selectorKind } from '../../runtime/app/input-rules';
import { type JsonNode, problemAt, properties } from '../../runtime/app/json-tree';
import { literalFix, type SourceProblem } from '../../runtime/errors';
import { suggestName } from '../../runtime/suggest';
import type { KnownDevices } from './devices-beside';

/** An fnmatch pattern (not a plain name): it may match what its text does not spell. */
const PATTERN = /[*?[]/;

/**
 * Problems of the selector filters of one app.json. `devices` is read only when a filter has a key
 * of its own (a meta key); undefined when there is no devices.json, in which case only a key close to
 * one the filter knows is reported (any other may be meta of the real installation's devices).
 */
export function selectorFilterProblems(app: AppJsonParse, devices: () => KnownDevices | undefined): SourceProblem[] {
  const { appJson, locations, doc } = app;
  if (!appJson || !locations) return [];
  const problems: SourceProblem[] = [];
  let known: { devices: KnownDevices | undefined } | undefined;
  for (const [name, location] of locations.inputs) {
    const input = appJson.input[name];
    const kind = input ? selectorKind(input.type) : undefined;
    if (kind !== 'function' && kind !== 'device') continue;
    const filterNode = paramNode(location, 'filter');
    if (!filterNode || filterNode.type !== 'object') continue;
    const builtIn = FILTER_KEYS[kind].map((k) => k.key);
    for (const { key, keyNode, valueNode } of properties(filterNode)) {
      if (builtIn.includes(key)) {
        if (key === 'capability') problems.push(...capabilityValueProblems(app, name, valueNode));
        continue;
      }
      known ??= { devices: devices() };
      const meta = known.devices?.metaKeys ?? [];
      if (meta.includes(key)) continue;
      const canMatch = [...builtIn, ...meta.filter((m) => !builtIn.includes(m))];
      const close = suggestName(key, canMatch);
      if (!known.devices && !close && !(kind === 'function' && key === 'capability')) continue;
      const subjects = kind === 'function' ? 'function' : 'device';
      const why =
        kind === 'function' && key === 'capability'
          ? 'a function has a type, not capabilities'
          : known.devices
            ? `it is neither a key filters know nor a meta key of the devices in devices.json`
            : 'it is not a key filters know';
      const message = `input "${name}": filter key "${key}" can match no ${subjects} (${why});${close ? ` did you mean "${close}"?` : ''} keys that can match: ${canMatch.join(', ')}`;
      problems.push(problemAt(doc, keyNode, 'warning', 'filter-key-unmatched', message, fixFor(kind, key, close, valueNode)));
    }
  }
  return problems;
}

/** `capability` values that are plain names must name a capability of the catalogue. */
function capabilityValueProblems(app: AppJsonParse, input: string, valueNode: JsonNode): SourceProblem[] {
  const ids = allCapabilities().map((c) => c.id);
  const nodes = valueNode.type === 'array' ? (valueNode.children ?? []) : [valueNode];
  const out: SourceProblem[] = [];
  for (const node of nodes) {
    if (node.type !== 'string' || typeof node.value !== 'string' || PATTERN.test(node.value) || ids.includes(node.value)) continue;
    const close = suggestName(node.value, ids);
    const message = `input "${input}": no device has the capability "${node.value}", so the filter matches none;${close ? ` did you mean "${close}"?` : ''} capabilities: ${ids.join(', ')}`;
    out.push(problemAt(app.doc, node, 'warning', 'filter-capability-unknown', message, close ? literalFix(`write "${close}"`, JSON.stringify(close)) : 'write a capability from the list'));
  }
  return out;
}

function fixFor(kind: 'function' | 'device', key: string, close: string | undefined, valueNode: JsonNode) {
  if (kind === 'function' && key === 'capability') {
    // A capability's functions are its attributes' types: switchLevel → "dimmer".
    const cap = typeof valueNode.value === 'string' ? allCapabilities().find((c) => c.id === valueNode.value) : undefined;
    const types = cap ? [...new Set(cap.attributes.map((a) => a.functionType))] : [];
    return types.length ? `filter by function type instead: "type": ${types.length === 1 ? JSON.stringify(types[0]) : JSON.stringify(types)}` : 'filter by function type instead: "type": "<function type>"';
  }
  return close ? literalFix(`rename it to "${close}"`, JSON.stringify(close)) : 'use one of the keys that can match, or give the devices in devices.json that meta key';
}
