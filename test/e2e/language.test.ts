/**
 * The language server's features in a real VS Code, as a user meets them: problems at their line
 * with a quick fix, completion of input names in a guide, rename across app.json and app.js; and
 * the schema layer (problems, completion, hover) from the server alone, each shown once. Each test
 * saves screenshots to test-results/e2e/language-*.png.
 */
import * as assert from 'node:assert/strict';
import { poll, type Problem, Window } from './harness';
import { restoreSample, shots, useSession } from './suite';

describe('e2e: app.json and app.js in VS Code', function () {
  this.timeout(120_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'language');

  afterEach(async () => {
    await session.peek()?.samples.revertAndCloseAll();
  });

  /** No place is flagged by two sources (VS Code's JSON service and the server saying the same thing). */
  function assertNoPlaceTwice(problems: Problem[]): void {
    const seen = new Map<string, Problem>();
    for (const p of problems) {
      const at = `${p.line}:${p.column}`;
      const other = seen.get(at);
      assert.ok(!other || other.source === p.source, `flagged twice at ${at}: "${other?.label}" and "${p.label}"`);
      seen.set(at, p);
    }
  }

  it('shows a guide naming an input that does not exist in Problems at its line, and "Change to" fixes it', async () => {
    const w = win();
    await w.quickOpen('typo-light/app.json');
    const at = Window.position(await w.editorText(), '"timout"');
    const problems = await w.waitForProblem((p) => /"timout", which is not an input; did you mean "timeout"\?/.test(p.message), 'unknown input "timout"');
    const p = problems.find((x) => /"timout"/.test(x.message))!;
    assert.equal(p.severity, 'Error');
    assert.equal(p.source, 'smartplug');
    assert.deepEqual({ line: p.line, column: p.column }, at, p.label);
    // One typo, one problem: "timeout" being on no page is the same mistake, and not said again.
    await new Promise((r) => setTimeout(r, 1000));
    const all = await w.problems();
    assert.deepEqual(all.filter((x) => /timeout|timout/.test(x.message)).map((x) => x.message), [p.message], JSON.stringify(all));
    assertNoPlaceTwice(problems);
    await w.goTo(at.line, at.column + 2);
    await poll('an error squiggle', async () => (await w.squiggles('error')) > 0);
    await shot('unknown-input-in-problems');

    await w.page.keyboard.press('Control+.');
    await w.waitFor('.action-widget .monaco-list-row.action[aria-label="Change to \\"timeout\\""]');
    await shot('quick-fix-menu');
    await w.pickCodeAction('Change to "timeout"');
    await w.waitForProblem((x) => /timout|timeout/.test(x.message), 'about "timout" or "timeout"', true);
    const text = await w.editorText();
    assert.ok(!text.includes('"timout"'), text);
    assert.deepEqual(Window.position(text, '"timeout"', 1), at);
    await poll('no error squiggle', async () => (await w.squiggles('error')) === 0);
    await shot('fixed');
  });

  it('offers the defined inputs when typing in a guide page\'s input_fields', async () => {
    const w = win();
    await w.quickOpen('porch-light/app.json');
    // Take "on_minutes" off its page and start typing a name there.
    const at = Window.position(await w.editorText(), '"on_minutes"', 1);
    await w.select(at.line, at.column, '"on_minutes"'.length);
    await w.page.keyboard.press('Delete');
    await w.page.keyboard.type('"', { delay: 30 });
    await w.page.keyboard.press('Control+Space');
    const rows = await w.suggestions();
    await shot('suggestions');
    const inputs = ['on_minutes', 'motion', 'porch_lamp'];
    const offered = rows.filter((r) => r.kind === 'reference').map((r) => r.label.replace(/"/g, ''));
    assert.deepEqual(offered, inputs, `the server's items (reference icon), the input on no page first: ${JSON.stringify(rows)}`);
    assert.match(rows.find((r) => r.label.replace(/"/g, '') === 'on_minutes')!.description, /not placed yet/);
    // Nothing else: VS Code's JSON service has the schema here, which offers no made-up names.
    assert.deepEqual(rows.map((r) => r.label.replace(/"/g, '')), inputs, JSON.stringify(rows));
    // Accepting it writes it, and the page is whole again.
    await w.pickSuggestion('on_minutes');
    await w.waitForLine(/^\s*"on_minutes"\s*$/);
    await w.waitForProblem((p) => /porch-light|on_minutes|is not an input/.test(p.message), 'about porch-light', true);
    await shot('accepted');
  });

  it('renames an input with F2, and the guide and app.js follow', async () => {
    const w = win();
    try {
      await w.quickOpen('porch-light/app.json');
      const at = Window.position(await w.editorText(), '"on_minutes"');
      await w.goTo(at.line, at.column + 3);
      await w.page.keyboard.press('F2');
      const box = await w.waitFor('.rename-box input');
      // The box takes the focus once the server said the name can be renamed.
      await poll('the rename box to have the focus', () => box.evaluate((el) => el === document.activeElement));
      assert.equal(await box.inputValue(), 'on_minutes');
      await box.fill('duration');
      await shot('rename-box');
      await w.page.keyboard.press('Enter');
      await w.waitForGone('.rename-box input');
      await w.waitForLine(/"duration": \{/);
      const json = await w.editorText();
      assert.ok(!json.includes('on_minutes'), json);
      assert.match(json, /"input_fields": \[\s*"duration"\s*\]/);
      await shot('app-json-renamed');

      await w.quickOpen('porch-light/app.js');
      const js = await w.editorText();
      assert.ok(!js.includes('settings.on_minutes'), js);
      assert.match(js, /runIn\(settings\.duration \* 60, lampOff\)/);
      await shot('app-js-renamed');
      const problems = await w.problems();
      assert.deepEqual(problems.filter((p) => /duration|on_minutes/.test(p.message)), []);
    } finally {
      // VS Code saved the rename's change to app.js (it was not open): put the app back.
      await w.revertAndCloseAll();
      restoreSample(session(), 'porch-light');
    }
  });

  it('reports a schema mistake once, from the server with its source and code, with its quick fix; completion and hover once', async () => {
    const w = win();
    await w.quickOpen('porch-light/app.json');
    const text = await w.editorText();
    const at = Window.position(text, '"default": 3');
    const value = { line: at.line, column: at.column + '"default": '.length };
    // Seed 003's mistake: a number input's default written as a string.
    await w.select(value.line, value.column, 1);
    await w.page.keyboard.press('Delete');
    await w.page.keyboard.type('"3', { delay: 30 });
    await w.waitForLine(/"default": "3"$/);
    const problems = await w.waitForProblem((p) => p.line === value.line && /"default" of a number input is the string "3", not a number/.test(p.message), 'a default that is not a number');
    const here = problems.filter((p) => p.line === value.line);
    assert.equal(here.length, 1, `one problem at the default: ${JSON.stringify(problems)}`);
    // The server's, with its source and code in Problems (VS Code's JSON service gave neither).
    assert.equal(here[0].source, 'smartplug', here[0].label);
    const drawn = await w.problemRowTexts();
    assert.ok(drawn.some((r) => r.includes('"3", not a number') && /smartplug\(?\s*input-default-type/.test(r)), `the code beside the source: ${JSON.stringify(drawn)}`);
    assertNoPlaceTwice(problems);
    await shot('schema-problem-once');
    await w.goTo(value.line, value.column + 1);
    await w.page.keyboard.press('Control+.');
    await w.pickCodeAction('Change to 3');
    await w.waitForLine(/"default": 3$/);
    await w.waitForProblem((p) => p.line === value.line && /"default"/.test(p.message), 'about the default', true);
    await shot('schema-problem-fixed');

    // A new parameter of the number input: every key once.
    const description = Window.position(text, '"description": "How long');
    await w.goTo(description.line, 1);
    await w.page.keyboard.press('End');
    await w.page.keyboard.press('Enter');
    await w.page.keyboard.type('"', { delay: 30 });
    await w.page.keyboard.press('Control+Space');
    const rows = await w.suggestions();
    await shot('parameter-keys');
    const labels = rows.map((r) => r.label.replace(/"/g, ''));
    assert.deepEqual(labels.filter((l, i) => labels.indexOf(l) !== i), [], `offered twice: ${JSON.stringify(rows)}`);
    assert.ok(labels.includes('required'), JSON.stringify(rows));
    assert.ok(!labels.includes('default') && !labels.includes('filter'), `only the number input's missing parameters: ${JSON.stringify(rows)}`);
    await w.escape();
    await w.page.keyboard.press('Control+Z');

    // The schema's documentation of a key, once.
    const hover = await w.hoverText(description.line, description.column + 3);
    await shot('hover-once');
    const said = 'Help text to describe what the variable is used for.';
    assert.equal(hover.split(said).length - 1, 1, `the schema's description once: ${hover}`);
  });

  it('leaves an Expo app.json alone (no SmartPlug schema on another tool\'s file)', async () => {
    const w = win();
    await w.quickOpen('expo-app/app.json');
    // It is JSON for VS Code (another tool's file), not SmartPlug JSON.
    const mode = w.page.locator('.statusbar-item[id="status.editor.mode"]');
    await poll('the language mode JSON', async () => (await mode.innerText()).trim() === 'JSON');
    // Control: in the same window our app.json is checked.
    await w.quickOpen('porch-light/app.json');
    const at = Window.position(await w.editorText(), '"licence"');
    await w.typeAt(at.line, at.column + 1, 'x');
    await w.waitForProblem((p) => p.source.startsWith('smartplug') && /xlicence/.test(p.message), 'about "xlicence"');
    await w.quickOpen('expo-app/app.json');
    await new Promise((r) => setTimeout(r, 1500));
    const problems = await w.problems();
    await shot('expo-app');
    assert.deepEqual(problems.filter((p) => /expo|slug|orientation|platforms/.test(p.message)), [], JSON.stringify(problems));
  });
});
