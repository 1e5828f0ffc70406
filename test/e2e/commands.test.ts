/**
 * The SmartPlug commands from the command palette: New App (a name prompt, then code-server's
 * folder dialog, a quick-pick style "simple file dialog" where one types the path) and Validate
 * Workspace.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { poll, sleep } from './harness';
import { shots, useSession } from './suite';

describe('e2e: SmartPlug commands', function () {
  this.timeout(120_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'commands');

  afterEach(async () => {
    await session.peek()?.samples.revertAndCloseAll();
  });

  it('"SmartPlug: New App" asks a name and a folder, writes the app and opens its app.js', async () => {
    const w = win();
    const parent = path.join(session().workspace, 'new-apps');
    fs.mkdirSync(parent, { recursive: true });
    const dir = path.join(parent, 'garage-door');
    // The new app stays in the workspace: the Testing view test runs its scenario too.
    {
      await w.runCommand('SmartPlug: New App');
      await w.waitFor('.quick-input-widget .quick-input-title', /SmartPlug: New App/);
      await w.quickInputType('garage door'); // not a folder-safe name: the prompt says why
      await w.waitFor('.quick-input-widget .quick-input-message', /" " is not allowed/);
      await shot('name-invalid');
      await w.quickInputType('garage-door');
      await poll('the name to be accepted', async () => !/not allowed/.test(await w.page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')));
      await w.page.keyboard.press('Enter');

      // The folder dialog: type the folder's path, Enter.
      await w.waitFor('.quick-input-widget .quick-input-title', /the folder to create "garage-door" in/);
      await w.waitFor('.quick-input-widget .monaco-button', /Create App Here/);
      await w.quickInputSet(`${parent}/`);
      await w.waitFor('.quick-input-widget .quick-input-list .monaco-list-row', /\.\./); // the dialog lists that folder
      await sleep(300);
      await shot('folder-dialog');
      await w.page.keyboard.press('Enter');

      await w.waitForActiveEditor('new-apps/garage-door/app.js');
      const js = await w.editorText();
      assert.match(js, /function installed\(\)/);
      for (const f of ['app.json', 'app.js', 'devices.json', 'instance.json', 'tests/garage-door.scenario.json']) assert.ok(fs.existsSync(path.join(dir, f)), `${f} was not written`);
      // The explorer shows the new folder and its files.
      const explorer = w.page.locator('.explorer-folders-view .monaco-list-row');
      await w.waitFor(explorer, /garage-door/); // "new-apps / garage-door" (compact folders)
      for (const name of ['app.json', 'app.js', 'tests']) await w.waitFor(explorer.filter({ has: w.page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) }));
      // A new app is a correct app: no problem for it, while the server does report typo-light's.
      await w.quickOpen('new-apps/garage-door/app.json');
      await w.quickOpen('typo-light/app.json');
      const problems = await w.waitForProblem((p) => /"timout", which is not an input/.test(p.message), 'unknown input "timout" (the server answers)');
      await w.quickOpen('new-apps/garage-door/app.json');
      await shot('created');
      const files = await w.page.locator('.markers-panel .monaco-list-row').evaluateAll((rs) => rs.map((r) => r.textContent ?? ''));
      assert.ok(!files.some((f) => /garage-door/.test(f)), `problems in the new app: ${JSON.stringify(files)}`);
      assert.deepEqual(problems.filter((p) => !/timout|"timeout" is on no guide page/.test(p.message)), []);
    }
  });

  it('"SmartPlug: Validate Workspace" checks every app without opening it and says what it found', async () => {
    const w = win();
    await w.runCommand('SmartPlug: Validate Workspace');
    const toast = await w.waitFor('.notifications-toasts .notification-toast .notification-list-item-message', /file\(s\) checked/, 60_000);
    const text = await toast.innerText();
    assert.match(text, /SmartPlug: \d+ file\(s\) checked: 1 error\(s\), \d+ warning\(s\)/);
    // The error is the typo-light guide's unknown input, now in Problems though no editor shows it.
    const problems = await w.waitForProblem((p) => /"timout", which is not an input/.test(p.message), 'unknown input "timout"');
    assert.equal(problems.filter((p) => p.severity === 'Error').length, 1, JSON.stringify(problems));
    await sleep(800); // the toast animates in
    await shot('validated');
    await w.runCommand('Notifications: Clear All Notifications');
  });
});
