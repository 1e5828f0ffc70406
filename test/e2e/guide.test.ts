/**
 * The configuration guide in code-server: "SmartPlug: Preview Configuration Guide" opens beside
 * app.json; typing in app.json changes the page as it is typed (a renamed label, then a broken
 * file shown where it is broken, then fixed); the page's Save writes instance.json; its Run starts
 * the app in a terminal with those values, and its Debug a debug session with them; and a scenario
 * run with that instance passes.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { poll, ROOT, Window } from './harness';
import { shots, useSession } from './suite';

/** A scenario that holds only with the values the test picks in the page: the lamp on at 60 for 3 minutes. */
const SCENARIO = {
  devices: '../devices.json',
  config: '../instance.json',
  start: '2024-01-01T12:00:00Z',
  scenarios: [
    {
      name: 'the guide\'s values: level 60, off after 3 minutes',
      steps: [
        { event: { device: 'front-door', attribute: 'contact', value: 'open' } },
        { expect: { attributes: { 'hall-lamp.level': 60 } } },
        { advance: '2m59s' },
        { expect: { attributes: { 'hall-lamp.switch': 'on' } } },
        { advance: '1s' },
        { expect: { attributes: { 'hall-lamp.switch': 'off' } } },
      ],
    },
  ],
};

describe('e2e: the configuration guide', function () {
  this.timeout(180_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'guide');
  let app: string;

  before(() => {
    // An app of its own, removed afterwards: its changed instance must not reach the Testing view's test.
    app = path.join(session().workspace, 'guide-light');
    fs.cpSync(path.join(ROOT, 'examples', 'door-light'), app, { recursive: true });
    fs.rmSync(path.join(app, 'tests'), { recursive: true });
  });
  after(async () => {
    await session.peek()?.samples.revertAndCloseAll();
    if (app) fs.rmSync(app, { recursive: true, force: true });
  });

  /** The guide's page: code-server puts a webview in an iframe, and its page in an inner one. */
  const guide = (): FrameLocator => win().page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const rendered = async (): Promise<{ count: number; at: number; first: number }> => {
    const root = guide().locator('#guide-root');
    const [count, at, first] = await Promise.all(['data-rendered', 'data-rendered-at', 'data-first-guide-at'].map((a) => root.getAttribute(a, { timeout: 2000 }).catch(() => null)));
    return { count: Number(count ?? 0), at: Number(at ?? 0), first: Number(first ?? 0) };
  };

  /** Back to app.json's editor (the first group), as a click on its text does. */
  const toAppJson = async () => {
    await win().page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').click();
    await poll('app.json\'s group to be active', async () => (await win().page.locator('.editor-group-container.active .tab.active').innerText().catch(() => '')).includes('app.json'));
  };

  it('opens beside app.json, follows it as it is typed, saves instance.json, and a scenario runs with it', async () => {
    const w = win();
    await w.quickOpen('guide-light/app.json');
    const pressed = await w.runCommand('SmartPlug: Preview Configuration Guide');
    const page = guide();
    await page.locator('#page-title').waitFor({ timeout: 30_000 });
    const opened = await rendered();
    assert.equal(await page.locator('#page-title').innerText(), 'Function selection');
    assert.equal(await page.locator('#instance-name').inputValue(), 'Hall light', 'the values of instance.json');
    // Beside the editor: two editor groups, app.json still in the first.
    assert.equal(await w.page.locator('.editor-group-container').count(), 2);
    await shot('opened');
    console.log(`      open to first render: ${(opened.first - pressed).toFixed(0)} ms (from the palette's Enter)`);

    // Values chosen in the page.
    await page.locator('#f-actuator_function-value').fill('60');
    await page.locator('.steps button').nth(1).click();
    await page.locator('#f-timeout').fill('3');

    // app.json typed in: the label changes on the page while the file is unsaved.
    await toAppJson();
    const text = await w.editorText();
    const at = Window.position(text, 'Light on time');
    await w.select(at.line, at.column, 'Light on time'.length);
    await w.page.keyboard.type('Minutes o');
    await poll('the page to follow the typing', async () => /Minutes o/.test(await page.locator('[data-key="timeout"] .field-label').innerText().catch(() => '')));
    const before = await rendered();
    const typed = Date.now();
    await w.page.keyboard.press('n');
    await poll('the page to show the new label', async () => /Minutes on/.test(await page.locator('[data-key="timeout"] .field-label').innerText().catch(() => '')));
    const after = await rendered();
    assert.ok(after.count > before.count);
    console.log(`      app.json edit to page updated: ${(after.at - typed).toFixed(0)} ms (one key)`);
    assert.equal(await page.locator('#f-timeout').inputValue(), '3', 'the value entered stays');

    // A broken app.json: the page says where, and keeps the guide and the values.
    await toAppJson();
    const colon = Window.position(await w.editorText(), '"timeout": {');
    await w.typeAt(colon.line, colon.column + '"timeout"'.length, ' ,');
    await guide().locator('.problem').waitFor({ timeout: 15_000 });
    assert.match(await page.locator('.problem').innerText(), /app\.json:\d+:\d+/);
    assert.equal(await page.locator('#f-timeout').inputValue(), '3');
    await shot('broken');
    for (let i = 0; i < 2; i++) await w.page.keyboard.press('Backspace');
    await guide().locator('.problem').waitFor({ state: 'detached', timeout: 15_000 });

    // Review, Save: instance.json on disk.
    await page.locator('#next').click();
    assert.equal(await page.locator('#page-title').innerText(), 'Summary');
    await shot('summary');
    await page.locator('#action-save').click();
    await poll('the page to say it saved', async () => /Saved to guide-light\/instance\.json/.test(await page.locator('#status').innerText().catch(() => '')));
    const saved = JSON.parse(fs.readFileSync(path.join(app, 'instance.json'), 'utf8')) as { config: Record<string, unknown>; name: string };
    assert.equal(saved.config.timeout, 3);
    assert.deepEqual(saved.config.actuator_function, { '4456': 60 });
    assert.equal(saved.name, 'Hall light');

    // Run: the app runs in a terminal with the page's config (not the app's file: the same here, as just saved).
    await page.locator('#action-run').click();
    await poll('the page to say it runs', async () => /Running guide-light with this instance/.test(await page.locator('#status').innerText().catch(() => '')));
    const terminal = w.page.locator('.terminal-wrapper.active .xterm-rows');
    await poll('the app to start in the terminal with the guide\'s values', async () => /light on for 3 min/.test(await terminal.innerText().catch(() => '')), 60_000);
    await shot('run');
    await w.runCommand('Terminal: Kill the Active Terminal Instance');

    // Debug: a smartplug session with the page's config; the Debug Console says what it runs.
    await page.locator('#action-debug').click();
    await w.waitFor('.debug-toolbar', undefined, 60_000);
    await poll('the page to say it debugs', async () => /Debugging guide-light with this instance/.test(await page.locator('#status').innerText().catch(() => '')));
    await w.runCommand('View: Toggle Debug Console');
    await poll('the session to run the app with the guide\'s values', async () => /light on for 3 min/.test(await w.page.locator('.repl').innerText().catch(() => '')), 60_000);
    await shot('debug');
    await w.page.locator('.debug-toolbar .codicon-debug-stop').click();
    await w.waitForGone('.debug-toolbar', 30_000);

    // A scenario run with the instance the page saved.
    fs.mkdirSync(path.join(app, 'tests'));
    fs.writeFileSync(path.join(app, 'tests', 'guide.scenario.json'), JSON.stringify(SCENARIO, null, 2));
    const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'runtime', 'cli.js'), 'test', app], { encoding: 'utf8' });
    assert.match(out, /1 passed/);
  });
});
