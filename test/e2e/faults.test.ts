/**
 * Faults a user may meet: the language server dies (it is restarted, the output says so, and
 * diagnostics work again); a server that cannot start at all (restarted within its budget, then
 * one notification); a file of many megabytes (the editor stays responsive and other files'
 * diagnostics still update); a workspace without apps (New App offered, no language server).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { E2E, ensureVsix, NO_APPS_WORKSPACE, poll, ROOT, SAMPLE_WORKSPACE, sleep, Window } from './harness';
import { bigAppJson } from './big-app';
import { shots, useSession } from './suite';

describe('e2e: faults', function () {
  this.timeout(150_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'faults');

  afterEach(async () => {
    await session.peek()?.samples.revertAndCloseAll();
  });

  it('restarts a language server that was killed, says so in the SmartPlug output, and diagnostics work again', async () => {
    const w = win();
    const e2e = session().e2e;
    // The server of this window (code-server's only window now), once it has answered.
    await w.quickOpen('typo-light/app.json');
    await w.waitForProblem((p) => /"timout", which is not an input/.test(p.message), 'unknown input "timout"');
    const before = await poll('the language server process', () => {
      const ls = e2e.languageServers();
      return ls.length === 1 ? ls[0] : undefined;
    });
    process.kill(before.pid, 'SIGKILL');
    const after = await poll('a new language server process', () => e2e.languageServers().find((p) => p.pid !== before.pid), 60_000);
    assert.equal(after.ppid, before.ppid, 'restarted by the same extension host');

    await w.runCommand('SmartPlug: Show Output');
    await poll('the output to say the server is restarted', async () => /stopped unexpectedly; restarting it/.test(await w.outputText()), 30_000);
    await shot('output-after-kill');

    // Diagnostics work again: a new mistake in an app.json is reported.
    await w.quickOpen('thermostat/app.json');
    const at = Window.position(await w.editorText(), '"heater"', 1); // in the guide
    await w.select(at.line, at.column + 1, 'heater'.length); // the name inside the quotes
    await w.page.keyboard.type('heatr');
    const problems = await w.waitForProblem((p) => /"heatr", which is not an input; did you mean "heater"\?/.test(p.message), 'unknown input "heatr"');
    assert.equal(problems.find((p) => /heatr/.test(p.message))!.line, at.line);
    assert.deepEqual(problems.filter((p) => p.source !== 'smartplug' && p.severity === 'Error'), [], 'the edit left the JSON whole');
    await shot('diagnostics-after-restart');
  });

  it('a language server that cannot start is restarted within its budget, then one notification says so, with Restart and Show Output', async () => {
    // The extension as installed, with a server bundle that fails as it loads (a broken install).
    ensureVsix();
    const ext = fs.mkdtempSync(path.join(os.tmpdir(), 'smartplug-broken-'));
    for (const part of ['package.json', 'dist', 'schemas']) fs.cpSync(path.join(ROOT, part), path.join(ext, part), { recursive: true });
    fs.writeFileSync(path.join(ext, 'dist', 'server', 'main.js'), "throw new Error('the server bundle is broken');\n");
    const e2e = await E2E.start({ extensionFolder: ext });
    try {
      const w = await e2e.open(e2e.copyWorkspace(SAMPLE_WORKSPACE));
      await w.quickOpen('typo-light/app.json');
      await w.runCommand('SmartPlug: Show Output');
      await poll('the output to say the client gave up', async () => /stopped 5 times in 3 minutes and will not be restarted/.test(await w.outputText()), 60_000);
      // The whole channel, from its log file (the panel shows only the lines in view).
      const logs = (fs.readdirSync(path.join(e2e.tmp, 'user-data', 'logs'), { recursive: true }) as string[]).filter((f) => f.endsWith(`${path.sep}SmartPlug.log`));
      assert.equal(logs.length, 1, JSON.stringify(logs));
      const output = fs.readFileSync(path.join(e2e.tmp, 'user-data', 'logs', logs[0]), 'utf8');
      assert.match(output, /the server bundle is broken/, 'the cause is in the output');
      assert.match(output, /restarting it \(restart 4 of at most 4/);
      await sleep(1000);
      await w.runCommand('Notifications: Show Notifications');
      const center = w.page.locator('.notifications-center .notification-list-item');
      await center.first().waitFor();
      await w.screenshot('faults-server-cannot-start');
      const messages = await w.page.locator('.notifications-center .notification-list-item-message').allInnerTexts();
      assert.deepEqual(messages, ['The SmartPlug language server stopped 5 times in 3 minutes and will not be restarted.']);
      const buttons = await center.first().locator('.monaco-button').allInnerTexts();
      assert.deepEqual(buttons.map((b) => b.trim()), ['Restart', 'Show Output']);
    } finally {
      await e2e.stop();
      fs.rmSync(ext, { recursive: true, force: true });
    }
  });

  it('stays responsive with a 5 MB app.json open: typing shows at once and another file\'s diagnostics still update', async () => {
    const w = win();
    const dir = path.join(session().workspace, 'big-app');
    const text = bigAppJson(5 * 1024 * 1024);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.json'), text);
    try {
      let t0 = Date.now();
      await w.quickOpen('big-app/app.json');
      const openMs = Date.now() - t0;
      // Its one mistake, at the very end, is found.
      const last = text.match(/"input_(\d+)x"/)!;
      const problems = await w.waitForProblem((p) => p.message.includes(`${last[0]}, which is not an input; did you mean "input_${last[1]}"?`), 'the misspelt input at the end', false, 60_000);
      const diagnosticsMs = Date.now() - t0;
      assert.equal(problems.find((p) => p.message.includes(last[0]))!.line, Window.position(text, last[0]).line);
      await shot('big-file-diagnostics');

      // Typing: each character shows in the editor while the server re-checks 5 MB after each one.
      await w.goTo(4, 19); // "description": "|A generated…
      const echo: number[] = [];
      for (const ch of 'Typed ') {
        t0 = Date.now();
        await w.page.keyboard.type(ch);
        await poll('the typed character', async () => (await w.visibleLines()).some((l) => l.includes(`"description": "${'Typed '.slice(0, echo.length + 1)}A generated`)), 10_000, 10);
        echo.push(Date.now() - t0);
      }
      await shot('big-file-typed');

      // Meanwhile another file's diagnostics still update.
      t0 = Date.now();
      await w.quickOpen('thermostat/app.json');
      const at = Window.position(await w.editorText(), '"sensor"', 1);
      await w.select(at.line, at.column + 1, 'sensor'.length);
      await w.page.keyboard.type('sensr');
      t0 = Date.now();
      await w.waitForProblem((p) => /"sensr", which is not an input/.test(p.message), 'unknown input "sensr"', false, 30_000);
      const otherMs = Date.now() - t0;
      await shot('other-file-diagnostics');
      const figures = { fileMB: +(text.length / 1048576).toFixed(1), openMs, diagnosticsMs, echoMs: echo, maxEchoMs: Math.max(...echo), otherFileDiagnosticsMs: otherMs };
      session().e2e.log(`5 MB app.json: ${JSON.stringify(figures)}`);
      assert.ok(figures.maxEchoMs < 3000, `a typed character took ${figures.maxEchoMs} ms to show`);
      assert.ok(otherMs < 15_000, `another file's diagnostics took ${otherMs} ms`);
    } finally {
      await w.revertAndCloseAll();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in a workspace without apps, offers "New SmartPlug App" and starts no language server', async () => {
    const e2e = session().e2e;
    const servers = e2e.languageServers().length;
    const empty = await e2e.open(e2e.copyWorkspace(NO_APPS_WORKSPACE));
    try {
      // The Explorer's SmartPlug Apps view says there is no app, once it has looked, with the action.
      await empty.runCommand('Explorer: Focus on SmartPlug Apps View');
      const view = empty.page.locator('.pane').filter({ has: empty.page.locator('.pane-header', { hasText: /SmartPlug Apps/ }) });
      await empty.waitFor(view.locator('.welcome-view-content'), /There is no SmartPlug app in this workspace yet/);
      await empty.waitFor(view.locator('.welcome-view-content .monaco-button'), /New SmartPlug App/);
      await empty.screenshot('faults-no-apps-welcome');
      // Opening a JSON file there starts no language server.
      await empty.quickOpen('notes.json');
      await sleep(3000);
      assert.equal(e2e.languageServers().length, servers, 'a language server started for a workspace without apps');
      await empty.screenshot('faults-no-apps-json-open');
      // Validate Workspace finds nothing to check, and offers the same action.
      await empty.runCommand('SmartPlug: Validate Workspace');
      const toast = await empty.waitFor('.notifications-toasts .notification-toast', /no app\.json, manifest\.json or \*\.load\.json in this workspace/);
      await empty.waitFor(toast.locator('.monaco-button'), /New SmartPlug App/);
      await empty.screenshot('faults-no-apps-validate');
      // The button starts New App: its name prompt opens.
      await toast.locator('.monaco-button', { hasText: 'New SmartPlug App' }).click();
      await empty.waitFor('.quick-input-widget .quick-input-title', /SmartPlug: New App/);
      await empty.escape();
      assert.equal(e2e.languageServers().length, servers, 'a language server started for a workspace without apps');
    } finally {
      await empty.close();
    }
  });
});
