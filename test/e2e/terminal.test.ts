/**
 * `smartplug` in the integrated terminal: the extension puts its launcher on the terminal's PATH, so
 * what Test Results and app.js's comments tell users to type works there as typed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { poll } from './harness';
import { shots, useSession } from './suite';

describe('e2e: smartplug in the integrated terminal', function () {
  this.timeout(120_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'terminal');

  it('a new terminal runs smartplug test by name, with the extension\'s CLI', async () => {
    const w = win();
    const out = path.join(session().workspace, 'terminal-run.jsonl');
    // Terminals opened before the extension activated are offered a relaunch; a new one has it.
    await poll('the extension to activate', () => /Activated in/.test(session().e2e.smartplugLog()));
    await w.runCommand('Terminal: Create New Terminal');
    await w.waitFor('.terminal-wrapper.active .xterm');
    await w.page.locator('.terminal-wrapper.active .xterm').click();
    // The shell's own commands write the file: only the PATH makes `smartplug` found.
    await w.page.keyboard.type(`command -v smartplug > terminal-which.txt; smartplug test thermostat --format json > ${path.basename(out)}; echo $? >> terminal-which.txt`);
    await w.page.keyboard.press('Enter');
    const which = await poll('the terminal to run smartplug', () => {
      const text = fs.existsSync(path.join(session().workspace, 'terminal-which.txt')) ? fs.readFileSync(path.join(session().workspace, 'terminal-which.txt'), 'utf8') : '';
      return text.split('\n').filter(Boolean).length >= 2 ? text : undefined;
    }, 60_000);
    await shot('ran');
    const [launcher, status] = which.trim().split('\n');
    assert.match(launcher, /[\\/]bin[\\/]smartplug$/, 'the launcher in the extension\'s storage is what the shell finds');
    assert.equal(status, '1', 'thermostat has one deliberately failing scenario');
    const ends = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; ok?: boolean; permissionModel?: boolean }).filter((e) => e.event === 'scenario-end');
    assert.deepEqual(ends.map((e) => e.ok).sort(), [false, true]);
    assert.ok(ends.every((e) => e.permissionModel === true));
  });

  it('"SmartPlug: Run App" runs the app of the editor in a terminal that completes device ids, and the app answers events', async () => {
    const w = win();
    await w.quickOpen('hall-light/app.js');
    await w.runCommand('SmartPlug: Run App');
    const terminal = w.page.locator('.terminal-wrapper.active .xterm-rows');
    const shown = () => terminal.innerText().catch(() => '');
    await poll('the app to run in the terminal', async () => /running Hall light 1\.0\.0 as hall-light-1 with 2 device\(s\)/.test(await shown()), 60_000);
    await w.page.locator('.terminal-wrapper.active .xterm').click();
    // Tab completes the device id; the rest is typed.
    await w.page.keyboard.type('front-d');
    await w.page.keyboard.press('Tab');
    await poll('Tab to complete the device id', async () => /› front-door /.test(await shown()));
    await w.page.keyboard.type('contact open');
    await w.page.keyboard.press('Enter');
    await poll('the app to turn the lamp on', async () => /hall-light-1 → Hall lamp\.on\(\)/.test(await shown()), 30_000);
    await shot('run-app');
    await w.runCommand('Terminal: Kill the Active Terminal Instance');
    await w.runCommand('View: Close All Editors');
  });
});
