/**
 * The language server's features in a real VS Code, as a user meets them: problems at their line
 * with a quick fix, completion of input names in a guide, rename across app.json and app.js.
 * Each test saves screenshots to test-results/e2e/language-*.png.
 */
import * as assert from 'node:assert/strict';
import { poll, Window } from './harness';
import { restoreSample, shots, useSession } from './suite';

describe('e2e: app.json and app.js in VS Code', function () {
  this.timeout(120_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'language');

  afterEach(async () => {
    await session.peek()?.samples.revertAndCloseAll();
  });

  it('shows a guide naming an input that does not exist in Problems at its line, and "Change to" fixes it', async () => {
    const w = win();
    await w.quickOpen('typo-light/app.json');
    const at = Window.position(await w.editorText(), '"timout"');
    const problems = await w.waitForProblem((p) => /"timout", which is not an input; did you mean "timeout"\?/.test(p.message), 'unknown input "timout"');
    const p = problems.find((x) => /"timout"/.test(x.message))!;
    assert.equal(p.severity, 'Error');
    assert.equal(p.source, 'smartplug');
    assert.deepEqual({ line: p.line, column: p.column }, at, p.label);
    // The unused "timeout" is flagged too (it is on no page), and the squiggle is in the editor.
    assert.ok(problems.some((x) => x.severity === 'Warning' && /input "timeout" is on no guide page/.test(x.message)), JSON.stringify(problems));
    await w.goTo(at.line, at.column + 2);
    await poll('an error squiggle', async () => (await w.squiggles('error')) > 0);
    await shot('unknown-input-in-problems');

    await w.page.keyboard.press('Control+.');
    await w.waitFor('.action-widget .monaco-list-row.action[aria-label="Change to \\"timeout\\""]');
    await shot('quick-fix-menu');
    await w.pickCodeAction('Change to "timeout"');
    await w.waitForProblem((x) => /timout/.test(x.message) || /input "timeout" is on no guide page/.test(x.message), 'about "timout"', true);
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
    // VS Code's own JSON completion also offers values it saw elsewhere in the document (plain
    // "value" items). They are VS Code's, not ours: the server's inputs are what this test checks.
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
});
