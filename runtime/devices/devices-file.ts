/**
 * devices.json: the simulated devices an app runs against. Either an array of devices or
 * `{ "devices": [...] }`; comments and trailing commas are allowed. Every problem is reported
 * at the exact value it concerns, and all problems are collected before giving up.
 *
 *   { "id": "door", "label": "Front door", "type": "Zigbee Door",
 *     "capabilities": ["contactSensor", "battery"],
 *     "attributes": { "contact": "closed" }, "functionIds": { "contact": 9 },
 *     "meta": { "room": "hall" }, "temperatureUnit": "C" }
 */
import type { Node } from 'jsonc-parser';
import { SourceError, hasErrors, lineColumnAt, type SourceProblem } from '../errors';
import { allCapabilities, getCapability, unknownCapabilityMessage } from './capabilities';
import { DeviceError } from './device-error';
import { ProblemSink, describeNode, nodeValue, parseJsonc, properties, type Property } from './jsonc-source';
import { SimDevice } from './sim-device';
import { didYouMean } from '../suggest';
import type { AttrValue, AttributeSpec, CapabilitySpec, DeviceSpec, TemperatureUnit } from './types';
import { checkAttributeValue } from './values';

const DEVICE_KEYS = ['id', 'label', 'type', 'capabilities', 'attributes', 'functionIds', 'meta', 'temperatureUnit'];
const ROOT_KEYS = ['devices', '$schema'];
/** Set on every function from the device itself, so a devices file may not override them. */
const RESERVED_META = ['device_id', 'name'];

export interface DevicesFileResult {
  /** Only the devices without problems. */
  readonly devices: DeviceSpec[];
  readonly problems: SourceProblem[];
}

/** Throws a SourceError carrying every problem in the file. */
export function parseDevicesFile(text: string, file: string): DeviceSpec[] {
  const { devices, problems } = checkDevicesFile(text, file);
  if (hasErrors(problems)) throw new SourceError(problems);
  return devices;
}

/** Like parseDevicesFile but returns the problems instead of throwing (for editor diagnostics). */
export function checkDevicesFile(text: string, file: string): DevicesFileResult {
  const sink = new ProblemSink(text, file);
  const root = parseJsonc(sink);
  if (!root && sink.problems.length === 0) {
    // Blank, or nothing but comments.
    sink.whole('devices-empty', 'the devices file is empty', 'Write a JSON array of devices: [{ "id": "lamp", "capabilities": ["switch"] }].');
  }
  const list = root && deviceList(root, sink);
  if (!list) return finish([], sink);

  const drafts = (list.children ?? []).map((node) => readDevice(node, sink)).filter((d): d is Draft => d !== undefined);
  checkDuplicateIds(drafts, sink);
  checkDuplicateFunctionIds(drafts, sink);

  const devices: DeviceSpec[] = [];
  for (const draft of drafts) {
    if (!draft.spec || draft.hasLateProblem) continue;
    // The same rules a running device applies, so the file never admits what the runtime rejects.
    try {
      new SimDevice(draft.spec);
      devices.push(draft.spec);
    } catch (e) {
      if (!(e instanceof DeviceError)) throw e;
      sink.at(draft.node, 'device-invalid', e.message, e.fix);
    }
  }
  return finish(devices, sink);
}

function finish(devices: DeviceSpec[], sink: ProblemSink): DevicesFileResult {
  // Checks run per concern (ids last), so put problems back in reading order.
  const problems = [...sink.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  return { devices, problems };
}

function deviceList(root: Node, sink: ProblemSink): Node | undefined {
  if (root.type === 'array') return root;
  if (root.type !== 'object') {
    sink.at(root, 'devices-root', `the devices file must be an array of devices or { "devices": [...] }, got ${describeNode(root)}`);
    return undefined;
  }
  let list: Node | undefined;
  for (const p of properties(root)) {
    if (p.key === 'devices') {
      if (p.valueNode.type === 'array') list = p.valueNode;
      else sink.at(p.valueNode, 'devices-root', `"devices" must be an array, got ${describeNode(p.valueNode)}`);
    } else if (!ROOT_KEYS.includes(p.key)) {
      sink.at(p.keyNode, 'devices-unknown-key', `unknown key '${p.key}'${didYouMean(p.key, ROOT_KEYS)}`, 'The file holds only "devices".');
    }
  }
  if (!list && !properties(root).some((p) => p.key === 'devices')) {
    sink.at(root, 'devices-root', 'missing "devices"', 'Add "devices": [ ... ] or make the whole file an array of devices.');
  }
  return list;
}

interface Draft {
  readonly node: Node;
  readonly id?: string;
  readonly idNode?: Node;
  /** Function ids with the node to blame for a clash (the explicit id, else the device id). */
  readonly functionIds: { id: string | number; attribute: string; node: Node }[];
  /** Set only when the device had no problems of its own. */
  readonly spec?: DeviceSpec;
  /** Set when a problem found across devices (duplicate ids) concerns this device. */
  hasLateProblem: boolean;
}

interface Fields {
  id?: string;
  label?: string;
  type?: string;
  temperatureUnit?: TemperatureUnit;
  capabilities?: string[];
  attributes?: Record<string, AttrValue>;
  functionIds?: Record<string, string | number>;
  meta?: Record<string, string>;
}

function readDevice(node: Node, sink: ProblemSink): Draft | undefined {
  if (node.type !== 'object') {
    sink.at(node, 'device-type', `each device must be an object, got ${describeNode(node)}`, 'Write { "id": "…", "capabilities": [ … ] }.');
    return undefined;
  }
  const before = sink.problems.length;
  const props = properties(node);
  const byKey = new Map<string, Property>();
  for (const p of props) {
    if (byKey.has(p.key)) sink.at(p.keyNode, 'device-duplicate-key', `key '${p.key}' appears twice in this device`);
    else if (!DEVICE_KEYS.includes(p.key)) {
      sink.at(p.keyNode, 'device-unknown-key', `unknown device key '${p.key}'${didYouMean(p.key, DEVICE_KEYS)}`, `Device keys are ${DEVICE_KEYS.join(', ')}.`);
    }
    byKey.set(p.key, p);
  }

  const f: Fields = {};
  const idProp = byKey.get('id');
  if (!idProp) sink.at(node, 'device-id-missing', 'device has no "id"', 'Add "id": "a-unique-name".');
  else f.id = readString(idProp, sink, 'device-id');
  for (const key of ['label', 'type'] as const) {
    const p = byKey.get(key);
    if (p) f[key] = readString(p, sink, `device-${key}`);
  }
  const unitProp = byKey.get('temperatureUnit');
  if (unitProp) {
    const v = nodeValue(unitProp.valueNode);
    if (v === 'C' || v === 'F') f.temperatureUnit = v;
    else sink.at(unitProp.valueNode, 'device-temperature-unit', `temperatureUnit must be "C" or "F", got ${JSON.stringify(v)}`);
  }

  const caps = readCapabilities(node, byKey.get('capabilities'), f, sink);
  const attrs = new Map<string, AttributeSpec>();
  for (const cap of caps.known) for (const a of cap.attributes) if (!attrs.has(a.name)) attrs.set(a.name, a);
  const attrCtx: AttributeContext = { attrs, capabilityIds: f.capabilities ?? [], complete: caps.complete };

  const attributesProp = byKey.get('attributes');
  if (attributesProp) f.attributes = readAttributes(attributesProp, attrCtx, sink);
  const functionIdsProp = byKey.get('functionIds');
  if (functionIdsProp) f.functionIds = readFunctionIds(functionIdsProp, attrCtx, sink);
  const metaProp = byKey.get('meta');
  if (metaProp) f.meta = readMeta(metaProp, sink);

  const functionIds: Draft['functionIds'] = [];
  if (f.id !== undefined && idProp) {
    for (const name of attrs.keys()) {
      const explicit = functionIdsProp && properties(functionIdsProp.valueNode).find((p) => p.key === name);
      const id = f.functionIds?.[name];
      functionIds.push(
        explicit && id !== undefined
          ? { id, attribute: name, node: explicit.valueNode }
          : { id: `${f.id}.${name}`, attribute: name, node: idProp.valueNode },
      );
    }
  }
  const ok = sink.problems.length === before && f.id !== undefined && f.capabilities !== undefined;
  const spec: DeviceSpec | undefined = ok
    ? {
        id: f.id as string,
        label: f.label ?? (f.id as string),
        capabilities: f.capabilities as string[],
        ...(f.attributes ? { attributes: f.attributes } : {}),
        ...(f.functionIds ? { functionIds: f.functionIds } : {}),
        ...(f.meta ? { meta: f.meta } : {}),
        ...(f.type !== undefined ? { type: f.type } : {}),
        ...(f.temperatureUnit ? { temperatureUnit: f.temperatureUnit } : {}),
      }
    : undefined;
  return { node, id: f.id, idNode: idProp?.valueNode, functionIds, spec, hasLateProblem: false };
}

function readString(p: Property, sink: ProblemSink, code: string): string | undefined {
  const v = nodeValue(p.valueNode);
  if (typeof v === 'string' && v !== '') return v;
  sink.at(p.valueNode, code, `"${p.key}" must be a non-empty string, got ${v === '' ? 'an empty string' : describeNode(p.valueNode)}`);
  return undefined;
}

function readCapabilities(
  device: Node,
  prop: Property | undefined,
  f: Fields,
  sink: ProblemSink,
): { known: CapabilitySpec[]; complete: boolean } {
  const known: CapabilitySpec[] = [];
  if (!prop) {
    sink.at(device, 'device-capabilities-missing', 'device has no "capabilities"', 'Add "capabilities": ["switch"] (or the capabilities it has).');
    return { known, complete: false };
  }
  if (prop.valueNode.type !== 'array') {
    sink.at(prop.valueNode, 'device-capabilities-type', `"capabilities" must be an array of capability ids, got ${describeNode(prop.valueNode)}`);
    return { known, complete: false };
  }
  const elements = prop.valueNode.children ?? [];
  if (elements.length === 0) {
    sink.at(prop.valueNode, 'device-capabilities-empty', 'a device needs at least one capability', 'Add one, e.g. "switch" or "contactSensor".');
  }
  let complete = true;
  const ids: string[] = [];
  for (const el of elements) {
    const id = nodeValue(el);
    if (typeof id !== 'string') {
      sink.at(el, 'device-capability-type', `capability ids are strings, got ${describeNode(el)}`);
      complete = false;
      continue;
    }
    const spec = getCapability(id, { temperatureUnit: f.temperatureUnit });
    if (!spec) {
      sink.at(el, 'device-capability-unknown', unknownCapabilityMessage(id));
      complete = false;
    } else if (ids.includes(id)) {
      sink.at(el, 'device-capability-duplicate', `capability '${id}' is listed twice`);
    } else {
      known.push(spec);
    }
    ids.push(id);
  }
  f.capabilities = ids;
  return { known, complete };
}

interface AttributeContext {
  readonly attrs: ReadonlyMap<string, AttributeSpec>;
  readonly capabilityIds: readonly string[];
  /** False when a capability is unknown: then an unknown attribute may be that capability's, so say nothing. */
  readonly complete: boolean;
}

/** The attribute for a key, or undefined after reporting why it does not belong to the device. */
function attributeFor(p: Property, ctx: AttributeContext, sink: ProblemSink, code: string): AttributeSpec | undefined {
  const spec = ctx.attrs.get(p.key);
  if (spec || !ctx.complete) return spec;
  const owner = allCapabilities().find((c) => c.attributes.some((a) => a.name === p.key));
  const listed = ctx.capabilityIds.length ? `capabilities ${ctx.capabilityIds.join(', ')}` : 'the listed capabilities';
  if (owner) {
    sink.at(p.keyNode, code, `attribute '${p.key}' is not provided by ${listed}; it belongs to '${owner.id}'`, `Add "${owner.id}" to capabilities, or remove '${p.key}'.`);
  } else {
    const names = [...ctx.attrs.keys()];
    sink.at(p.keyNode, code, `attribute '${p.key}' is not provided by ${listed}${didYouMean(p.key, names)}`, `Attributes of this device: ${names.join(', ') || '(none)'}.`);
  }
  return undefined;
}

function objectProperties(p: Property, sink: ProblemSink, code: string, what: string): Property[] | undefined {
  if (p.valueNode.type === 'object') return properties(p.valueNode);
  sink.at(p.valueNode, code, `"${p.key}" must be an object of ${what}, got ${describeNode(p.valueNode)}`);
  return undefined;
}

function readAttributes(prop: Property, ctx: AttributeContext, sink: ProblemSink): Record<string, AttrValue> | undefined {
  const props = objectProperties(prop, sink, 'device-attributes-type', 'attribute: value pairs');
  if (!props) return undefined;
  const out: Record<string, AttrValue> = {};
  for (const p of props) {
    const spec = attributeFor(p, ctx, sink, 'device-attribute-unknown');
    if (!spec) continue;
    const checked = checkAttributeValue(spec, nodeValue(p.valueNode));
    if (checked.ok) out[p.key] = checked.value;
    else sink.at(p.valueNode, 'device-attribute-value', checked.message, checked.fix);
  }
  return out;
}

function readFunctionIds(prop: Property, ctx: AttributeContext, sink: ProblemSink): Record<string, string | number> | undefined {
  const props = objectProperties(prop, sink, 'device-function-ids-type', 'attribute: function id pairs');
  if (!props) return undefined;
  const out: Record<string, string | number> = {};
  for (const p of props) {
    const spec = attributeFor(p, ctx, sink, 'device-function-attribute');
    const v = nodeValue(p.valueNode);
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') {
      if (spec) out[p.key] = v;
    } else {
      sink.at(p.valueNode, 'device-function-id-type', `function id for '${p.key}' must be a number or a non-empty string, got ${describeNode(p.valueNode)}`);
    }
  }
  return out;
}

function readMeta(prop: Property, sink: ProblemSink): Record<string, string> | undefined {
  const props = objectProperties(prop, sink, 'device-meta-type', 'key: string pairs');
  if (!props) return undefined;
  const out: Record<string, string> = {};
  for (const p of props) {
    const v = nodeValue(p.valueNode);
    if (RESERVED_META.includes(p.key)) {
      sink.at(p.keyNode, 'device-meta-reserved', `meta key '${p.key}' is set from the device itself`, p.key === 'name' ? 'Use "label" for the name.' : 'Use "id" for the device id.');
    } else if (typeof v === 'string') {
      out[p.key] = v;
    } else {
      // IoT Open meta values are strings; filters compare numbers as strings anyway.
      sink.at(p.valueNode, 'device-meta-value', `meta '${p.key}' must be a string, got ${describeNode(p.valueNode)}`, `Write it as "${String(v)}".`);
    }
  }
  return out;
}

function checkDuplicateIds(drafts: Draft[], sink: ProblemSink): void {
  const first = new Map<string, Draft>();
  for (const d of drafts) {
    if (d.id === undefined || !d.idNode) continue;
    const earlier = first.get(d.id);
    if (!earlier?.idNode) {
      first.set(d.id, d);
      continue;
    }
    const { line } = lineColumnAt(sink.text, earlier.idNode.offset);
    sink.at(d.idNode, 'device-id-duplicate', `duplicate device id '${d.id}' (first used on line ${line})`, 'Give each device its own id.');
    d.hasLateProblem = true;
  }
}

function checkDuplicateFunctionIds(drafts: Draft[], sink: ProblemSink): void {
  const first = new Map<string, { deviceId: string; attribute: string; node: Node }>();
  for (const d of drafts) {
    for (const fn of d.functionIds) {
      const key = String(fn.id);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, { deviceId: d.id ?? '?', attribute: fn.attribute, node: fn.node });
        continue;
      }
      if (earlier.deviceId === d.id && d.hasLateProblem) continue; // already reported as a duplicate device
      const { line } = lineColumnAt(sink.text, earlier.node.offset);
      sink.at(
        fn.node,
        'device-function-id-duplicate',
        `function id ${JSON.stringify(fn.id)} of ${d.id}.${fn.attribute} is already used by ${earlier.deviceId}.${earlier.attribute} (line ${line})`,
        'Give each function its own id in functionIds.',
      );
      d.hasLateProblem = true;
    }
  }
}
