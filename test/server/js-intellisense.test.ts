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

  it('leaves a name that is no input to the server\'s one warning: TypeScript says nothing of settings.timout (one diagnostic, one quick fix)', () => {
    const script = 'function installed() {\n  runIn(settings.timout * 60, "x")\n  settings.timeout.on()\n}\n';
    const ls = service(appFiles('examples/door-light', script));
    const found = messages(ls, '/app/app.js');
    assert.ok(!found.some((m) => /timout/.test(m)), found.join('\n'));
    // A declared input keeps its type: misuse of it is still TypeScript's to flag.
    assert.ok(found.some((m) => /Property 'on' does not exist on type 'number'/.test(m)), found.join('\n'));
  });

  describe('function handles typed by their function type, evt.function, top-level mappings', () => {
    const APP_JSON = {
      input: {
        light: { type: 'single_function_selector', name: 'Light', filter: { type: 'switch' } },
        dims: { type: 'multi_function_selector', name: 'Dimmers', filter: { type: ['dimmer', 'color_*'] }, value: true },
        any: { type: 'single_function_selector', name: 'Any function' },
        odd: { type: 'single_function_selector', name: 'Outside the catalogue', filter: { type: 'alarm_power' } },
      },
      guide: [{ input_fields: ['light', 'dims', 'any', 'odd'] }],
    };
    const files = (script: string) => ({
      '/app/app.js': script,
      '/app/smartplug-api.d.ts': apiDeclaration(),
      '/app/settings.d.ts': settingsDeclaration(APP_JSON as never, 'typed'),
    });

    it('knows the commands of a filtered selector\'s type, and no others', () => {
      const script = [
        "mappings({ 'GET /light': lightState })",
        'function lightState(request) { return settings.light.currentValue() }',
        'function installed() {',
        '  settings.light.on()',
        '  settings.light.setLevel(3)',
        '  for (const d of settings.dims) { if (d.type === "dimmer") d.setLevel(Number(d.value)); else if (d.type === "color_hue") d.setHue(5) }',
        '  settings.odd.set(1)',
        '  settings.odd.on()',
        '  subscribe(settings.light, (evt) => { evt.function.currentValue(); evt.function.nope() })',
        '}',
      ].join('\n');
      const ls = service(files(script));
      assert.deepEqual(messages(ls, '/app/settings.d.ts'), []);
      const found = messages(ls, '/app/app.js');
      assert.deepEqual(found.filter((m) => !/setLevel' does not exist|'on' does not exist on type 'FunctionBase'|'nope' does not exist/.test(m)), [], found.join('\n'));
      assert.equal(found.length, 3, found.join('\n'));
      const at = script.indexOf('settings.light.on') + 'settings.light.'.length;
      const names = (ls.getCompletionsAtPosition('/app/app.js', at, {})?.entries ?? []).map((e) => e.name);
      assert.ok(names.includes('on') && names.includes('off') && !names.includes('setLevel'), names.join());
    });

    it('an unfiltered selector is any function: its commands after narrowing by type', () => {
      const ls = service(files('function installed() {\n  settings.any.on()\n  if (settings.any.type === "switch") settings.any.off()\n  if (settings.any.type === "lock") settings.any.unlock()\n}\n'));
      const found = messages(ls, '/app/app.js');
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /Property 'on' does not exist on type/);
    });
  });
});
