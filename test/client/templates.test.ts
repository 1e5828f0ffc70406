import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { displayName, newAppFiles, validateAppName } from '../../client/new-app/templates';
import { parseAppJson } from '../../runtime/app/parse-app-json';
import { apiDeclaration } from '../../server/service/api-declaration';
import { settingsDeclaration } from '../../server/service/settings-types';
import { smartplug } from './cli-helpers';

describe('client: the New App template', function () {
  this.timeout(60_000);
  let dir: string;
  let app: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'smartplug-new-app-'));
    app = path.join(dir, 'door-switch');
    for (const f of newAppFiles('door-switch')) {
      const p = path.join(app, ...f.path.split('/'));
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts folder-safe names and says why others are refused', () => {
    for (const ok of ['door-switch', 'a', 'App_2', 'v1.2', 'x'.repeat(64)]) assert.equal(validateAppName(ok), undefined, ok);
    for (const [bad, why] of [
      ['', /Give the app a name/],
      ['  ', /Give the app a name/],
      ['-x', /Start with a letter or a digit/],
      ['.hidden', /Start with a letter or a digit/],
      ['a/b', /"\/" is not allowed/],
      ['a b', /" " is not allowed/],
      ['a:b', /":" is not allowed/],
      ['name.', /Do not end/],
      ['con', /reserved name on Windows/],
      ['LPT1.txt', /reserved name on Windows/],
      ['x'.repeat(65), /at most 64/],
    ] as const) assert.match(validateAppName(bad) ?? '', why, JSON.stringify(bad));
  });

  it('names the app after its folder', () => {
    assert.equal(displayName('door-switch'), 'Door switch');
    assert.equal(displayName('hall_light.v2'), 'Hall light v2');
  });

  it('writes app.json, app.js, devices.json, instance.json and a scenario file', () => {
    assert.deepEqual(newAppFiles('door-switch').map((f) => f.path), ['app.json', 'app.js', 'devices.json', 'instance.json', 'tests/door-switch.scenario.json', '.gitignore']);
  });

  it('passes its own scenario test with the real CLI', () => {
    const r = smartplug(['test', app]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /4 passed, 0 failed/);
  });

  it('passes smartplug validate with no problem at all', () => {
    const r = smartplug(['validate', app]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), '');
  });

  it('type-checks app.js against the IntelliSense declarations', () => {
    const jsonPath = path.join(app, 'app.json');
    const appJson = parseAppJson(readFileSync(jsonPath, 'utf8'), jsonPath).appJson;
    assert.ok(appJson);
    const files: Record<string, string> = {
      '/app/app.js': readFileSync(path.join(app, 'app.js'), 'utf8'),
      '/app/smartplug-api.d.ts': apiDeclaration(),
      '/app/settings.d.ts': settingsDeclaration(appJson, 'door-switch'),
    };
    const options: ts.CompilerOptions = { allowJs: true, checkJs: true, noEmit: true, lib: ['lib.es2022.d.ts'], types: [], target: ts.ScriptTarget.ES2022 };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (f) => files[f] ?? read(f);
    const exists = host.fileExists.bind(host);
    host.fileExists = (f) => files[f] !== undefined || exists(f);
    const getSource = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang) => (files[f] !== undefined ? ts.createSourceFile(f, files[f], lang) : getSource(f, lang));
    const program = ts.createProgram(Object.keys(files), options, host);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(messages, []);
  });
});
