import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { loadAppFolder } from '../../runtime/app/load-app';
import { apiDeclaration } from '../../server/service/api-declaration';
import { settingsDeclaration } from '../../server/service/settings-types';

const ROOT = path.resolve(__dirname, '..', '..');
const UPDATE = process.env.SMARTPLUG_UPDATE_DTS === '1';

/** A TypeScript language service over one app folder, as VS Code's JavaScript support sees it. */
function service(files: Record<string, string>): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (files[f] !== undefined ? ts.ScriptSnapshot.fromString(files[f]) : ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)!) : undefined),
    getCurrentDirectory: () => '/app',
    getCompilationSettings: () => ({ allowJs: true, checkJs: true, noEmit: true, lib: ['lib.es2022.d.ts'], types: [], target: ts.ScriptTarget.ES2022 }),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => files[f] !== undefined || ts.sys.fileExists(f),
    readFile: (f) => files[f] ?? ts.sys.readFile(f),
  };
  return ts.createLanguageService(host);
}

function appFiles(dir: string, script?: string): Record<string, string> {
  const pkg = loadAppFolder(path.join(ROOT, dir));
  return {
    '/app/app.js': script ?? pkg.script,
    '/app/smartplug-api.d.ts': apiDeclaration(),
    '/app/settings.d.ts': settingsDeclaration(pkg.appJson, pkg.name),
  };
}

const messages = (ls: ts.LanguageService, file: string) =>
  ls.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));

describe('JavaScript IntelliSense for app.js: the script API and settings declarations', function () {
  this.timeout(30_000);

  it('ships schemas/smartplug-api.d.ts as generated from the runtime', () => {
    const file = path.join(ROOT, 'schemas', 'smartplug-api.d.ts');
    if (UPDATE) require('node:fs').writeFileSync(file, apiDeclaration());
    assert.equal(readFileSync(file, 'utf8'), apiDeclaration(), 'out of date: run the tests with SMARTPLUG_UPDATE_DTS=1');
  });

  for (const example of ['examples/door-light', 'examples/motion-light', 'examples/mode-lights']) {
    it(`type-checks ${example}/app.js with no errors`, () => {
      const ls = service(appFiles(example));
      assert.deepEqual(messages(ls, '/app/app.js'), []);
      assert.deepEqual(messages(ls, '/app/settings.d.ts'), []);
    });
  }

  it('completes settings. with the app\'s inputs, documented', () => {
    const script = 'function installed() {\n  settings.\n}\n';
    const ls = service(appFiles('examples/door-light', script));
    const at = script.indexOf('settings.') + 'settings.'.length;
    const names = (ls.getCompletionsAtPosition('/app/app.js', at, {})?.entries ?? []).map((e) => e.name).sort();
    const pkg = loadAppFolder(path.join(ROOT, 'examples/door-light'));
    const expected = Object.keys(pkg.appJson.input).filter((n) => pkg.appJson.guide.some((p) => p.input_fields.includes(n))).sort();
    assert.deepEqual(names, expected);
    const details = ls.getCompletionEntryDetails('/app/app.js', at, 'timeout', {}, undefined, undefined, undefined);
    assert.match(ts.displayPartsToString(details?.documentation), /\(number/);
  });

  it('completes a device handle\'s commands and flags misuse of a setting', () => {
    const script = 'function installed() {\n  settings.timeout.on()\n  location.setMode(1)\n  runIn("soon", "x")\n}\n';
    const ls = service(appFiles('examples/door-light', script));
    const found = messages(ls, '/app/app.js');
    assert.ok(found.some((m) => /Property 'on' does not exist on type 'number'/.test(m)), found.join('\n'));
    assert.ok(found.some((m) => /Argument of type 'number' is not assignable to parameter of type 'string'/.test(m)), found.join('\n'));
    assert.ok(found.some((m) => /Argument of type 'string' is not assignable to parameter of type 'number'/.test(m)), found.join('\n'));
  });
});
