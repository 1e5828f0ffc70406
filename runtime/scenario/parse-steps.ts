/** One step of a scenario: the key that decides its kind, and that kind's value. */
import { describeValue, nodeValue, type JsonNode, type JsonProperty } from '../app/json-tree';
import { literalFix } from '../errors';
import { suggestName } from '../suggest';
import type { Reader } from './json-reader';
import { readExpect } from './parse-expect';
import { DURATION_HELP, parseDuration, parseTime, TIME_HELP } from './time-text';
import { RESTART_TARGETS, STEP_KINDS, type AttrValue, type RestartStep, type Pos, type SourceRef, type Step, type StepBase, type StepKind } from './types';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

export function readSteps(r: Reader, node: JsonNode): Step[] {
  const items = r.array(node, '"steps"', 'write "steps": [ { "event": … }, { "expect": … } ]');
  if (!items) return [];
  const steps: Step[] = [];
  items.forEach((n, index) => {
    const step = readStep(r, n, index);
    if (step) steps.push(step);
  });
  return steps;
}

function readStep(r: Reader, node: JsonNode, index: number): Step | undefined {
  const props = r.object(node, `step ${index + 1}`, 'write a step like { "advance": "10m" }');
  if (!props) return undefined;
  // `{ "function": 9, "value": "open" }` is the short form of an event step by function id.
  const kinds = props.filter((p) => (STEP_KINDS as readonly string[]).includes(p.key) || p.key === 'function');
  if (kinds.length === 0) {
    if (props.length === 0) {
      r.error(node, 'step-empty', `step ${index + 1} is empty`, `write one of ${STEP_KINDS.join(', ')}`);
      return undefined;
    }
    const p = props[0];
    const s = suggestName(p.key, [...STEP_KINDS]);
    r.error(p.keyNode, 'step-kind-unknown', `unknown step kind "${p.key}"${s ? `; did you mean "${s}"?` : ''}`, s ? literalFix(`rename it to "${s}"`, JSON.stringify(s)) : `a step is one of ${STEP_KINDS.join(', ')}`);
    return undefined;
  }
  if (kinds.length > 1) {
    r.error(kinds[1].keyNode, 'step-kind-multiple', `a step does one thing, but this one has both "${kinds[0].key}" and "${kinds[1].key}"`, `split it into two steps: { "${kinds[0].key}": … }, { "${kinds[1].key}": … }`);
    return undefined;
  }
  const kindProp = kinds[0];
  const base: StepBase = { index, ...r.pos(node), at: {} };
  if (kindProp.key === 'function') return readShortEvent(r, node, props, base);
  for (const p of props) {
    if (p !== kindProp) r.error(p.keyNode, 'scenario-unknown-key', `unknown key "${p.key}" in a "${kindProp.key}" step; a step has only its kind's key`, 'remove it, or move it into the step\'s value');
  }
  return readKind(r, kindProp.key as StepKind, kindProp, base);
}

function readKind(r: Reader, kind: StepKind, p: JsonProperty, base: StepBase): Step | undefined {
  const v = p.valueNode;
  base.at.value = r.pos(v);
  switch (kind) {
    case 'event':
      return readEvent(r, v, base);
    case 'advance': {
      const d = parseDuration(nodeValue(v));
      if ('error' in d) {
        r.error(v, 'duration-invalid', d.error, DURATION_HELP);
        return undefined;
      }
      const raw = nodeValue(v);
      return { ...base, kind, ms: d.ms, text: typeof raw === 'string' ? raw : `${raw}ms` };
    }
    case 'advanceTo': {
      const t = parseTime(nodeValue(v), true);
      if ('error' in t) {
        r.error(v, 'time-invalid', t.error, TIME_HELP);
        return undefined;
      }
      return { ...base, kind, to: { text: String(nodeValue(v)), spec: t.spec, ...r.pos(v) } };
    }
    case 'mode': {
      const mode = r.string(v, '"mode"', { nonEmpty: true });
      return mode === undefined ? undefined : { ...base, kind, mode };
    }
    case 'position':
      return readPosition(r, v, base);
    case 'touch':
      return r.flag(v, '"touch"') ? { ...base, kind } : undefined;
    case 'uninstall':
      return r.flag(v, '"uninstall"') ? { ...base, kind } : undefined;
    case 'restart': {
      const what = nodeValue(v);
      if (typeof what === 'string' && (RESTART_TARGETS as readonly string[]).includes(what)) return { ...base, kind, what: what as RestartStep['what'] };
      const s = typeof what === 'string' ? suggestName(what, [...RESTART_TARGETS]) : undefined;
      r.error(v, 'scenario-value', `"restart" takes ${RESTART_TARGETS.map((t) => `"${t}"`).join(' or ')} (what to restart); got ${describeValue(what)}${s ? `; did you mean "${s}"?` : ''}`, 'write { "restart": "worker" }');
      return undefined;
    }
    case 'command':
      return readCommand(r, v, base);
    case 'call':
      return readCall(r, v, base);
    case 'update': {
      const config = readSourceRef(r, v, '"update"', 'a config object or the path of an instance.json');
      return config ? { ...base, kind, config } : undefined;
    }
    case 'expect': {
      const expect = readExpect(r, v, base.at);
      return expect ? { ...base, kind, expect } : undefined;
    }
  }
}

function readEvent(r: Reader, node: JsonNode, base: StepBase): Step | undefined {
  const props = r.object(node, '"event"', 'write { "event": { "device": "door", "attribute": "contact", "value": "open" } }');
  if (!props) return undefined;
  const k = r.keyed(props, ['device', 'attribute', 'function', 'value'], 'an event');
  const value = eventValue(r, k.get('value'), node);
  if (k.get('value')) base.at.value = r.pos(k.get('value')!.valueNode);
  const fn = k.get('function');
  if (fn) {
    for (const key of ['device', 'attribute']) {
      const extra = k.get(key);
      if (extra) r.error(extra.keyNode, 'event-shape', `an event names either "function" or "device" and "attribute", not both`, `remove "${key}"`);
    }
    const functionId = readFunctionId(r, fn.valueNode);
    if (functionId === undefined || value === undefined) return undefined;
    base.at.function = r.pos(fn.valueNode);
    return { ...base, kind: 'event', functionId, value };
  }
  const device = k.get('device');
  const attribute = k.get('attribute');
  if (!device || !attribute) {
    r.error(node, 'scenario-missing', `an event needs ${!device && !attribute ? '"device" and "attribute"' : !device ? '"device"' : '"attribute"'} (or "function")`, 'write { "device": "door", "attribute": "contact", "value": "open" }');
    return undefined;
  }
  const d = r.string(device.valueNode, '"device"', { nonEmpty: true });
  const a = r.string(attribute.valueNode, '"attribute"', { nonEmpty: true });
  if (d === undefined || a === undefined || value === undefined) return undefined;
  base.at.device = r.pos(device.valueNode);
  base.at.attribute = r.pos(attribute.valueNode);
  return { ...base, kind: 'event', device: d, attribute: a, value };
}

function readShortEvent(r: Reader, node: JsonNode, props: JsonProperty[], base: StepBase): Step | undefined {
  let fn: JsonProperty | undefined;
  let valueProp: JsonProperty | undefined;
  for (const p of props) {
    if (p.key === 'function') fn = p;
    else if (p.key === 'value') valueProp = p;
    else r.error(p.keyNode, 'scenario-unknown-key', `unknown key "${p.key}" in an event step by function id`, 'write { "function": 9, "value": "open" }');
  }
  const functionId = readFunctionId(r, fn!.valueNode);
  const value = eventValue(r, valueProp, node);
  if (valueProp) base.at.value = r.pos(valueProp.valueNode);
  if (functionId === undefined || value === undefined) return undefined;
  base.at.function = r.pos(fn!.valueNode);
  return { ...base, kind: 'event', functionId, value };
}

function readFunctionId(r: Reader, node: JsonNode): string | number | undefined {
  const v = nodeValue(node);
  if ((typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '')) return v;
  r.error(node, 'scenario-type', `"function" must be a function id (a number or string); got ${describeValue(v)}`);
  return undefined;
}

function eventValue(r: Reader, p: JsonProperty | undefined, owner: JsonNode): AttrValue | undefined {
  if (!p) {
    r.error(owner, 'scenario-missing', 'an event needs "value"', 'add "value": the new value of the attribute');
    return undefined;
  }
  const v = nodeValue(p.valueNode);
  if (v !== null && typeof v === 'object') {
    r.error(p.valueNode, 'scenario-type', `"value" must be a string, number, boolean or null; got ${describeValue(v)}`);
    return undefined;
  }
  return v as AttrValue;
}

function readPosition(r: Reader, node: JsonNode, base: StepBase): Step | undefined {
  const props = r.object(node, '"position"', 'write { "latitude": 59.33, "longitude": 18.07 }');
  if (!props) return undefined;
  const k = r.keyed(props, ['latitude', 'longitude'], '"position"');
  const lat = k.get('latitude');
  const lon = k.get('longitude');
  if (!lat || !lon) {
    r.error(node, 'scenario-missing', `"position" needs ${!lat && !lon ? '"latitude" and "longitude"' : !lat ? '"latitude"' : '"longitude"'}`, 'write { "latitude": 59.33, "longitude": 18.07 }');
    return undefined;
  }
  const latitude = r.number(lat.valueNode, '"latitude"', (n) => (n >= -90 && n <= 90 ? undefined : 'must be within -90..90'));
  const longitude = r.number(lon.valueNode, '"longitude"', (n) => (n >= -180 && n <= 180 ? undefined : 'must be within -180..180'));
  return latitude === undefined || longitude === undefined ? undefined : { ...base, kind: 'position', latitude, longitude };
}

function readCommand(r: Reader, node: JsonNode, base: StepBase): Step | undefined {
  const props = r.object(node, '"command"', 'write { "device": "lamp", "command": "on" }');
  if (!props) return undefined;
  const k = r.keyed(props, ['device', 'command', 'args'], '"command"');
  const device = k.get('device');
  const command = k.get('command');
  if (!device || !command) {
    r.error(node, 'scenario-missing', `"command" needs ${!device && !command ? '"device" and "command"' : !device ? '"device"' : '"command"'}`, 'write { "device": "lamp", "command": "on" }');
    return undefined;
  }
  const d = r.string(device.valueNode, '"device"', { nonEmpty: true });
  const c = r.string(command.valueNode, '"command"', { nonEmpty: true });
  const argsNode = k.get('args')?.valueNode;
  const args = argsNode ? r.array(argsNode, '"args"', 'write "args": [50]') : [];
  if (d === undefined || c === undefined || !args) return undefined;
  base.at.device = r.pos(device.valueNode);
  base.at.command = r.pos(command.valueNode);
  return { ...base, kind: 'command', device: d, command: c, args: args.map(nodeValue) };
}

function readCall(r: Reader, node: JsonNode, base: StepBase): Step | undefined {
  const props = r.object(node, '"call"', 'write { "method": "GET", "path": "/status" }');
  if (!props) return undefined;
  const k = r.keyed(props, ['method', 'path', 'body'], '"call"');
  const pathProp = k.get('path');
  if (!pathProp) {
    r.error(node, 'scenario-missing', '"call" needs "path"', 'write { "method": "GET", "path": "/status" }');
    return undefined;
  }
  const path = r.string(pathProp.valueNode, '"path"', { nonEmpty: true });
  if (path !== undefined && !path.startsWith('/')) {
    r.error(pathProp.valueNode, 'scenario-value', `"path" must start with "/"; got ${JSON.stringify(path)}`, `write "/${path}"`);
    return undefined;
  }
  let method = 'GET';
  const methodProp = k.get('method');
  if (methodProp) {
    const m = r.string(methodProp.valueNode, '"method"', { nonEmpty: true });
    if (m === undefined) return undefined;
    if (!HTTP_METHODS.includes(m.toUpperCase())) {
      r.error(methodProp.valueNode, 'scenario-value', `"method" must be one of ${HTTP_METHODS.join(', ')}; got ${JSON.stringify(m)}`);
      return undefined;
    }
    method = m.toUpperCase();
  }
  if (path === undefined) return undefined;
  const body = k.get('body');
  return { ...base, kind: 'call', method, path, ...(body ? { body: nodeValue(body.valueNode) } : {}) };
}

/** Inline object, or a path (resolved against the scenario file's folder). */
export function readSourceRef(r: Reader, node: JsonNode, what: string, expected: string): SourceRef | undefined {
  const pos: Pos = r.pos(node);
  if (node.type === 'object' || (node.type === 'array' && what === '"devices"')) {
    return { kind: 'inline', value: nodeValue(node), offset: node.offset, length: node.length, ...pos };
  }
  if (node.type === 'string' && String(node.value).trim() !== '') return { kind: 'file', path: String(node.value), ...pos };
  r.error(node, 'scenario-type', `${what} must be ${expected}; got ${describeValue(nodeValue(node))}`);
  return undefined;
}

