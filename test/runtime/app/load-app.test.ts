import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppFolder } from '../../../runtime/app';
import { SourceError } from '../../../runtime/errors';
import { where } from './app-test-helpers';

const GOOD_APP_JSON = JSON.stringify({ input: { t: { type: 'text' } }, guide: [{ input_fields: ['t'] }] }, null, 2);

describe('loadAppFolder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'app-load-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function folder(name: string, files: Record<string, string>): string {
    const dir = join(root, name);
    mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  }

  function problemsOf(dir: string): SourceError {
    try {
      loadAppFolder(dir);
    } catch (e) {
      assert.ok(e instanceof SourceError, String(e));
      return e;
    }
    assert.fail('expected a SourceError');
  }

  it('reads app.json and app.js; the name defaults to the folder', () => {
    const dir = folder('door-light', { 'app.json': GOOD_APP_JSON, 'app.js': 'onStart(() => {});\n' });
    const app = loadAppFolder(dir);
    assert.equal(app.dir, dir);
    assert.equal(app.name, 'door-light');
    assert.equal(app.version, '0.0.0');
    assert.equal(app.appJsonFile, join(dir, 'app.json'));
    assert.equal(app.appJsonText, GOOD_APP_JSON);
    assert.deepEqual(app.appJson.input, { t: { type: 'text' } });
    assert.equal(app.scriptFile, join(dir, 'app.js'));
    assert.equal(app.script, 'onStart(() => {});\n');
    assert.equal(app.manifest, undefined);
    assert.equal(app.manifestFile, undefined);
    assert.deepEqual(app.warnings, []);
  });

  it('takes name and version from app.json and reads manifest.json', () => {
    const text = JSON.stringify({ name: 'Door light', version: '1.2.3', input: {}, guide: [] });
    const dir = folder('x', { 'app.json': text, 'app.js': '', 'manifest.json': '{ "entry": "app.js" }' });
    const app = loadAppFolder(dir);
    assert.deepEqual([app.name, app.version, app.script], ['Door light', '1.2.3', '']);
    assert.deepEqual(app.manifest, { entry: 'app.js' });
    assert.equal(app.manifestFile, join(dir, 'manifest.json'));
  });

  it('returns warnings without throwing when there are no errors', () => {
    const text = '\uFEFF{ "input": { "lost": { "type": "number", "default": "5" } }, "guide": [] }';
    const app = loadAppFolder(folder('w', { 'app.json': text, 'app.js': '' }));
    // The byte order mark is dropped, so columns are those an editor shows.
    assert.deepEqual(app.warnings.map(where), ['1:14 warning input-unreachable', '1:53 warning input-default-type']);
    assert.equal(app.warnings[0].file, join(root, 'w', 'app.json'));
    assert.equal(app.appJsonText, text.slice(1));
  });

  it('throws every problem when app.json and app.js are missing', () => {
    const dir = folder('empty', {});
    const err = problemsOf(dir);
    assert.deepEqual(err.problems.map((p) => [p.file, p.line, p.column, p.code]), [
      [join(dir, 'app.json'), 0, 0, 'app-json-missing'],
      [join(dir, 'app.js'), 0, 0, 'app-script-missing'],
    ]);
    assert.match(err.message, /app\.json: error: the app has no app\.json/);
  });

  it('throws syntax errors of app.json at their positions, with the other problems', () => {
    const dir = folder('bad', { 'app.json': '{\n  "input": {\n    "t": { "type": "text" }\n  "guide": []\n}' });
    const err = problemsOf(dir);
    assert.deepEqual(err.problems.map((p) => `${p.file === join(dir, 'app.json') ? 'app.json' : 'app.js'} ${where(p)}`), [
      'app.json 4:3 error json-syntax',
      'app.json 5:2 error json-syntax',
      'app.js 0:0 error app-script-missing',
    ]);
  });

  it('throws on errors in app.json that are not syntax, keeping the warnings in the error', () => {
    const text = JSON.stringify({ input: { r: { type: 'repeat', min: 2, max: 1, input_fields: [] } }, guide: [{ input_fields: ['r'] }] });
    const err = problemsOf(folder('minmax', { 'app.json': text, 'app.js': '' }));
    assert.deepEqual(err.problems.map((p) => `${p.severity} ${p.code}`), ['error repeat-min-max', 'warning repeat-empty']);
  });

  it('throws on a manifest.json that is not JSON, and on a folder that does not exist', () => {
    const err = problemsOf(folder('m', { 'app.json': GOOD_APP_JSON, 'app.js': '', 'manifest.json': '{ "a": }' }));
    assert.deepEqual(err.problems.map(where), ['1:8 error json-syntax']);
    assert.equal(err.problems[0].file, join(root, 'm', 'manifest.json'));
    const missing = problemsOf(join(root, 'nope'));
    assert.deepEqual(missing.problems.map((p) => [p.line, p.code]), [[0, 'app-folder-missing']]);
  });
});
