import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RAW_CONTROL } from './hostile-text';
import { assertFreshDist } from '../../support/fresh-dist';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'smartplug.js');

function smartplug(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Record {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

describe('smartplug validate', function () {
  before(() => assertFreshDist());
  this.timeout(30_000);

  it('finds seed 003\'s mistakes: file:line:column: severity: message [code], exit status 1', () => {
    const r = smartplug(['validate', 'test/fixtures/seed003/app.json']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^test\/fixtures\/seed003\/app\.json:72:9: error: guide page "stage_2" lists "example_text", which is not an input; did you mean "text_example"\? Fix: write "text_example" \[unknown-input\]$/m);
    assert.match(r.stdout, /^test\/fixtures\/seed003\/app\.json:20:\d+: warning: .*Fix: use 10 \(a number\) \[input-default-type\]$/m);
  });

  it('prints one JSON array with 1-based ranges with --format json', () => {
    const r = smartplug(['validate', '--format', 'json', 'test/fixtures/seed003/app.json']);
    assert.equal(r.status, 1);
    const records = JSON.parse(r.stdout) as Record[];
    const unknown = records.find((x) => x.code === 'unknown-input')!;
    assert.deepEqual({ ...unknown, message: undefined }, {
      file: 'test/fixtures/seed003/app.json', line: 72, column: 9, endLine: 72, endColumn: 23, severity: 'error', code: 'unknown-input', message: undefined,
    });
    assert.ok(records.every((x) => ['error', 'warning', 'info'].includes(x.severity) && x.line >= 1 && x.column >= 1));
  });

  it('passes clean apps with status 0, searching folders for app.json, manifest.json and *.load.json', () => {
    const r = smartplug(['validate', 'examples']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-validate-'));
    mkdirSync(path.join(dir, 'img'));
    writeFileSync(path.join(dir, 'img', 'manifest.json'), JSON.stringify({ image: 'x.bin', method: 'native', url: 'https://a/x.bin' }));
    writeFileSync(path.join(dir, 'img', 'push.load.json'), JSON.stringify({ url: 'https://acme.com/x.zip', method: 'native', user: 'me' }));
    writeFileSync(path.join(dir, 'img', 'notes.json'), '{ not ours }');
    const bad = smartplug(['validate', '--format', 'json', dir]);
    assert.equal(bad.status, 1);
    const records = JSON.parse(bad.stdout) as Record[];
    assert.deepEqual([...new Set(records.map((x) => path.basename(x.file)))].sort(), ['manifest.json', 'push.load.json']);
    assert.ok(records.some((x) => x.code === 'load-property-load-only'));
    assert.ok(records.some((x) => x.code === 'load-credentials-passwd-missing'));
  });

  it('says what is wrong with its arguments', () => {
    assert.equal(smartplug(['validate']).status, 2);
    assert.equal(smartplug(['validate', '--format', 'xml', 'examples']).status, 2);
    const missing = smartplug(['validate', 'no/such/app.json']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no\/such\/app\.json does not exist/);
  });

  it('works as npx smartplug validate in a checkout', () => {
    const r = spawnSync('npx', ['--no-install', 'smartplug', 'validate', 'examples/door-light'], { encoding: 'utf8', cwd: ROOT, timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
  });

  it('prints what the file says escaped: no bidi or C1 character reaches the terminal, in text or JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-validate-'));
    const key = '\u202Ebad\u009b[2J';
    writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ name: 'x', version: '1.0.0', author: 'a', licence: 'MIT', [key]: 1 }));
    const text = smartplug(['validate', path.join(dir, 'app.json')]);
    assert.match(text.stdout, /unknown key "\\u202ebad\\x9b\[2J"/);
    assert.doesNotMatch(text.stdout, RAW_CONTROL);
    const json = smartplug(['validate', '--format', 'json', path.join(dir, 'app.json')]);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    assert.ok((JSON.parse(json.stdout) as Record[]).some((r) => r.message.includes(`"${key}"`)));
  });
});
