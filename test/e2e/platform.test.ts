/**
 * The platform in the editor, driven as a user would: the SmartPlug views' welcome, Start Local
 * Environment (a real `smartplug up` on code-server's Node), the App Store, Things and Templates
 * filled live, an inherited app's removal refused with the seed's reason, Test Connection, and the
 * broker going away and coming back.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { poll, processes, sleep, type Window } from './harness';
import { restoreSample, shots, useSession } from './suite';

describe('e2e: the platform in the editor', function () {
  this.timeout(240_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'platform');
  const pane = (w: Window, name: string) => w.page.locator('.pane').filter({ has: w.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${name}`) }) });
  const rows = (w: Window, name: string) =>
    pane(w, name).locator('.monaco-list-row').evaluateAll((rs) => rs.map((r) => `${r.querySelector('.label-name')?.textContent ?? ''} ${r.querySelector('.label-description')?.textContent ?? ''}`.trim()));
  const statusText = (w: Window) => w.page.locator('.statusbar-item[id="smartplug.smartplug-apps-ide.smartplug.platform"], .statusbar-item[id$="smartplug.platform"]').first().innerText().catch(() => '');
  /** A real mouse drag: press on one row, move over the other in steps (VS Code's trees use HTML5 drag and drop), release. */
  const drag = async (w: Window, from: Locator, to: Locator) => {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await w.page.mouse.move(a.x + 40, a.y + a.height / 2);
    await w.page.mouse.down();
    await w.page.mouse.move(a.x + 50, a.y + a.height / 2 + 4, { steps: 4 });
    await w.page.mouse.move(b.x + 50, b.y + b.height / 2, { steps: 20 });
    await sleep(250);
    await w.page.mouse.up();
  };
  /** The `smartplug up` VS Code started for this workspace. */
  const upProcess = () => processes().find((p) => /dist\/platform\/cli\.js up --dir/.test(p.args) && p.args.includes(session().workspace));

  after(async () => {
    const s = session.peek();
    if (!s) return;
    if (upProcess()) await s.samples.runCommand('SmartPlug: Stop Local Environment').catch(() => undefined);
    await poll('the local environment to stop', () => !upProcess(), 30_000).catch(() => undefined);
    fs.rmSync(path.join(s.workspace, '.smartplug'), { recursive: true, force: true });
    restoreSample(s, 'hall-light');
    fs.rmSync(path.join(s.workspace, 'hall-light', '.smartplug', 'deployed.json'), { force: true });
    // The suites after this one click in the Explorer: put it back in front of the SmartPlug views.
    // and close the panel (Thing logs, Output) that takes room from the Explorer's list.
    await s.samples.runCommand('View: Show Explorer').catch(() => undefined);
    await s.samples.runCommand('View: Hide Panel').catch(() => undefined);
  });

  it('offers to start a local environment, and starting it fills the views live', async () => {
    const w = win();
    await w.runCommand('SmartPlug: Focus on App Store View');
    await w.waitFor(pane(w, 'App Store').locator('.welcome-view-content'), /Not connected to a SmartPlug platform/);
    assert.match(await statusText(w), /SmartPlug/);
    await shot('welcome');
    await pane(w, 'App Store').locator('.welcome-view-content .monaco-button', { hasText: 'Start Local Environment' }).click();
    await w.waitFor('.notifications-toasts', /SmartPlug local environment/, 20_000);
    await shot('starting');
    await w.waitFor(pane(w, 'App Store').locator('.monaco-list-row'), /Door light/, 120_000);
    const things = await poll('three Things running in the Things view', async () => {
      const r = await rows(w, 'Things');
      return r.length >= 3 && r.filter((t) => /^thing-\d running · 1 app · home$/.test(t)).length === 3 ? r : undefined;
    }, 60_000);
    assert.deepEqual(things.slice(0, 3).map((t) => t.split(' ')[0]), ['thing-1', 'thing-2', 'thing-3']);
    await poll('the status bar to say connected', async () => /SmartPlug: local · 3 Things/.test(await statusText(w)));
    assert.ok(upProcess(), 'smartplug up runs, started by the extension');
    assert.ok(fs.existsSync(path.join(session().workspace, '.smartplug', 'secrets.json')));
    await shot('filled');
  });

  it('shows a Thing\'s inherited app, and refuses to remove it with the seed\'s reason', async () => {
    const w = win();
    const thing1 = pane(w, 'Things').locator('.monaco-list-row', { hasText: 'thing-1' }).first();
    await thing1.click();
    await w.page.keyboard.press('ArrowRight');
    const app = pane(w, 'Things').locator('.monaco-list-row', { hasText: 'Hall light' }).first();
    await app.waitFor({ timeout: 10_000 });
    await poll('the inherited app row', async () => (await rows(w, 'Things')).includes('Hall light Door light 1.0.0 · running · from Template home'));
    await shot('inherited-app');
    await app.click({ button: 'right' });
    const item = w.page.getByRole('menuitem', { name: 'Remove from Thing' });
    await item.waitFor();
    // VS Code's menus ignore a click that comes too soon after they open (the right-click's own release).
    await sleep(500);
    await item.click();
    const dialog = w.page.locator('.monaco-dialog-box');
    await w.waitFor(dialog, /cannot be removed from thing-1: it is inherited from its Production Template "home"/);
    assert.match(await dialog.innerText(), /can only be removed from the Template, which must then be saved/);
    await shot('inherited-refused');
    await dialog.locator('.monaco-button', { hasText: 'Show Template' }).click();
    await w.waitFor(pane(w, 'Templates').locator('.monaco-list-row.selected'), /Home/);
    await w.waitFor(pane(w, 'Templates').locator('.monaco-list-row'), /thing-3/);
    await shot('template-shown');
  });

  it('Test Connection tries the platform, the token and the broker', async () => {
    const w = win();
    await w.runCommand('SmartPlug: Test Connection');
    await w.waitFor('.notifications-toasts', /all 3 checks passed/, 20_000);
    await shot('test-connection');
    await w.escape();
  });

  it('deploys an app from the palette, and offers the version bump the second time', async () => {
    const w = win();
    await w.quickOpen('hall-light/app.json');
    await w.runCommand('SmartPlug: Deploy App to Store');
    await w.waitFor('.notifications-toasts', /Deployed Hall light 1\.0\.0 to the App Store/, 30_000);
    await poll('the App Store to list it', async () => (await rows(w, 'App Store')).includes('Hall light 1.0.0 · 1 version'));
    await shot('deployed');
    // Again, unchanged: the App Store has 1.0.0, so the bump is offered and written to app.json.
    await w.runCommand('SmartPlug: Deploy App to Store');
    await w.waitFor(w.quickInputRows(), /1\.0\.1/);
    await shot('version-bump');
    await w.quickInputRows().filter({ hasText: '1.0.1' }).first().click();
    await w.waitFor('.notifications-toasts', /Deployed Hall light 1\.0\.1/, 30_000);
    assert.match(fs.readFileSync(path.join(session().workspace, 'hall-light', 'app.json'), 'utf8'), /"version": "1\.0\.1"/);
    await poll('the App Store to show both versions', async () => (await rows(w, 'App Store')).includes('Hall light 1.0.1 · 2 versions'));
    await w.runCommand('View: Close All Editors');
  });

  it('refuses to deploy a renamed app, with the seed\'s reason, and sends nothing', async () => {
    const w = win();
    const file = path.join(session().workspace, 'hall-light', 'app.json');
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, original.replace('"name": "Hall light"', '"name": "Corridor light"'));
      await w.quickOpen('hall-light/app.json');
      await w.runCommand('SmartPlug: Deploy App to Store');
      const dialog = w.page.locator('.monaco-dialog-box');
      await w.waitFor(dialog, /Deploy refused: this app was deployed to .* as "Hall light" \(app \d+\), and its app\.json now names it "Corridor light"/, 30_000);
      assert.match(await dialog.innerText(), /A deployed app cannot be renamed \(seed 000: SmartApp scripts cannot be renamed once they are deployed\)/);
      await shot('rename-refused');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await sleep(1000);
      assert.ok(!(await rows(w, 'App Store')).some((r) => r.startsWith('Corridor light')), 'nothing was deployed');
    } finally {
      fs.writeFileSync(file, original);
      await w.runCommand('View: Revert and Close Editor').catch(() => undefined);
    }
  });

  it('a drag onto a Thing provisions the app there, with the folder\'s instance.json, until it runs', async () => {
    const w = win();
    const source = pane(w, 'App Store').locator('.monaco-list-row', { hasText: 'Hall light' }).first();
    const target = pane(w, 'Things').locator('.monaco-list-row', { hasText: 'thing-2' }).first();
    await drag(w, source, target);
    await w.waitFor('.notifications-toasts', /Hall \(Hall light 1\.0\.1\) runs on thing-2/, 60_000);
    await poll('thing-2 to run two apps', async () => (await rows(w, 'Things')).some((r) => /^thing-2 running · 2 apps/.test(r)));
    await shot('dropped-on-thing');
  });

  it('a drag onto one of several selected Things provisions all of them, as one bulk action', async () => {
    const w = win();
    const things = pane(w, 'Things');
    await things.locator('.monaco-list-row', { hasText: 'thing-1' }).first().click();
    await things.locator('.monaco-list-row', { hasText: 'thing-3' }).first().click({ modifiers: ['Control'] });
    const source = pane(w, 'App Store').locator('.monaco-list-row', { hasText: 'Hall light' }).first();
    // Expanded: its versions are offered too; the older one is dragged.
    await source.click();
    await w.page.keyboard.press('ArrowRight');
    const older = pane(w, 'App Store').locator('.monaco-list-row', { hasText: /^\s*1\.0\.0/ }).first();
    await drag(w, older, things.locator('.monaco-list-row', { hasText: 'thing-3' }).first());
    await w.waitFor('.notifications-toasts', /Hall \(Hall light 1\.0\.0\) runs on each of the 2 Things/, 60_000);
    const rowsNow = await rows(w, 'Things');
    assert.ok(rowsNow.some((r) => /^thing-1 running · 2 apps/.test(r)) && rowsNow.some((r) => /^thing-3 running · 2 apps/.test(r)), rowsNow.join('\n'));
    await shot('dropped-on-selection');
  });

  it('a drag onto a Template shows the dry run, and provisions every Thing of it once confirmed', async () => {
    const w = win();
    const source = pane(w, 'App Store').locator('.monaco-list-row', { hasText: 'Hall light' }).first();
    const target = pane(w, 'Templates').locator('.monaco-list-row', { hasText: 'Home' }).first();
    await drag(w, source, target);
    const dialog = w.page.locator('.monaco-dialog-box');
    await w.waitFor(dialog, /Provision Template "Home" with Hall \(Hall light 1\.0\.1\)\? 3 Things change: 3 apps gained, 0 lost, 0 changed/);
    assert.match(await dialog.innerText(), /thing-1: \+ Hall 1\.0\.1/);
    await shot('template-dry-run');
    await dialog.locator('.monaco-button', { hasText: 'Save and Provision' }).click();
    await w.waitFor('.notifications-toasts', /runs on each of the 3 Things/, 90_000);
    await poll('every Thing to run the inherited app', async () => (await rows(w, 'Things')).filter((r) => /^thing-\d running · 3 apps/.test(r)).length === 3);
    await shot('template-provisioned');
  });

  it('the configuration guide installs its instance on a Thing picked in a quick pick', async () => {
    const w = win();
    await w.quickOpen('hall-light/app.json');
    await w.runCommand('SmartPlug: Preview Configuration Guide');
    const page = w.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await page.locator('#next').waitFor({ timeout: 30_000 });
    for (let i = 0; i < 5 && (await page.locator('#action-install').count()) === 0; i++) await page.locator('#next').click();
    await page.locator('#action-install').click();
    await w.waitFor(w.quickInputRows(), /thing-3/);
    await w.quickInputRows().filter({ hasText: 'thing-3' }).first().locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
    await shot('guide-install-pick');
    await w.page.keyboard.press('Enter');
    await poll('the page to say it is installed', async () => /Installed: Hall \(Hall light 1\.0\.1\) runs on thing-3/.test(await page.locator('#status').innerText().catch(() => '')), 60_000);
    await shot('guide-installed');
    await w.runCommand('View: Close All Editors');
  });

  it('Show Thing Logs streams a Thing\'s app logs into its own output channel', async () => {
    const w = win();
    await w.runCommand('SmartPlug: Focus on Things View');
    const thing = pane(w, 'Things').locator('.monaco-list-row', { hasText: 'thing-2' }).first();
    await thing.click({ button: 'right' });
    const item = w.page.getByRole('menuitem', { name: 'Show Thing Logs' });
    await item.waitFor();
    await sleep(500);
    await item.click();
    await w.waitFor(w.quickInputRows(), /Every app and the agent/);
    await w.quickInputRows().filter({ hasText: 'Every app and the agent' }).first().click();
    // The local environment opens the door of a Thing picked at random every 5 s (so thing-2's
    // within 2 min, all but certainly); its apps say so.
    await poll('an app log line in the channel', async () => /Following thing-2/.test(await w.outputText().catch(() => '')) && /\[(Hall light|Hall)\] Front door opened/.test(await w.outputText().catch(() => '')), 120_000);
    // The SmartPlug log grammar, injected into VS Code's log language, colours the app's name
    // apart from the rest of the line (a token of its own: same-coloured tokens are merged).
    const appToken = w.page.locator('.panel .output-view .view-line span span').filter({ hasText: /^Hall([\s\u00a0]light)?$/ });
    await poll('the app name coloured as a token of its own', async () => (await appToken.count()) > 0);
    await shot('thing-logs');
  });

  it('Open JS Shell attaches a terminal to a Thing: Tab completes an app\'s name, and an expression runs in its sandbox', async () => {
    const w = win();
    await w.runCommand('SmartPlug: Focus on Things View');
    const thing = pane(w, 'Things').locator('.monaco-list-row', { hasText: 'thing-1' }).first();
    await thing.click({ button: 'right' });
    const item = w.page.getByRole('menuitem', { name: 'Open JS Shell' });
    await item.waitFor();
    await sleep(500);
    await item.click();
    const terminal = w.page.locator('.terminal-wrapper.active .xterm-rows');
    const shown = () => terminal.innerText().catch(() => '');
    await poll('the shell to greet and prompt', async () => /JS Shell of thing-1[\s\S]*thing-1› /.test(await shown()), 30_000);
    await w.page.locator('.terminal-wrapper.active .xterm').click();
    // thing-1 has "Hall" (dropped by an earlier test) and "Hall light": Tab completes the one named.
    await w.page.keyboard.type('.app Hall l');
    await w.page.keyboard.press('Tab');
    await poll('Tab to complete the app name', async () => /› \.app Hall light/.test(await shown()));
    await w.page.keyboard.press('Enter');
    await poll('the prompt to name the app', async () => /thing-1\/Hall light› /.test(await shown()));
    await w.page.keyboard.type('log.info("from the shell", typeof state); 6 * 7');
    await w.page.keyboard.press('Enter');
    await poll('the log line, then the value', async () => /app:Hall light: from the shell object\s+42\s/.test(await shown()), 30_000);
    await shot('js-shell');
    await w.runCommand('Terminal: Kill the Active Terminal Instance');
  });

  it('says so when the broker goes away, keeps the views, and recovers when it is back', async () => {
    const w = win();
    const up = upProcess()!;
    // Stopped from outside VS Code, as a crash or a Ctrl-C elsewhere would.
    process.kill(up.pid, 'SIGINT');
    await poll('the status bar to warn', async () => /SmartPlug: broker unreachable/.test(await statusText(w)), 30_000);
    assert.ok((await rows(w, 'Things')).some((r) => r.startsWith('thing-1')), 'the views keep what they read');
    await shot('broker-lost');
    // The status bar's quick pick starts it again.
    await w.page.locator('.statusbar-item', { hasText: 'SmartPlug: broker unreachable' }).first().click();
    await w.waitFor(w.quickInputRows(), /Start Local Environment/);
    await w.quickInputRows().filter({ hasText: 'Start Local Environment' }).first().click();
    await poll('the status bar to say connected again', async () => /SmartPlug: local · 3 Things/.test(await statusText(w)), 120_000);
    // Everything provisioned before comes back: the store and the Things' apps are kept in .smartplug.
    await poll('the Things to run again', async () => (await rows(w, 'Things')).filter((t) => /^thing-\d running · [34] apps/.test(t)).length === 3, 60_000);
    await shot('recovered');
  });
});
