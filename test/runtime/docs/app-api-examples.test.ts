/**
 * Runs every example of docs/app-api.md, so a wrong example fails CI. The convention the examples
 * follow is described in the comment at the top of that file; in short, each ```js block is a
 * complete app.js, preceded by an HTML comment `<!-- example: key=value … -->` that says which
 * devices, inputs, config and interactions it runs with (or `<!-- package: name=… -->` for an app
 * that other examples add as a child app).
 *
 * Besides the examples, this file holds the doc to the runtime: the capability tables must be the
 * ones generated from the catalogue, and every global, handle member and event field the sandbox
 * offers must appear in at least one example.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vm from 'node:vm';
import { parseAppJson } from '../../../runtime/app';
import type { InputSpec } from '../../../runtime/app';
import { VirtualClock } from '../../../runtime/clock/virtual-clock';
import { allCapabilities } from '../../../runtime/devices/capabilities';
import type { AttributeSpec, DeviceSpec } from '../../../runtime/devices/types';
import { formatSignature } from '../../../runtime/devices/values';
import type { AppSource } from '../../../runtime/engine/installed-app';
import type { LocationSpec } from '../../../runtime/engine/location';
import type { AppErrorRecord, LogRecord } from '../../../runtime/engine/records';
import { ThingEngine } from '../../../runtime/engine/thing-engine';

const DOC_FILE = join(__dirname, '../../../docs/app-api.md');
const DOC = readFileSync(DOC_FILE, 'utf8');
const DEFAULT_START = '2024-06-21T12:00:00Z';
/** Set to regenerate the capability tables in the doc instead of failing on a difference. */
const UPDATE = process.env.SMARTPLUG_UPDATE_DOCS === '1';

// ------------------------------------------------------------------ parsing the doc

type Attrs = Record<string, unknown>;

interface Block {
  kind: 'example' | 'package';
  line: number;
  heading: string;
  attrs: Attrs;
  code: string;
}

type Step =
  | { event: string }
  | { command: unknown[] }
  | { advance: number | string }
  | { touch: true }
  | { mode: string }
  | { position: [number, number] }
  | { update: Record<string, unknown> }
  | { uninstall: true }
  | { call: string; body?: unknown; status?: number; json?: unknown };

const KEYS: Record<Block['kind'], readonly string[]> = {
  example: ['devices', 'inputs', 'config', 'steps', 'expect', 'runtime', 'errors', 'location', 'start'],
  package: ['name', 'inputs'],
};

function lineAt(offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (DOC.charCodeAt(i) === 10) n++;
  return n;
}

/** Length of the JSON value starting at `from` (object, array or string), by bracket matching. */
function jsonLength(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1 - from;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1 - from;
    }
  }
  throw new Error(`unterminated JSON value: ${text.slice(from, from + 60)}`);
}

/** `key=value key=value`: a value is JSON (object, array or string) or a word without spaces. */
function parseAttrs(body: string, kind: Block['kind'], line: number): Attrs {
  const out: Attrs = {};
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i])) i++;
    if (i >= body.length) break;
    const m = /^([A-Za-z]+)=/.exec(body.slice(i));
    if (!m) throw new Error(`line ${line}: expected key=value at "${body.slice(i, i + 30)}"`);
    const key = m[1];
    if (!KEYS[kind].includes(key)) throw new Error(`line ${line}: unknown ${kind} key "${key}"; known: ${KEYS[kind].join(', ')}`);
    if (key in out) throw new Error(`line ${line}: key "${key}" given twice`);
    i += m[0].length;
    if ('{["'.includes(body[i])) {
      const len = jsonLength(body, i);
      const text = body.slice(i, i + len);
      try {
        out[key] = JSON.parse(text);
      } catch (e) {
        throw new Error(`line ${line}: ${key} is not JSON: ${(e as Error).message}: ${text}`);
      }
      i += len;
    } else {
      const start = i;
      while (i < body.length && !/\s/.test(body[i])) i++;
      out[key] = body.slice(start, i);
    }
  }
  return out;
}

function parseDoc(): { blocks: Block[]; jsFences: number } {
  const blocks: Block[] = [];
  const re = /<!--\s*(example|package):([\s\S]*?)-->[ \t]*\r?\n(?:[ \t]*\r?\n)*```js\r?\n([\s\S]*?)\r?\n```/g;
  for (let m = re.exec(DOC); m; m = re.exec(DOC)) {
    const kind = m[1] as Block['kind'];
    const line = lineAt(m.index);
    const before = DOC.slice(0, m.index);
    const headings = before.match(/^#{1,6} .*$/gm);
    const heading = headings ? headings[headings.length - 1].replace(/^#+\s*/, '') : '(top)';
    blocks.push({ kind, line, heading, attrs: parseAttrs(m[2], kind, line), code: m[3] });
  }
  const jsFences = (DOC.match(/^```js\s*$/gm) ?? []).length;
  return { blocks, jsFences };
}

// ------------------------------------------------------------------ building apps and devices

function parseDevices(text: unknown, line: number): DeviceSpec[] {
  if (text === undefined) return [];
  if (typeof text !== 'string') throw new Error(`line ${line}: devices must be written id:cap,cap;id:cap`);
  return text.split(';').filter(Boolean).map((part) => {
    const [id, caps] = part.split(':');
    if (!id || !caps) throw new Error(`line ${line}: device "${part}" must be written id:capability,capability`);
    return { id, label: id, capabilities: caps.split(',') };
  });
}

/** What a config value stands for when the example declares no input for it (see the doc's header). */
function inferInput(name: string, value: unknown, devices: DeviceSpec[], functionIds: Set<string>, line: number): InputSpec {
  const deviceIds = new Set(devices.map((d) => d.id));
  const isDevice = (v: unknown) => typeof v === 'string' && deviceIds.has(v);
  const isFunction = (v: unknown) => (typeof v === 'string' || typeof v === 'number') && functionIds.has(String(v));
  if (isDevice(value)) return { type: 'single_device_selector' };
  if (isFunction(value)) return { type: 'single_function_selector' };
  if (Array.isArray(value) && value.length > 0 && value.every(isDevice)) return { type: 'multi_device_selector' };
  if (Array.isArray(value) && value.length > 0 && value.every(isFunction)) return { type: 'multi_function_selector' };
  if (typeof value === 'number') return { type: 'number' };
  if (typeof value === 'boolean') return { type: 'toggle' };
  if (typeof value === 'string') return { type: 'text' };
  throw new Error(`line ${line}: cannot infer the input type of config "${name}"; declare it in inputs=`);
}

function functionIdsOf(devices: DeviceSpec[]): Set<string> {
  const ids = new Set<string>();
  for (const d of devices) {
    for (const cap of allCapabilities().filter((c) => d.capabilities.includes(c.id))) {
      for (const a of cap.attributes) ids.add(`${d.id}.${a.name}`);
    }
  }
  return ids;
}

/** app.json text for the inputs, with every top-level input on one guide page; must parse cleanly. */
function appJsonFor(name: string, inputs: Record<string, InputSpec>, line: number): AppSource['appJson'] {
  const inRepeat = new Set(Object.values(inputs).flatMap((i) => (i.type === 'repeat' ? i.input_fields : [])));
  const topLevel = Object.keys(inputs).filter((n) => !inRepeat.has(n));
  const appJson = { name, input: inputs, guide: topLevel.length ? [{ id: 'main', title: 'Settings', input_fields: topLevel }] : [] };
  const parsed = parseAppJson(JSON.stringify(appJson, null, 2), 'app.json');
  assert.deepEqual(parsed.problems.map((p) => `${p.severity}: ${p.message}`), [], `line ${line}: the app.json built from the example's inputs has problems`);
  return parsed.appJson!;
}

function packageSource(b: Block): AppSource {
  const name = b.attrs.name;
  if (typeof name !== 'string') throw new Error(`line ${b.line}: a package needs name=`);
  const inputs = (b.attrs.inputs ?? {}) as Record<string, InputSpec>;
  return { name, scriptFile: `/apps/${name}/app.js`, appJson: appJsonFor(name, inputs, b.line), script: b.code };
}

function seconds(v: number | string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(v);
  if (!m) throw new Error(`advance "${v}": use seconds or a number with s, m, h or d`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

interface Outcome {
  appErrors: AppErrorRecord[];
  runtimeLogs: LogRecord[];
  appLogs: string[];
}

async function runExample(b: Block, packages: AppSource[]): Promise<Outcome> {
  const start = typeof b.attrs.start === 'string' ? b.attrs.start : DEFAULT_START;
  const clock = new VirtualClock(Date.parse(start));
  const engine = new ThingEngine({ clock, location: b.attrs.location as Partial<LocationSpec> | undefined });
  const out: Outcome = { appErrors: [], runtimeLogs: [], appLogs: [] };
  engine.on('appError', (r) => out.appErrors.push(r));
  engine.on('log', (r) => {
    if (r.source === 'app') out.appLogs.push(r.message);
    else if (r.level === 'warn' || r.level === 'error') out.runtimeLogs.push(r);
  });
  try {
    const devices = parseDevices(b.attrs.devices, b.line);
    for (const d of devices) engine.addDevice(d);
    for (const p of packages) engine.registerPackage(p);
    const config = (b.attrs.config ?? {}) as Record<string, unknown>;
    const declared = (b.attrs.inputs ?? {}) as Record<string, InputSpec>;
    const fnIds = functionIdsOf(devices);
    const inputs: Record<string, InputSpec> = { ...declared };
    for (const [k, v] of Object.entries(config)) if (!(k in inputs)) inputs[k] = inferInput(k, v, devices, fnIds, b.line);
    const name = `example-line-${b.line}`;
    const source: AppSource = { name, scriptFile: `/apps/${name}/app.js`, appJson: appJsonFor(name, inputs, b.line), script: b.code };
    const info = engine.install({ source, config, label: name });
    for (const step of (b.attrs.steps ?? []) as Step[]) {
      if ('event' in step) {
        const m = /^([^.=]+)\.([^=]+)=(.*)$/.exec(step.event);
        if (!m) throw new Error(`line ${b.line}: event "${step.event}" must be device.attribute=value`);
        engine.deviceEvent(m[1], m[2], m[3]);
      } else if ('command' in step) {
        const [device, command, ...args] = step.command as [string, string, ...unknown[]];
        engine.sendCommand(device, command, args);
      } else if ('advance' in step) clock.advance(seconds(step.advance) * 1000);
      else if ('touch' in step) engine.touch(info.id);
      else if ('mode' in step) engine.setMode(step.mode);
      else if ('position' in step) engine.setPosition(step.position[0], step.position[1]);
      else if ('update' in step) engine.update(info.id, step.update);
      else if ('uninstall' in step) engine.uninstall(info.id);
      else if ('call' in step) {
        const [method, url] = step.call.split(' ');
        const r = engine.callEndpoint(info.id, method, url, step.body);
        if (step.status !== undefined) assert.equal(r.status, step.status, `line ${b.line}: ${step.call} answered ${r.status} ${JSON.stringify(r.body)}`);
        if ('json' in step) assert.deepEqual(r.body, step.json, `line ${b.line}: ${step.call} body`);
      } else throw new Error(`line ${b.line}: unknown step ${JSON.stringify(step)}`);
    }
    // Async handlers finish in later microtasks.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    engine.dispose();
  }
  return out;
}

/** Each expected text occurs in a later line than the previous one. */
function assertInOrder(lines: string[], expected: string[], what: string, line: number): void {
  let from = 0;
  for (const text of expected) {
    const i = lines.findIndex((l, idx) => idx >= from && l.includes(text));
    if (i < 0) assert.fail(`line ${line}: expected ${what} containing ${JSON.stringify(text)} (in order); got:\n${lines.join('\n')}`);
    from = i + 1;
  }
}

// ------------------------------------------------------------------ capability tables

function valuesText(a: AttributeSpec): string {
  const unit = a.unit ? ` ${a.unit}` : '';
  let text: string;
  if (a.kind === 'enum') text = (a.values ?? []).map((v) => `\`${v}\``).join(', ');
  else if (a.kind === 'number') {
    if (a.min !== undefined && a.max !== undefined) text = `${a.min} to ${a.max}${unit}`;
    else if (a.min !== undefined) text = `≥ ${a.min}${unit}`;
    else if (a.max !== undefined) text = `≤ ${a.max}${unit}`;
    else text = `any number${unit}`;
  } else text = a.kind;
  if (a.momentary) text += ' (every report is an event)';
  return text;
}

function capabilityTables(): string {
  const rows = ['| Capability | Attribute | Function type | Values | Initial |', '|---|---|---|---|---|'];
  for (const cap of allCapabilities()) {
    if (cap.attributes.length === 0) rows.push(`| \`${cap.id}\` | (none) | | | |`);
    cap.attributes.forEach((a, i) => {
      const initial = a.initial === null ? 'none' : `\`${a.initial}\``;
      rows.push(`| ${i === 0 ? `\`${cap.id}\`` : ''} | \`${a.name}\` | \`${a.functionType}\` | ${valuesText(a)} | ${initial} |`);
    });
  }
  // "Function type": the functions whose handles have the command too (CommandSpec.attribute).
  const cmds = ['| Capability | Command | Function type | What it does |', '|---|---|---|---|'];
  for (const cap of allCapabilities()) {
    if (cap.commands.length === 0) cmds.push(`| \`${cap.id}\` | (none: the device only reports) | | |`);
    cap.commands.forEach((c, i) => {
      const type = cap.attributes.find((a) => a.name === c.attribute)?.functionType;
      cmds.push(`| ${i === 0 ? `\`${cap.id}\`` : ''} | \`${formatSignature(c).replace(/\|/g, '\\|')}\` | ${type ? `\`${type}\`` : '(device only)'} | ${c.description} |`);
    });
  }
  return `${rows.join('\n')}\n\n${cmds.join('\n')}`;
}

const BEGIN = '<!-- capabilities:begin (generated from runtime/devices/capabilities; do not edit by hand) -->';
const END = '<!-- capabilities:end -->';

// ------------------------------------------------------------------ the API surface, read from a live sandbox

const SURFACE_SCRIPT = `
function installed() {
  if (parent) return
  subscribe(settings.d, 'switch', onSwitch)
  subscribe(app, onTouch)
  subscribe(location, 'mode', onMode)
  const std = new Set(JSON.parse(config.std))
  const names = (o) => Object.getOwnPropertyNames(o)
  log.info(JSON.stringify({
    globals: names(globalThis).filter((n) => !std.has(n)),
    // Non-enumerable members of a device handle are its current<Attr> getters and the explanations
    // for commands of other capabilities, which are not API of their own; a function handle's
    // non-enumerable members are such explanations too.
    device: Object.keys(settings.d).concat(names(settings.d).filter((n) => n.startsWith('current'))), fn: Object.keys(settings.f), location: names(location), app: names(app),
    notification: names(settings.n), attrs: settings.d.supportedAttributes,
    child: names(addChildApp(app.name, 'child', { std: config.std, d: 'lamp', f: 'lamp.switch', n: 1 })),
  }))
}
function onSwitch(evt) { log.info(JSON.stringify({ event: names2(evt) })) }
function onTouch(evt) { log.info(JSON.stringify({ touch: names2(evt) })) }
function onMode(evt) { log.info(JSON.stringify({ mode: names2(evt) })) }
function names2(evt) { return Object.getOwnPropertyNames(evt).concat(Object.getOwnPropertyNames(Object.getPrototypeOf(evt))) }
`;

function liveSurface(): Record<string, string[]> {
  const std = vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[];
  const engine = new ThingEngine({ clock: new VirtualClock(Date.parse(DEFAULT_START)) });
  const surface: Record<string, string[]> = {};
  engine.on('log', (r) => {
    if (r.source === 'app' && r.message.startsWith('{')) Object.assign(surface, JSON.parse(r.message));
  });
  engine.on('appError', (r) => assert.fail(`surface probe failed: ${r.message}`));
  engine.addDevice({ id: 'lamp', label: 'lamp', capabilities: ['switch'] });
  const input = {
    std: { type: 'text' }, d: { type: 'single_device_selector' }, f: { type: 'single_function_selector' },
    n: { type: 'single_notification_output_selector' },
  } as Record<string, InputSpec>;
  const source: AppSource = { name: 'surface', scriptFile: '/surface/app.js', appJson: { input, guide: [] }, script: SURFACE_SCRIPT };
  const info = engine.install({ source, config: { std: JSON.stringify(std), d: 'lamp', f: 'lamp.switch', n: 1 } });
  engine.sendCommand('lamp', 'on');
  engine.touch(info.id);
  engine.setMode('Away');
  engine.dispose();
  return surface;
}

// ------------------------------------------------------------------ tests

describe('docs/app-api.md', () => {
  const { blocks, jsFences } = parseDoc();
  const examples = blocks.filter((b) => b.kind === 'example');
  const packages = blocks.filter((b) => b.kind === 'package').map(packageSource);

  it('marks every ```js block as an example or a package', () => {
    assert.ok(examples.length > 0, 'no examples found');
    assert.equal(blocks.length, jsFences, 'a ```js block lacks its <!-- example: … --> or <!-- package: … --> comment right before it');
  });

  it('names each package once', () => {
    const names = packages.map((p) => p.name);
    assert.deepEqual(names, [...new Set(names)]);
  });

  describe('examples', () => {
    for (const b of examples) {
      it(`line ${b.line} (${b.heading})`, async () => {
        let outcome: Outcome;
        try {
          outcome = await runExample(b, packages);
        } catch (e) {
          assert.fail(`line ${b.line}: the example does not install or run: ${e instanceof Error ? e.message : String(e)}`);
        }
        const errors = (b.attrs.errors ?? []) as string[];
        const got = outcome.appErrors.map((r) => `${r.handler}: ${r.message}${r.line ? ` (app.js:${r.line})` : ''}`);
        if (errors.length === 0) assert.deepEqual(got, [], `line ${b.line}: the example raised appErrors`);
        else {
          assertInOrder(got, errors, 'appErrors', b.line);
          assert.equal(got.length, errors.length, `line ${b.line}: unexpected appErrors:\n${got.join('\n')}`);
        }
        const allowed = (b.attrs.runtime ?? []) as string[];
        const runtime = outcome.runtimeLogs.filter((r) => !got.some((g) => g.includes(r.message.replace(/^[^:]*: /, ''))));
        const lines = runtime.map((r) => `${r.level}: ${r.message}`);
        assertInOrder(lines, allowed, 'runtime warnings', b.line);
        const unexpected = lines.filter((l) => !allowed.some((a) => l.includes(a)));
        assert.deepEqual(unexpected, [], `line ${b.line}: unexpected runtime warnings or errors`);
        assertInOrder(outcome.appLogs, (b.attrs.expect ?? []) as string[], 'app log lines', b.line);
      });
    }
  });

  describe('the example runner itself', () => {
    const block = (attrs: Attrs, code: string): Block => ({ kind: 'example', line: 0, heading: 'self-test', attrs, code });

    it('reports an error thrown by installed()', async () => {
      const out = await runExample(block({}, 'function installed() { settings.lamp.on() }'), packages);
      assert.equal(out.appErrors.length, 1);
      assert.match(out.appErrors[0].message, /Cannot read properties of undefined/);
    });

    it('rejects an app that does not install, and a config that does not fit', async () => {
      await assert.rejects(runExample(block({}, 'function installed() { runIn(1, "nope") }'), packages), /"nope" is not a function defined in app.js/);
      await assert.rejects(runExample(block({ devices: 'lamp:switch', config: { lamp: 'lamp' }, inputs: { lamp: { type: 'single_function_selector' } } }, ''), packages), /does not fit its app.json/);
    });

    it('runs steps, and reports errors of handlers they trigger', async () => {
      const out = await runExample(block({ devices: 'door:contactSensor', config: { door: 'door' }, steps: [{ event: 'door.contact=open' }] },
        'function installed() { subscribe(settings.door, "contact", h) }\nfunction h(evt) { log.info(evt.value); null.x }'), packages);
      assert.deepEqual(out.appLogs, ['open']);
      assert.equal(out.appErrors[0]?.handler, 'h');
    });
  });

  it('has capability tables generated from the catalogue', () => {
    const begin = DOC.indexOf(BEGIN);
    const end = DOC.indexOf(END);
    assert.ok(begin >= 0 && end > begin, `the doc needs the markers ${BEGIN} … ${END}`);
    const current = DOC.slice(begin + BEGIN.length, end).trim();
    const wanted = capabilityTables();
    if (UPDATE && current !== wanted) {
      writeFileSync(DOC_FILE, `${DOC.slice(0, begin + BEGIN.length)}\n${wanted}\n${DOC.slice(end)}`);
      return;
    }
    assert.equal(current, wanted, 'the capability tables are out of date; run with SMARTPLUG_UPDATE_DOCS=1 to regenerate them');
  });

  it('shows every global, handle member and event field in at least one example', () => {
    const surface = liveSurface();
    const attrGetters = new Set((surface.attrs ?? []).map((a) => 'current' + a.charAt(0).toUpperCase() + a.slice(1)));
    const own = [...SURFACE_SCRIPT.matchAll(/function (\w+)/g)].map((m) => m[1]);
  const generic = new Set(['toString', 'toJSON', '__spg', ...own]);
    const code = blocks.map((b) => b.code).join('\n');
    const missing: string[] = [];
    for (const group of ['globals', 'device', 'fn', 'location', 'app', 'child', 'event', 'touch', 'mode']) {
      assert.ok(surface[group]?.length, `the surface probe found no ${group}`);
      for (const name of surface[group]) {
        if (generic.has(name) || (group === 'device' && attrGetters.has(name))) continue;
        if (!new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`).test(code)) missing.push(`${group}.${name}`);
      }
    }
    assert.deepEqual([...new Set(missing)], [], 'these parts of the script API appear in no example');
  });
});
