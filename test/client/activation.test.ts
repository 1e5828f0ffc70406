import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appFolderDescription, appJsonBeside, findOwnFile, isInNodeModules, isOwnFile, isScriptPath } from '../../client/activation/app-detection';
import { isServedDocument } from '../../client/language-client/served-documents';
import { ROOT } from './cli-helpers';

const expoAppJson = JSON.stringify({ expo: { name: 'my-app', slug: 'my-app', version: '1.0.0' } }, null, 2);
const herokuAppJson = JSON.stringify({ name: 'Node.js Sample', description: 'A barebones Node.js app', repository: 'https://github.com/x/y', env: { SECRET: { generator: 'secret' } }, buildpacks: [{ url: 'heroku/nodejs' }] }, null, 2);
const webManifest = JSON.stringify({ short_name: 'App', name: 'My app', icons: [], start_url: '.', display: 'standalone' }, null, 2);
const extensionManifest = JSON.stringify({ manifest_version: 3, name: 'ext', version: '1.0' }, null, 2);

describe('client: whether the workspace holds a SmartPlug app (activation)', () => {
  it('takes our app.json, and not the app.json of Expo or Heroku', () => {
    const ours = readFileSync(path.join(ROOT, 'examples', 'door-light', 'app.json'), 'utf8');
    assert.ok(isOwnFile({ path: '/w/door/app.json', head: ours }));
    assert.ok(!isOwnFile({ path: '/w/mobile/app.json', head: expoAppJson }));
    assert.ok(!isOwnFile({ path: '/w/web/app.json', head: herokuAppJson }));
  });

  it('takes a load manifest, and not a web app or browser extension manifest', () => {
    assert.ok(isOwnFile({ path: '/w/image/manifest.json', head: '{\n  "type": "^img$",\n  "url": "https://x/y.zip"\n}' }));
    assert.ok(!isOwnFile({ path: '/w/public/manifest.json', head: webManifest }));
    assert.ok(!isOwnFile({ path: '/w/ext/manifest.json', head: extensionManifest }));
  });

  it('takes any *.load.json, and any JSON that names one of our schemas', () => {
    assert.ok(isOwnFile({ path: '/w/a/update.load.json', head: '{}' }));
    assert.ok(isOwnFile({ path: '/w/a/config.json', head: '{ "$schema": "https://example.com/schemas/app.schema.json" }' }));
    assert.ok(!isOwnFile({ path: '/w/a/config.json', head: '{ "name": "x" }' }));
    assert.ok(!isOwnFile({ path: '/w/a/package.json', head: '{ "name": "x", "scripts": {} }' }));
  });

  it('decides on the first file that is ours: none in a workspace of Expo apps', () => {
    assert.equal(findOwnFile([{ path: '/w/a/app.json', head: expoAppJson }, { path: '/w/b/manifest.json', head: webManifest }]), undefined);
    assert.equal(findOwnFile([]), undefined);
    const found = findOwnFile([{ path: '/w/a/app.json', head: expoAppJson }, { path: '/w/b/app.json', head: '{ "input": {}, "guide": [] }' }]);
    assert.equal(found?.path, '/w/b/app.json');
  });

  it('finds the app.json an app.js belongs to', () => {
    assert.ok(isScriptPath('/w/door/app.js'));
    assert.ok(!isScriptPath('/w/door/myapp.js'));
    assert.equal(appJsonBeside('/w/door/app.js'), '/w/door/app.json');
    assert.equal(appJsonBeside('C:\\w\\door\\app.js'), 'C:\\w\\door\\app.json');
  });

  it('skips node_modules', () => {
    assert.ok(isInNodeModules('/w/node_modules/expo/app.json'));
    assert.ok(isInNodeModules('C:\\w\\node_modules\\x\\app.json'));
    assert.ok(!isInNodeModules('/w/my_node_modules_notes/app.json'));
  });
});

describe('client: which open documents are sent to the language server', () => {
  it('sends our file names, app.js, and JSON naming our schema; not other JSON', () => {
    assert.ok(isServedDocument('/w/app.json', expoAppJson), 'the server decides about foreign app.json');
    assert.ok(isServedDocument('/w/door/app.js', ''));
    assert.ok(isServedDocument('/w/x.load.json', ''));
    assert.ok(isServedDocument('/w/door/tests/door.scenario.json', ''));
    assert.ok(isServedDocument('/w/door/instance.json', ''));
    assert.ok(isServedDocument('/w/door/devices.json', ''));
    assert.ok(!isServedDocument('/w/door/scenario.json.bak', ''));
    assert.ok(isServedDocument('/w/anything.json', '{ "$schema": "../schemas/load-action.schema.json" }'));
    assert.ok(!isServedDocument('/w/package-lock.json', '{ "name": "x", "lockfileVersion": 3 }'));
    assert.ok(!isServedDocument('/w/tsconfig.json', '{ "compilerOptions": {} }'));
  });
});

describe('app folder descriptions', () => {
  it('says nothing for an app at the top of the workspace, and the parent folder for a nested one', () => {
    assert.equal(appFolderDescription('door-light', 'door-light'), undefined);
    assert.equal(appFolderDescription('apps/door-light', 'door-light'), 'apps');
    assert.equal(appFolderDescription('a\\b\\door-light', 'door-light'), 'a/b');
    // A workspace folder that is the app itself: asRelativePath gives the absolute path.
    assert.equal(appFolderDescription('/home/u/door-light', 'door-light'), undefined);
  });
});
