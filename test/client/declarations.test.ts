import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { appFolderOfDocument, DECLARATIONS_README, declarationFiles, jsconfigFile } from '../../client/intellisense/declarations';
import { parseAppJson } from '../../runtime/app/parse-app-json';
import { apiDeclaration } from '../../server/service/api-declaration';
import { settingsDeclaration } from '../../server/service/settings-types';
import { ROOT } from './cli-helpers';

describe('client: JavaScript IntelliSense files for app.js', function () {
  this.timeout(30_000);

  it('belongs to app.js and app.json only', () => {
    assert.equal(appFolderOfDocument(path.join('/w', 'door', 'app.js')), path.join('/w', 'door'));
    assert.equal(appFolderOfDocument(path.join('/w', 'door', 'app.json')), path.join('/w', 'door'));
    assert.equal(appFolderOfDocument(path.join('/w', 'door', 'devices.json')), undefined);
  });

  it('writes the two declarations and a README saying what they are into .smartplug/, and a jsconfig.json for app.js that says where it came from', () => {
    const folder = path.join('/w', 'door');
    assert.deepEqual(declarationFiles(folder, { api: 'API', settings: 'SETTINGS' }), [
      { path: path.join(folder, '.smartplug', 'smartplug-api.d.ts'), content: 'API' },
      { path: path.join(folder, '.smartplug', 'settings.d.ts'), content: 'SETTINGS' },
      { path: path.join(folder, '.smartplug', 'README.md'), content: DECLARATIONS_README },
    ]);
    assert.match(DECLARATIONS_README, /Safe to delete/);
    assert.match(DECLARATIONS_README, /smartplug\.scriptDeclarations\.enable/);
    const jsconfig = jsconfigFile(folder);
    assert.equal(jsconfig.path, path.join(folder, 'jsconfig.json'));
    assert.match(jsconfig.content, /^\/\/ Written by the SmartPlug Apps IDE .*\n\/\/ .*\.smartplug\/README\.md/);
    // As TypeScript reads it (JSON with comments).
    assert.deepEqual(ts.parseConfigFileTextToJson('jsconfig.json', jsconfig.content).config, { compilerOptions: { lib: ['es2022'], checkJs: true }, include: ['app.js', '.smartplug/*.d.ts'] });
  });

  it('makes a project in which an example app.js type-checks, and misuse is flagged', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-dts-'));
    try {
      const app = path.join(dir, 'door-light');
      cpSync(path.join(ROOT, 'examples', 'door-light'), app, { recursive: true });
      const jsonPath = path.join(app, 'app.json');
      const appJson = parseAppJson(readFileSync(jsonPath, 'utf8'), jsonPath).appJson!;
      for (const f of [...declarationFiles(app, { api: apiDeclaration(), settings: settingsDeclaration(appJson, 'door-light') }), jsconfigFile(app)]) {
        mkdirSync(path.dirname(f.path), { recursive: true });
        writeFileSync(f.path, f.content);
      }
      const check = () => {
        // As VS Code's TypeScript support reads a jsconfig.json.
        const configPath = path.join(app, 'jsconfig.json');
        const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, app, undefined, configPath);
        assert.deepEqual(parsed.errors, []);
        assert.deepEqual(parsed.fileNames.map((f) => path.relative(app, f).split(path.sep).join('/')).sort(), ['.smartplug/settings.d.ts', '.smartplug/smartplug-api.d.ts', 'app.js']);
        const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
        return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      };
      assert.deepEqual(check(), []);
      writeFileSync(path.join(app, 'app.js'), 'function installed() {\n  settings.timeout.on();\n}\n');
      assert.ok(check().some((m) => /Property 'on' does not exist on type 'number'/.test(m)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
