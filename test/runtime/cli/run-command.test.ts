import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

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
  this.timeout(30_000);

  it('runs the app in a worker, prints events, commands and logs with the rate budget, and takes input', () => {
    const dir = appDir(GOOD);
    const r = smartplug(args(dir), 'pir motion active\nadvance 5m\nstatus\nquit\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /worker started \(pid \d+, permission model on\)/);
    assert.match(r.stdout, /12:00:00\.000 event +Porch motion motion = "active"/);
    assert.match(r.stdout, /12:00:00\.000 command +\S+ → Porch light\.on\(\)/);
    assert.match(r.stdout, /INFO +Porch light: motion 1 +\[budget 1\/250\]/);
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
});
