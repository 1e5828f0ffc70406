/**
 * The configuration guide's page runs the runtime's own config code in a browser (issue 17): the
 * modules it uses must reach no `node:` module (and no Node built-in by its bare name). Each is
 * bundled by esbuild for the browser here, which refuses any such import, naming the chain to it.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { build } from 'esbuild';
import { catalogueOfSpecs, ConfigError, prepareInstanceConfig } from '../../../runtime/app/instance-config';
import type { AppJson } from '../../../runtime/app/app-json-types';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** What the page uses: instance configs (defaults, checks, selectors), instance files, the input rules. */
const BROWSER_MODULES = ['runtime/app/instance-config.ts', 'runtime/app/config-object.ts', 'runtime/app/check-config.ts', 'runtime/app/instance-file.ts', 'runtime/app/input-rules.ts', 'runtime/devices/filter.ts'];

describe('runtime/app: the config code runs in a browser', function () {
  this.timeout(60_000);

  for (const file of BROWSER_MODULES) {
    it(`${file} bundles for the browser (no node: module reachable)`, async () => {
      const result = await build({ entryPoints: [path.join(ROOT, file)], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
      const inputs = Object.keys(result.metafile.inputs);
      assert.ok(!inputs.some((i) => i.startsWith('node:')), inputs.join(', '));
    });
  }

  it('a module that reaches fs is refused (the check works)', async () => {
    await assert.rejects(build({ entryPoints: [path.join(ROOT, 'runtime/app/load-app.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' }), /Could not resolve "fs"/);
  });

  it('prepareInstanceConfig takes a list of device specs: defaults, checks and resolved selectors', () => {
    const appJson = {
      input: {
        lamp: { type: 'single_function_selector', name: 'Lamp', filter: { type: 'switch' } },
        minutes: { type: 'number', name: 'Minutes', default: 5 },
      },
      guide: [{ title: 'Setup', input_fields: ['lamp', 'minutes'] }],
    } as unknown as AppJson;
    const devices = [{ id: 'hall-lamp', label: 'Hall lamp', capabilities: ['switch'] }];
    const catalogue = catalogueOfSpecs(devices);
    const lampFunction = [...catalogue.functionIds()][0];
    const prepared = prepareInstanceConfig({ name: 'hall', appJson }, { lamp: lampFunction }, devices);
    assert.deepEqual(prepared.config, { lamp: lampFunction, minutes: 5 });
    assert.deepEqual(prepared.warnings, []);
    const refused = (() => {
      try {
        prepareInstanceConfig({ name: 'hall', appJson }, { lamp: 'no-such-function' }, devices);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    assert.ok(refused instanceof ConfigError, String(refused));
    assert.match(refused.message, /lamp: error: /);
  });
});
