/** The `{ "expect": { … } }` step: every expectation's shape, checked where it is written. */
import { describeValue, nodeValue, type JsonNode } from '../app/json-tree';
import type { LogLevel } from '../engine/records';
import type { Reader } from './json-reader';
import { EXPECT_KEYS, type AttrValue, type CommandExpectation, type CountExpectation, type Expectations, type LogExpectation, type NotificationExpectation, type Pos } from './types';

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Reads an expect object; `at` receives positions of parts that setup checks later. */
export function readExpect(r: Reader, node: JsonNode, at: Record<string, Pos>): Expectations | undefined {
  const props = r.object(node, '"expect"', 'write { "expect": { "commands": [ … ] } }');
  if (!props) return undefined;
  const byKey = r.keyed(props, EXPECT_KEYS, 'an expect step');
  const e: Expectations = {};
  const before = r.problems.length;
  for (const [key, p] of byKey) {
    const v = p.valueNode;
    at[key] = r.pos(v);
    switch (key) {
      case 'commands':
        // A list of commands, or how many: "none", 2, { "atMost": 3 }.
        if (v.type === 'array') e.commands = list(r, v, '"commands"', (n, i) => readCommand(r, n, `commands[${i}]`, at));
        else e.commandCount = readCount(r, v, 'commands', at, 'a list of commands ([{ "device": "lamp", "command": "on" }]) or how many');
        break;
      case 'executions':
        e.executions = readCount(r, v, 'executions', at, 'how many');
        break;
      case 'exactly':
        e.exactly = r.boolean(v, '"exactly"');
        break;
      case 'noCommands':
        if (r.flag(v, '"noCommands"')) e.noCommands = true;
        break;
      case 'attributes':
        e.attributes = readAttributes(r, v, at);
        break;
      case 'notifications':
        e.notifications = list(r, v, '"notifications"', (n) => readNotification(r, n));
        break;
      case 'logs':
        e.logs = list(r, v, '"logs"', (n) => readLog(r, n));
        break;
      case 'noLogs': {
        const props2 = r.object(v, '"noLogs"', 'write { "level": "error" }');
        if (!props2) break;
        const k = r.keyed(props2, ['level', 'contains'], '"noLogs"');
        const level = k.get('level');
        const contains = k.get('contains');
        e.noLogs = {
          ...(level ? { level: readLevel(r, level.valueNode) } : {}),
          ...(contains ? { contains: r.string(contains.valueNode, '"contains"') } : {}),
        };
        break;
      }
      case 'errors':
        e.errors = list(r, v, '"errors"', (n) => {
          const ps = r.object(n, 'an expected error', 'write { "contains": "text of the error" }');
          if (!ps) return undefined;
          const c = r.keyed(ps, ['contains'], 'an expected error').get('contains');
          if (!c) {
            r.error(n, 'scenario-missing', 'an expected error needs "contains"', 'write { "contains": "text of the error" }');
            return undefined;
          }
          const text = r.string(c.valueNode, '"contains"');
          return text === undefined ? undefined : { contains: text };
        });
        break;
      case 'state':
        e.state = nodeValue(v);
        e.hasState = true;
        break;
      case 'mode':
        e.mode = r.string(v, '"mode"', { nonEmpty: true });
        break;
      case 'response': {
        const ps = r.object(v, '"response"', 'write { "status": 200, "body": { … } }');
        if (!ps) break;
        const k = r.keyed(ps, ['status', 'body'], '"response"');
        const status = k.get('status');
        const body = k.get('body');
        e.response = {
          ...(status ? { status: r.number(status.valueNode, '"status"', (n) => (Number.isInteger(n) && n >= 100 && n <= 599 ? undefined : 'must be an HTTP status (100-599)')) } : {}),
          ...(body ? { body: nodeValue(body.valueNode) } : {}),
          hasBody: body !== undefined,
        };
        break;
      }
      case 'subscriptions':
      case 'jobs':
        e[key] = readCountOrNames(r, v, `"${key}"`);
        break;
    }
  }
  if (e.exactly !== undefined && e.commands === undefined && e.notifications === undefined && byKey.has('exactly')) {
    if (e.commandCount) r.warn(byKey.get('exactly')!.keyNode, 'expect-exactly-alone', '"exactly" applies to lists of "commands" and "notifications"; a count of commands says how many by itself', 'remove "exactly"');
    else r.warn(byKey.get('exactly')!.keyNode, 'expect-exactly-alone', '"exactly" applies to "commands" and "notifications", and this expect has neither', 'add "commands": [] to expect no commands, or remove "exactly"');
  }
  if (props.length === 0) r.error(node, 'expect-empty', 'this expect checks nothing', `add one of ${EXPECT_KEYS.join(', ')}`);
  return r.problems.length === before || r.problems.slice(before).every((p) => p.severity !== 'error') ? e : undefined;
}

function list<T>(r: Reader, node: JsonNode, what: string, read: (n: JsonNode, i: number) => T | undefined): T[] | undefined {
  const items = r.array(node, what);
  if (!items) return undefined;
  const out: T[] = [];
  items.forEach((n, i) => {
    const v = read(n, i);
    if (v !== undefined) out.push(v);
  });
  return out;
}

function readCommand(r: Reader, node: JsonNode, path: string, at: Record<string, Pos>): CommandExpectation | undefined {
  const props = r.object(node, 'an expected command', 'write { "device": "lamp", "command": "on" }');
  if (!props) return undefined;
  const k = r.keyed(props, ['device', 'command', 'args'], 'an expected command');
  const device = k.get('device');
  const command = k.get('command');
  if (!device || !command) {
    r.error(node, 'scenario-missing', `an expected command needs ${!device && !command ? '"device" and "command"' : !device ? '"device"' : '"command"'}`, 'write { "device": "lamp", "command": "on" }');
    return undefined;
  }
  const d = r.string(device.valueNode, '"device"', { nonEmpty: true });
  const c = r.string(command.valueNode, '"command"', { nonEmpty: true });
  const argsNode = k.get('args')?.valueNode;
  const args = argsNode ? r.array(argsNode, '"args"', 'write "args": [50]')?.map(nodeValue) : undefined;
  if (d === undefined || c === undefined || (argsNode && !args)) return undefined;
  at[`${path}.device`] = r.pos(device.valueNode);
  at[`${path}.command`] = r.pos(command.valueNode);
  return { device: d, command: c, ...(args ? { args } : {}) };
}

function readAttributes(r: Reader, node: JsonNode, at: Record<string, Pos>): Expectations['attributes'] {
  const props = r.object(node, '"attributes"', 'write { "lamp.switch": "on" }');
  if (!props) return undefined;
  const out: NonNullable<Expectations['attributes']> = [];
  for (const p of props) {
    const dot = p.key.lastIndexOf('.');
    if (dot <= 0 || dot === p.key.length - 1) {
      r.error(p.keyNode, 'expect-attribute-key', `"${p.key}" does not name a device attribute; write "<device>.<attribute>"`, 'e.g. "lamp.switch"');
      continue;
    }
    const v = nodeValue(p.valueNode);
    if (v !== null && typeof v === 'object') {
      r.error(p.valueNode, 'scenario-type', `the value of "${p.key}" must be a string, number, boolean or null; got ${describeValue(v)}`);
      continue;
    }
    at[`attributes.${p.key}`] = r.pos(p.keyNode);
    out.push({ key: p.key, device: p.key.slice(0, dot), attribute: p.key.slice(dot + 1), value: v as AttrValue });
  }
  return out;
}

function readNotification(r: Reader, node: JsonNode): NotificationExpectation | undefined {
  const props = r.object(node, 'an expected notification', 'write { "contains": "text" }');
  if (!props) return undefined;
  const k = r.keyed(props, ['output', 'contains', 'message'], 'an expected notification');
  const out: NotificationExpectation = {};
  const output = k.get('output');
  if (output) {
    const v = nodeValue(output.valueNode);
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) out.output = v;
    else r.error(output.valueNode, 'scenario-type', `"output" must be a notification output id (a number or string); got ${describeValue(v)}`);
  }
  const contains = k.get('contains');
  if (contains) out.contains = r.string(contains.valueNode, '"contains"');
  const message = k.get('message');
  if (message) out.message = r.string(message.valueNode, '"message"');
  return out;
}

function readLog(r: Reader, node: JsonNode): LogExpectation | undefined {
  const props = r.object(node, 'an expected log', 'write { "level": "info", "contains": "text" }');
  if (!props) return undefined;
  const k = r.keyed(props, ['level', 'contains'], 'an expected log');
  const contains = k.get('contains');
  if (!contains) {
    r.error(node, 'scenario-missing', 'an expected log needs "contains"', 'write { "contains": "text of the log line" }');
    return undefined;
  }
  const text = r.string(contains.valueNode, '"contains"');
  const levelProp = k.get('level');
  const level = levelProp ? readLevel(r, levelProp.valueNode) : undefined;
  if (text === undefined || (levelProp && !level)) return undefined;
  return { contains: text, ...(level ? { level } : {}) };
}

function readLevel(r: Reader, node: JsonNode): LogLevel | undefined {
  const v = nodeValue(node);
  if (typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  r.error(node, 'scenario-value', `"level" must be one of ${LOG_LEVELS.join(', ')}; got ${describeValue(v)}`);
  return undefined;
}

function readCountOrNames(r: Reader, node: JsonNode, what: string): number | string[] | undefined {
  const v = nodeValue(node);
  if (typeof v === 'number') return r.number(node, what, (n) => (Number.isInteger(n) && n >= 0 ? undefined : 'must be a whole number >= 0'));
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  r.error(node, 'scenario-type', `${what} must be a count or an array of handler names; got ${describeValue(v)}`, `write ${what}: 1 or ${what}: ["handlerName"]`);
  return undefined;
}

const COUNT_KEYS = ['count', 'atLeast', 'atMost', 'app'];
const COUNT_HELP = 'write "none", a number (exactly that many), or { "atMost": 3 } / { "atLeast": 1 } / { "count": 2 }, with "app": "<label>" to count one app only';

/**
 * A count expectation: `"none"`, a whole number (exactly), or an object of `count` | `atLeast` and/or
 * `atMost`, with an optional `app` (a label, checked at setup; its place goes into `at`).
 */
function readCount(r: Reader, node: JsonNode, key: string, at: Record<string, Pos>, what: string): CountExpectation | undefined {
  const v = nodeValue(node);
  const whole = (n: JsonNode, name: string) => r.number(n, name, (x) => (Number.isInteger(x) && x >= 0 ? undefined : 'must be a whole number >= 0'));
  if (v === 'none') return { atLeast: 0, atMost: 0, text: 'none' };
  if (typeof v === 'number') {
    const n = whole(node, `"${key}"`);
    return n === undefined ? undefined : { atLeast: n, atMost: n, text: String(n) };
  }
  if (node.type !== 'object') {
    const fix = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? `write ${v.trim()} (a number, no quotes)` : typeof v === 'string' && /^(no|nothing|zero|never)$/i.test(v.trim()) ? 'write "none"' : COUNT_HELP;
    r.error(node, 'scenario-type', `"${key}" must be ${what}: "none", a number or { "atMost": n }; got ${describeValue(v)}`, fix);
    return undefined;
  }
  const k = r.keyed(r.object(node, `"${key}"`) ?? [], COUNT_KEYS, `"${key}"`);
  const count = k.get('count');
  const least = k.get('atLeast');
  const most = k.get('atMost');
  const appProp = k.get('app');
  const before = r.problems.length;
  if (count && (least || most)) r.error((least ?? most)!.keyNode, 'expect-count-shape', `"count" is an exact number; it does not go with "${least ? 'atLeast' : 'atMost'}"`, `remove "${least ? 'atLeast' : 'atMost'}", or "count"`);
  if (!count && !least && !most) {
    r.error(node, 'scenario-missing', `"${key}" needs "count", "atLeast" or "atMost"`, COUNT_HELP);
    return undefined;
  }
  const c = count ? whole(count.valueNode, '"count"') : undefined;
  const lo = least ? whole(least.valueNode, '"atLeast"') : undefined;
  const hi = most ? whole(most.valueNode, '"atMost"') : undefined;
  if (lo !== undefined && hi !== undefined && lo > hi) r.error(least!.valueNode, 'scenario-value', `"atLeast" (${lo}) is more than "atMost" (${hi}), so nothing can pass`, 'swap them');
  const app = appProp ? r.string(appProp.valueNode, '"app"', { nonEmpty: true }) : undefined;
  if (appProp) at[`${key}.app`] = r.pos(appProp.valueNode);
  if (r.problems.slice(before).some((p) => p.severity === 'error') || (count && c === undefined) || (least && lo === undefined) || (most && hi === undefined) || (appProp && app === undefined)) return undefined;
  const atLeast = c ?? lo ?? 0;
  const atMost = c ?? hi;
  const text = c !== undefined ? (c === 0 ? 'none' : String(c)) : atMost === undefined ? `at least ${atLeast}` : lo === undefined ? `at most ${atMost}` : `${atLeast} to ${atMost}`;
  return { atLeast, ...(atMost !== undefined ? { atMost } : {}), ...(app !== undefined ? { app } : {}), text };
}
