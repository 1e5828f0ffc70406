/**
 * The files a test depends on, checked and completed as the user types, in a real VS Code (the
 * hall-light sample): a scenario typo is a problem with a quick fix at once, renaming an input
 * follows into instance.json and the scenario, and completion offers attributes in app.js's
 * subscribe() and device ids in a scenario. Screenshots: test-results/e2e/app-files-*.png.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { poll, Window } from './harness';
import { restoreSample, shots, useSession } from './suite';

describe('e2e: scenarios, instance.json and devices.json as you type', function () {
  this.timeout(120_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'app-files');
  const SCENARIO = 'hall-light/tests/hall-light.scenario.json';

  /** Ctrl+Space until the suggest widget shows (a busy machine can drop the first request). */
  async function suggest(): Promise<Awaited<ReturnType<ReturnType<typeof win>['suggestions']>>> {
    const w = win();
    for (let attempt = 1; ; attempt++) {
      await w.page.keyboard.press('Control+Space');
      const shown = await w.page.locator('.editor-widget.suggest-widget .monaco-list-row').first().waitFor({ timeout: 8000 }).then(() => true, () => false);
      if (shown || attempt === 3) return w.suggestions();
      await w.escape();
    }
  }

  afterEach(async () => {
    await session.peek()?.samples.revertAndCloseAll();
  });

  it('shows a misspelt step kind in a scenario as a problem while typing, and its quick fix corrects it', async () => {
    const w = win();
    await w.quickOpen(SCENARIO);
    const at = Window.position(await w.editorText(), '"advance"');
    // Type the mistake (nothing is saved): "advance" → "advnace".
    await w.select(at.line, at.column + 1, 'advance'.length);
    await w.page.keyboard.type('advnace', { delay: 30 });
    await w.waitForLine(/\{ "advnace": "2m" \}/);
    const problems = await w.waitForProblem((p) => /unknown step kind "advnace"; did you mean "advance"\?/.test(p.message), 'the misspelt step kind');
    const p = problems.find((x) => /advnace/.test(x.message))!;
    assert.equal(p.severity, 'Error');
    assert.equal(p.source, 'smartplug');
    assert.deepEqual({ line: p.line, column: p.column }, at, p.label);
    assert.match(p.message, /Fix: rename it to "advance"/);
    assert.equal(problems.filter((x) => /advnace/.test(x.message)).length, 1, JSON.stringify(problems));
    await poll('an error squiggle', async () => (await w.squiggles('error')) > 0);
    await shot('step-typo');

    await w.goTo(at.line, at.column + 2);
    await w.page.keyboard.press('Control+.');
    await w.pickCodeAction('Change to "advance"');
    await w.waitForLine(/\{ "advance": "2m" \}/);
    await w.waitForProblem((x) => /advnace/.test(x.message), 'about "advnace"', true);
    await poll('no error squiggle', async () => (await w.squiggles('error')) === 0);
    await shot('step-typo-fixed');
  });

  it('flags an unknown device in a scenario with did-you-mean, and a config key that is no input in instance.json', async () => {
    const w = win();
    await w.quickOpen(SCENARIO);
    const device = Window.position(await w.editorText(), '"hall-lamp"');
    await w.typeAt(device.line, device.column + 5, 'x');
    const problems = await w.waitForProblem((p) => /unknown device "hallx-lamp"; did you mean 'hall-lamp'\?/.test(p.message), 'the unknown device');
    const p = problems.find((x) => /hallx-lamp/.test(x.message))!;
    assert.deepEqual({ line: p.line, column: p.column }, device);
    assert.match(p.message, /Fix: the devices are: front-door, hall-lamp/);
    await shot('unknown-device');

    await w.quickOpen('hall-light/instance.json');
    const key = Window.position(await w.editorText(), '"minutes"');
    await w.typeAt(key.line, key.column + 4, 'x');
    const instance = await w.waitForProblem((x) => /unknown input "minxutes"; did you mean "minutes"\?/.test(x.message), 'the unknown config key');
    // In instance.json, at the key (the scenario's update step, which merges into this config, says so too).
    const own = instance.filter((x) => /minxutes/.test(x.message) && !/instance\.json:\d/.test(x.message));
    assert.ok(own.some((x) => x.line === key.line && x.column === key.column), JSON.stringify(instance));
    // The scenario that reads instance.json shows it too, on the line that names the file.
    const inScenario = await w.waitForProblem((x) => /^\.\.\/instance\.json:\d+:\d+: unknown input "minxutes"/.test(x.message), 'the instance problem in the scenario');
    assert.equal(inScenario.find((x) => /^\.\.\/instance\.json:/.test(x.message))!.line, 5);
    await w.goTo(key.line, key.column + 2);
    await w.page.keyboard.press('Control+.');
    await w.pickCodeAction('Change to "minutes"');
    await w.waitForProblem((x) => /minxutes/.test(x.message), 'about "minxutes"', true);
    await shot('instance-key-fixed');
  });

  it('renames an input with F2, and instance.json and the scenario\'s config follow', async () => {
    const w = win();
    try {
      await w.quickOpen('hall-light/app.json');
      const at = Window.position(await w.editorText(), '"minutes"');
      await w.goTo(at.line, at.column + 3);
      await w.page.keyboard.press('F2');
      const box = await w.waitFor('.rename-box input');
      await poll('the rename box to have the focus', () => box.evaluate((el) => el === document.activeElement));
      await box.fill('duration');
      await w.page.keyboard.press('Enter');
      await w.waitForGone('.rename-box input');
      await w.waitForLine(/"duration": \{/);
      await shot('app-json-renamed');

      // VS Code saves a rename's changes to files that were not open: they are on disk.
      const dir = path.join(session().workspace, 'hall-light');
      const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
      await poll('instance.json to have the new key', () => read('instance.json').includes('"duration": 2'));
      assert.ok(!read('instance.json').includes('minutes'), read('instance.json'));
      await poll('the scenario to have the new key', () => read('tests/hall-light.scenario.json').includes('{ "update": { "duration": 3 } }'));
      assert.match(read('app.js'), /runIn\(settings\.duration \* 60, lampOff\)/);

      await w.quickOpen(SCENARIO);
      await w.waitForLine(/\{ "update": \{ "duration": 3 \} \}/);
      await shot('scenario-renamed');
      // Nothing is broken: no problem about either name anywhere.
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual((await w.problems()).filter((p) => /duration|minutes/.test(p.message)), []);
    } finally {
      await w.revertAndCloseAll();
      restoreSample(session(), 'hall-light');
    }
  });

  it('completes the attribute in subscribe(settings.door, "…") from the devices the input can choose', async () => {
    const w = win();
    await w.quickOpen('hall-light/app.js');
    const at = Window.position(await w.editorText(), "'contact.open'");
    // Empty the string and ask for suggestions inside it.
    await w.select(at.line, at.column + 1, 'contact.open'.length);
    await w.page.keyboard.press('Delete');
    const rows = await suggest();
    await shot('subscribe-attributes');
    const labels = rows.map((r) => r.label);
    for (const l of ['contact', 'contact.open', 'contact.closed', 'switch', 'switch.on', 'switch.off']) assert.ok(labels.includes(l), `${l} in ${JSON.stringify(labels)}`);
    assert.equal(labels.filter((l) => l === 'contact.open').length, 1, 'offered once');
    await w.pickSuggestion('contact.open');
    await w.waitForLine(/subscribe\(settings\.door, 'contact\.open', doorOpened\);/);
  });

  it('completes device ids and a device\'s attributes in a scenario', async () => {
    const w = win();
    await w.quickOpen(SCENARIO);
    const text = await w.editorText();
    const at = Window.position(text, '"front-door"');
    await w.select(at.line, at.column + 1, 'front-door'.length);
    await w.page.keyboard.press('Delete');
    const rows = await suggest();
    await shot('scenario-devices');
    // Each device once: VS Code's JSON service does not add the values it finds elsewhere in the file.
    assert.deepEqual(rows.map((r) => r.label), ['front-door', 'hall-lamp']);
    assert.equal(rows[0].kind, 'value');
    await w.pickSuggestion('front-door');
    await w.waitForLine(/\{ "event": \{ "device": "front-door", "attribute": "contact", "value": "open" \} \},/);

    const attribute = Window.position(await w.editorText(), '"contact"');
    await w.select(attribute.line, attribute.column + 1, 'contact'.length);
    await w.page.keyboard.press('Delete');
    assert.deepEqual((await suggest()).map((r) => r.label), ['contact']);
    await w.escape();
  });
});
