/** F5 with no launch.json: the configuration for the file in the editor. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { appFolderOf, defaultLaunchFor } from '../../debugger/default-launch';
import { LAUNCH_PROPERTIES } from '../../debugger/launch-config';
import { ATTACH_PROPERTIES } from '../../debugger/attach-config';
import { DEBUGGEE_DIR, DEBUGGEE_JS } from './debuggee';

describe('debugger: the launch configuration of the file in the editor', () => {
  it('debugs the app of app.js or app.json', () => {
    assert.deepEqual(defaultLaunchFor(DEBUGGEE_JS), { type: 'smartplug', request: 'launch', app: DEBUGGEE_DIR, name: 'Debug debuggee' });
    assert.equal(defaultLaunchFor(path.join(DEBUGGEE_DIR, 'app.json'))?.app, DEBUGGEE_DIR);
  });

  it('debugs a scenario file as a scenario of its app (the nearest folder above with app.json)', () => {
    const file = path.join(DEBUGGEE_DIR, 'tests', 'debuggee.scenario.json');
    assert.equal(appFolderOf(file), DEBUGGEE_DIR);
    assert.deepEqual(defaultLaunchFor(file), { type: 'smartplug', request: 'launch', app: DEBUGGEE_DIR, scenario: file, name: 'Debug debuggee.scenario.json' });
  });

  it('offers nothing for a file outside any app', () => {
    assert.equal(defaultLaunchFor('/tmp/not-an-app/x.js'), undefined);
  });
});

describe('debugger: the smartplug debug type in package.json', () => {
  it('describes exactly the launch and attach properties the adapter reads', () => {
    type Attributes = { properties: Record<string, unknown> };
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { debuggers: { type: string; configurationAttributes: { launch: Attributes; attach: Attributes } }[] } };
    const smartplug = pkg.contributes.debuggers.find((d) => d.type === 'smartplug');
    assert.ok(smartplug, 'a smartplug debugger is contributed');
    assert.deepEqual(Object.keys(smartplug.configurationAttributes.launch.properties).sort(), [...LAUNCH_PROPERTIES].sort());
    assert.deepEqual(Object.keys(smartplug.configurationAttributes.attach.properties).sort(), [...ATTACH_PROPERTIES].sort());
  });
});
