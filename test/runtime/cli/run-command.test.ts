import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BIDI, BIDI_SHOWN, ESCAPES_SHOWN, EVIL, FORGED, FORGED_LINE, FORGED_SHOWN, RAW_CONTROL } from './hostile-text';
import { assertFreshDist } from '../../support/fresh-dist';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'smartplug.js');

function smartplug(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 20_000, cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const APP_JSON = {
  name: 'Porch light',
  version: '1.0.0',
  author: 'test',
  licence: 'MIT',
  input: {
    sensor: { type: 'single_device_selector', name: 'Motion sensor', required: true },
    light: { type: 'single_device_selector', name: 'Light', required: true },
    minutes: { type: 'number', name: 'Minutes', default: 5 },
  },
  guide: [{ id: 'p1', title: 'Devices', input_fields: ['sensor', 'light', 'minutes'] }],
};
const DEVICES = [
  { id: 'pir', label: 'Porch motion', capabilities: ['motionSensor'] },
  { id: 'porch', label: 'Porch light', capabilities: ['switch'] },
];

function appDir(script: string, appJson: unknown = APP_JSON): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-run-'));
  mkdirSync(path.join(dir, 'app'));
  writeFileSync(path.join(dir, 'app', 'app.json'), JSON.stringify(appJson, null, 2));
  writeFileSync(path.join(dir, 'app', 'app.js'), script);
  writeFileSync(path.join(dir, 'devices.json'), JSON.stringify(DEVICES, null, 2));
  writeFileSync(path.join(dir, 'instance.json'), JSON.stringify({ config: { sensor: 'pir', light: 'porch', minutes: 5 } }, null, 2));
  return dir;
}

const GOOD = `function installed() { subscribe(settings.sensor, "motion.active", onMotion) }
function onMotion(evt) {
  settings.light.on()
  state.count = (state.count || 0) + 1
  log.info("motion", state.count)
  runIn(settings.minutes * 60, "lightOff")
}
function lightOff() { settings.light.off() }
`;

const args = (dir: string, ...more: string[]) => ['run', path.join(dir, 'app'), '--config', path.join(dir, 'instance.json'), '--devices', path.join(dir, 'devices.json'), '--virtual', '--start', '2024-06-21T12:00:00Z', '--no-color', ...more];

describe('smartplug run', function () {
  before(() => assertFreshDist());
  this.timeout(30_000);

  it('names an app that keeps stopping the worker, and status lists it as quarantined with the reason', () => {
    const dir = appDir('function installed() { subscribe(settings.sensor, "motion", onMotion) }\nfunction onMotion() { /(a+)+$/.test("a".repeat(40) + "!") }\n');
    const r = smartplug(args(dir), 'pir motion active\npir motion inactive\npir motion active\nstatus\nquit\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.match(/onMotion: stopped after 2000 ms of CPU time/g)?.length, 3, r.stdout);
    assert.match(r.stdout, /porch-light-1 \(Porch light\) quarantined: it stopped the worker 3 times within 10 minutes/);
  });

  it('runs the app in a worker, prints events, commands and logs with the rate budget, and takes input', () => {
    const dir = appDir(GOOD);
    const r = smartplug(args(dir), 'pir motion active\nadvance 5m\nstatus\nquit\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /worker started \(pid \d+, permission model on\)/);
    assert.match(r.stdout, /12:00:00\.000 event +Porch motion motion = "active"/);
    assert.match(r.stdout, /12:00:00\.000 command +\S+ → Porch light\.on\(\)/);
    assert.match(r.stdout, /INFO +Porch light: motion 1 +\[budget 2\/250\]/);
    assert.match(r.stdout, /12:05:00\.000 command +\S+ → Porch light\.off\(\)/);
    assert.match(r.stdout, /subscription device pir motion\.active → onMotion/);
    assert.match(r.stdout, /state \{"count":1\}/);
  });

  it('prints JSON lines with --json', () => {
    const dir = appDir(GOOD);
    const r = smartplug(args(dir, '--json'), '{"device":"pir","attribute":"motion","value":"active"}\n');
    assert.equal(r.status, 0, r.stderr);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; command?: string });
    assert.ok(records.some((x) => x.type === 'command' && x.command === 'on'));
  });

  it('--json: status, devices and call answer as JSON lines too, and the worker line says the permission model is on', () => {
    const dir = appDir(GOOD);
    const r = smartplug(args(dir, '--json'), 'pir motion active\nstatus\ndevices\ncall GET /nowhere\n');
    assert.equal(r.status, 0, r.stderr);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual(records.find((x) => x.type === 'worker'), { type: 'worker', change: 'started', pid: records.find((x) => x.type === 'worker')!.pid, permissionModel: true });
    const status = records.find((x) => x.type === 'status')!;
    assert.equal(status.apps.length, 1);
    assert.deepEqual(status.apps[0].state, { count: 1 });
    assert.deepEqual(status.apps[0].jobs.map((j: { handler: string }) => j.handler), ['lightOff']);
    assert.deepEqual(status.quarantined, []);
    const devices = records.find((x) => x.type === 'devices')!;
    assert.deepEqual(devices.devices.map((d: { id: string; attributes: Record<string, unknown> }) => [d.id, d.attributes.switch ?? d.attributes.motion]), [['pir', 'active'], ['porch', 'on']]);
    assert.equal(records.find((x) => x.type === 'response')?.status, 404);
  });

  it('rejects a script with a syntax error, naming the file, line, column and fix', () => {
    const dir = appDir('function installed() {\n  subscribe(settings.sensor, "motion", h\n}\n');
    const r = smartplug(args(dir));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /app\.js:3:1: error: syntax error: .*Fix: correct the JavaScript/);
  });

  it('rejects a handler that does not exist, at the line that names it', () => {
    const dir = appDir('function installed() {\n  subscribe(settings.sensor, "motion", "onMotoin")\n}\nfunction onMotion(e) {}\n');
    const r = smartplug(args(dir));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /app\.js:2:40: error: "onMotoin" is not a function defined in app\.js; did you mean 'onMotion'\?/);
  });

  it('rejects a config that does not fit app.json, at its place in instance.json', () => {
    const dir = appDir(GOOD);
    writeFileSync(path.join(dir, 'instance.json'), '{\n  "config": {\n    "sensor": "pir",\n    "light": "porhc",\n    "minutes": "five"\n  }\n}\n');
    const r = smartplug(args(dir));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /instance\.json:4:14: error: .*porhc/);
    assert.match(r.stderr, /instance\.json:5:16: error: .*number/);
  });

  it('reports an app.json that does not parse', () => {
    const dir = appDir(GOOD);
    writeFileSync(path.join(dir, 'app', 'app.json'), '{ "input": { ');
    const r = smartplug(args(dir));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /app\.json:1:\d+: error: /);
  });

  it('reports a subscription to an attribute the device lacks, with the app.js line, and keeps running', () => {
    const dir = appDir('function installed() {\n  subscribe(settings.sensor, "switch", onSwitch)\n}\nfunction onSwitch(e) {}\n');
    const r = smartplug(args(dir), 'status\n');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /ERROR Porch light: installed: subscribe: device "Porch motion" has no attribute "switch".*it has: motion.*\(.*app\.js:2:\d+\)/);
  });

  it('explains input it cannot read without stopping', () => {
    const dir = appDir(GOOD);
    const r = smartplug(args(dir), 'nonsense\npir motion active\n');
    assert.equal(r.status, 0);
    assert.match(r.stderr, /"nonsense" is not a command; type help/);
    assert.match(r.stdout, /Porch light\.on\(\)/);
  });

  it('says in its usage text what --inline gives up', () => {
    const r = smartplug(['help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--inline runs the app in this process, without the worker and without Node's permission\s+model/);
    assert.match(r.stdout, /printed as escapes \(\\n, \\x1b, \\u202e\)/);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
  });

  it('warns on stderr, once, that --inline runs the app without the worker and the permission model', () => {
    const dir = appDir(GOOD);
    const r = smartplug(args(dir, '--inline'), 'pir motion active\n');
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('--inline'));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0], /^smartplug run: warning: .*without the worker process and without Node's permission model.*file, network and process access.*debugging the runtime only/);
    assert.match(r.stdout, /Porch light\.on\(\)/);
    assert.doesNotMatch(r.stdout, /worker started/);

    const sandboxed = smartplug(args(dir), 'pir motion active\n');
    assert.equal(sandboxed.status, 0, sandboxed.stderr);
    assert.doesNotMatch(sandboxed.stderr, /warning/);
  });
});

describe('smartplug run: what the app says cannot forge a line or drive the terminal', function () {
  before(() => assertFreshDist());
  this.timeout(30_000);

  // The app's label (app.json "name"), a device's label, its log and notification messages and
  // the error its handler throws all carry a forged line, escape sequences and a bidi override.
  const label = `Porch ${EVIL.join(' ')}`;
  const script = `const EVIL = ${JSON.stringify(EVIL)};
function installed() { subscribe(settings.sensor, "motion.active", onMotion) }
function onMotion(evt) {
  for (const t of EVIL) { log.info(t); sendNotification(settings.notify, t) }
  throw new Error(EVIL.join(" | "))
}
`;
  function hostileApp(): string {
    const dir = appDir(script, {
      ...APP_JSON,
      name: label,
      input: { ...APP_JSON.input, notify: { type: 'single_notification_output_selector', name: 'Notify' } },
      guide: [{ id: 'p1', title: 'Devices', input_fields: ['sensor', 'light', 'minutes', 'notify'] }],
    });
    writeFileSync(path.join(dir, 'devices.json'), JSON.stringify([{ ...DEVICES[0], label: `Motion ${FORGED} ${BIDI}` }, DEVICES[1]]));
    writeFileSync(path.join(dir, 'instance.json'), JSON.stringify({ config: { sensor: 'pir', light: 'porch', notify: 1 } }));
    return dir;
  }

  it('prints every piece escaped, one record a line', () => {
    const r = smartplug(args(hostileApp()), 'pir motion active\nstatus\ndevices\n');
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    for (const l of lines) {
      assert.ok(!l.startsWith(FORGED_LINE), `a forged line: ${l}`);
      assert.match(l, /^(\d\d:\d\d:\d\d\.\d{3} |worker started |running |pir |porch |\S+ \(Porch |  )/, `a line the CLI did not start: ${l}`);
    }
    const shownLabel = `Porch ${FORGED_SHOWN} ${ESCAPES_SHOWN} ${BIDI_SHOWN}`;
    assert.ok(lines.some((l) => /^12:00:00\.000 app +/.test(l) && l.includes(shownLabel)), 'the app label');
    assert.ok(lines.some((l) => /^12:00:00\.000 event +/.test(l) && l.includes(`Motion ${FORGED_SHOWN} ${BIDI_SHOWN} motion = "active"`)), 'the device label');
    for (const shown of [FORGED_SHOWN, ESCAPES_SHOWN, BIDI_SHOWN]) {
      assert.ok(lines.some((l) => l.startsWith('12:00:00.000 log      INFO  ') && l.includes(`${shownLabel}: ${shown}  [budget`)), `the log line ${shown}`);
      assert.ok(lines.some((l) => l.startsWith('12:00:00.000 notify   ') && l.endsWith(`output 1: ${shown}`)), `the notification ${shown}`);
    }
    assert.ok(lines.some((l) => l.startsWith('12:00:00.000 runtime  ERROR ') && l.includes(`onMotion: ${FORGED_SHOWN} | ${ESCAPES_SHOWN} | ${BIDI_SHOWN} (`)), 'the thrown error');
  });

  it('--json: the same text, intact once parsed, with nothing raw on the line', () => {
    const r = smartplug(args(hostileApp(), '--json'), 'pir motion active\n');
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string; appLabel?: string; source?: string });
    assert.deepEqual(records.filter((x) => x.type === 'log' && x.source === 'app').map((x) => x.message), EVIL);
    assert.deepEqual(records.filter((x) => x.type === 'notification').map((x) => x.message), EVIL);
    assert.ok(records.some((x) => x.type === 'log' && x.source === 'runtime' && x.message === `onMotion: ${EVIL.join(' | ')}`));
    assert.ok(records.every((x) => x.appLabel === undefined || x.appLabel === label));
  });
});
