/**
 * A new user's first minutes: the walkthrough and its buttons, the Explorer's SmartPlug Apps view,
 * and the language status item with a restart that shows it happened and logs no error.
 * (The Apps view's welcome in a workspace without apps is checked in faults.test.ts, in the
 * window it opens on such a workspace.)
 */
import * as assert from 'node:assert/strict';
import { poll, sleep } from './harness';
import { shots, useSession } from './suite';

describe('e2e: onboarding', function () {
  this.timeout(150_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'onboarding');

  afterEach(async () => {
    const w = session.peek()?.samples;
    if (!w) return;
    await w.escape(2);
    await sleep(500);
    await w.runCommand('Notifications: Clear All Notifications').catch(() => {});
    // The walkthrough page can hold the focus a moment after its button ran a command: try again once.
    await w.revertAndCloseAll().catch(async () => {
      await w.escape(2);
      await sleep(1000);
      await w.revertAndCloseAll();
    });
  });

  it('has a walkthrough of four steps, each with a button that does it', async () => {
    const w = win();
    // The page as a user first sees it: no panel left open by an earlier test.
    await w.runCommand('View: Hide Panel').catch(() => {});
    await w.runCommand('Welcome: Open Walkthrough...');
    await w.waitFor('.quick-input-widget .quick-input-list .monaco-list-row', /Get Started with SmartPlug/);
    await w.quickInputType('Get Started with SmartPlug');
    await sleep(300);
    await w.page.keyboard.press('Enter');
    const page = w.page.locator('.editor-group-container');
    await w.waitFor(page.locator('.getting-started-step .step-title', { hasText: 'Create an app' }));
    const steps = page.locator('.getting-started-step:visible');
    await poll('the four steps', async () => (await steps.count()) >= 4);
    const titles = (await steps.locator('.step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, ['Create an app', 'Write the script', 'Run the scenario tests', 'Validate the workspace']);
    // Each step's button, by its label (a link on its own line is drawn as a button).
    const buttons: Record<string, string> = {
      'Create an app': 'New SmartPlug App',
      'Write the script': 'Open App Script',
      'Run the scenario tests': 'Run All Scenario Tests',
      'Validate the workspace': 'Validate Workspace',
    };
    for (const [title, label] of Object.entries(buttons)) {
      await steps.filter({ hasText: title }).locator('.step-title').click();
      await w.waitFor(steps.filter({ hasText: title }).locator('.monaco-button, a.button-link, .button-link'), new RegExp(label));
    }
    await shot('walkthrough');

    // The last step's button validates the workspace.
    await steps.filter({ hasText: 'Validate the workspace' }).locator('.monaco-button, .button-link', { hasText: 'Validate Workspace' }).first().click();
    await w.waitFor('.notifications-toasts .notification-toast .notification-list-item-message', /SmartPlug: \d+ file\(s\) checked/, 60_000);
    await shot('walkthrough-validated');

    // The script step's button (the walkthrough is still open): several apps, so it asks which one, then opens its app.js.
    await steps.filter({ hasText: 'Write the script' }).locator('.step-title').click();
    await steps.filter({ hasText: 'Write the script' }).locator('.monaco-button, .button-link', { hasText: 'Open App Script' }).first().click();
    await w.waitFor('.quick-input-widget .quick-input-title', /Open the script of which app\?/);
    const apps = (await w.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
    // Ours only: the Expo project's app.json is no SmartPlug app.
    assert.ok(apps.includes('porch-light') && apps.includes('thermostat') && !apps.includes('expo-app'), JSON.stringify(apps));
    await w.quickInputType('porch-light');
    // The row itself, once filtered: an Enter pressed while the list was still filtering was lost once.
    await w.waitFor(w.quickInputRows(), /porch-light/);
    await w.quickInputRows().filter({ hasText: 'porch-light' }).first().click();
    await w.waitForActiveEditor('porch-light/app.js');
    await shot('walkthrough-script');
  });

  it('lists the apps in the Explorer\'s SmartPlug Apps view, each with its files', async () => {
    const w = win();
    await w.runCommand('Explorer: Focus on SmartPlug Apps View');
    const view = w.page.locator('.pane').filter({ has: w.page.locator('.pane-header', { hasText: /SmartPlug Apps/ }) });
    const rows = view.locator('.monaco-list-row');
    await w.waitFor(rows, /Porch light/);
    const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(labels.some((l) => /^Porch light ?porch-light$/.test(l)), JSON.stringify(labels));
    assert.ok(labels.some((l) => /^Thermostat ?thermostat$/.test(l)), JSON.stringify(labels));
    assert.ok(!labels.some((l) => /Porch companion|expo-app/.test(l)), `an Expo project listed as an app: ${JSON.stringify(labels)}`);
    // Clicking an app opens its script; its files are under it.
    await rows.filter({ hasText: 'Thermostat' }).first().click();
    await w.waitForActiveEditor('thermostat/app.js');
    // Room for the app's files: the workspace's folder tree above the view is folded away.
    const folders = w.page.locator('.pane-header', { hasText: /^samples$/i });
    if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
    await rows.filter({ hasText: 'Thermostat' }).first().locator('.monaco-tl-twistie').click();
    for (const file of ['app.js', 'app.json', 'devices.json', 'thermostat.scenario.json']) await w.waitFor(rows.filter({ has: w.page.locator('.label-name', { hasText: new RegExp(`^${file.replace(/\./g, '\\.')}$`) }) }));
    await shot('apps-view');
  });

  it('shows the language server in the language status, and a restart shows it restarted with no error logged', async () => {
    const w = win();
    await w.quickOpen('porch-light/app.json');
    const status = w.page.locator('.statusbar-item[id="status.languageStatus"]');
    await w.waitFor(status);
    await status.click();
    const hover = w.page.locator('.hover-language-status');
    await w.waitFor(hover, /SmartPlug: Running/);
    await shot('language-status');
    await hover.locator('a, .monaco-link', { hasText: 'Restart or Show Output' }).first().click();
    await w.waitFor('.quick-input-widget .quick-input-title', /SmartPlug Language Server: Running/);
    await w.quickInputType('Restart Language Server');
    await sleep(200);
    await w.page.keyboard.press('Enter');
    await w.waitFor('.statusbar', /SmartPlug language server restarted/, 60_000);
    await shot('restarted');
    const out = await poll('the log to say it restarted', async () => {
      const text = session().e2e.smartplugLog();
      return /The SmartPlug language server restarted\./.test(text) ? text : undefined;
    });
    // The old server's normal exit is no error.
    const errors = out.split('\n').filter((l) => /\[error\]/.test(l));
    assert.deepEqual(errors.filter((l) => /exited with code 0/.test(l)), [], errors.join('\n'));
    assert.match(out, /\[info\] Server process exited with code 0\./);
    // And it works again: the server answers with diagnostics.
    await w.quickOpen('typo-light/app.json');
    await w.waitForProblem((p) => /"timout", which is not an input/.test(p.message), 'unknown input "timout" after the restart', false, 60_000);
  });
});
