/**
 * Issue 14, part 2: nothing is said twice, and the cause is the loudest problem. Our files have a
 * language of their own, so VS Code's JSON extension stays away from them and the server alone
 * validates, completes, hovers and outlines them. Each check here was seen twice (or with the
 * wrong weight) before. Screenshots go to test-results/e2e/once-*.png.
 */
import * as assert from 'node:assert/strict';
import { poll, sleep, Window } from './harness';
import { restoreSample, shots, useSession } from './suite';

describe('e2e: nothing twice, the cause loudest', function () {
  this.timeout(180_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'once');

  afterEach(async () => {
    await session.peek()?.samples.revertAndCloseAll();
  });

  /** The labels Go to Symbol in Editor (Ctrl+Shift+O) lists: every document symbol provider's. */
  async function symbolLabels(w: Window): Promise<string[]> {
    await w.focusEditorArea();
    await w.page.keyboard.press('Control+Shift+O');
    const rows = w.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 30_000 });
    await sleep(800);
    const labels = await w.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts();
    await w.escape();
    return labels.map((l) => l.replace(/\s+/g, ' ').trim());
  }

  it('gives app.json its own language, and one outline: inputs and pages, not also every JSON property', async () => {
    const w = win();
    await w.quickOpen('porch-light/app.json');
    const mode = w.page.locator('.statusbar-item[id="status.editor.mode"]');
    await poll('the language mode SmartPlug JSON', async () => (await mode.innerText()).trim() === 'SmartPlug JSON');
    await poll('the outline', async () => (await symbolLabels(w)).includes('motion'));
    const labels = await symbolLabels(w);
    await shot('outline');
    // Ours, once: the top-level properties, each input, each page with the inputs it shows. VS Code's
    // JSON outline would add a second "author", "input", … and every parameter ("type", "required").
    assert.deepEqual(labels, ['author', 'licence', 'name', 'version', 'description', 'input', 'motion', 'porch_lamp', 'on_minutes', 'guide', 'devices', 'motion', 'porch_lamp', 'timing', 'on_minutes']);
    // Still coloured as JSON (the grammar includes source.json): a property name and a string value differ.
    const token = (text: string) => w.page.locator('.editor-group-container.active .view-line > span > span').filter({ hasText: new RegExp(`^${text}$`) }).first().evaluate((el) => getComputedStyle(el).color);
    const keyColour = await token('"version"');
    const plainColour = await token('"1\\.0\\.0"');
    assert.notEqual(keyColour, plainColour, 'app.json is not highlighted as JSON');
  });

  it('shows an input type\'s documentation once on hover', async () => {
    const w = win();
    await w.quickOpen('porch-light/app.json');
    const at = Window.position(await w.editorText(), '"number"');
    const hover = await w.hoverText(at.line, at.column + 2);
    await shot('hover-type');
    assert.match(hover, /Input type/);
    const sentences = hover.split('\n').map((l) => l.trim()).filter((l) => l.length > 12);
    assert.ok(sentences.length > 0, hover);
    for (const s of sentences) assert.equal(hover.split(s).length - 1, 1, `said twice: ${hover}`);
  });

  it('makes an unknown input type an error at its cause, with did you mean and its quick fix; app.js stays quiet', async () => {
    const w = win();
    await w.quickOpen('porch-light/app.js');
    await w.quickOpen('porch-light/app.json');
    const text = await w.editorText();
    const at = Window.position(text, '"number"');
    await w.select(at.line, at.column + 1, 'number'.length);
    await w.page.keyboard.type('slider', { delay: 20 });
    await w.waitForLine(/"type": "slider"/);
    const problems = await w.waitForProblem((p) => /unknown input type "slider"/.test(p.message), 'about "slider"');
    await shot('slider-error');
    const cause = problems.find((p) => /slider/.test(p.message))!;
    assert.equal(cause.severity, 'Error', cause.label);
    assert.match(cause.message, /did you mean "number"\?/);
    assert.deepEqual({ line: cause.line, column: cause.column }, at);
    assert.equal(cause.source, 'smartplug', cause.label);
    const rows = await w.problemRowTexts();
    assert.ok(rows.some((r) => r.includes('slider') && /smartplug\(?\s*input-type-unknown/.test(r)), `the code beside the source in Problems: ${JSON.stringify(rows)}`);
    // Said once, and nothing louder elsewhere: app.js, which reads settings.on_minutes, has no error.
    assert.equal(problems.filter((p) => p.line === at.line).length, 1, JSON.stringify(problems));
    await sleep(2000);
    const all = await w.problems();
    // (typo-light's guide names "timout" on purpose: an earlier test's Validate Workspace may have listed it.)
    assert.deepEqual(all.filter((p) => p.severity === 'Error' && p !== cause && !/slider/.test(p.message) && !/"timout"/.test(p.message)), [], JSON.stringify(all));
    await w.goTo(at.line, at.column + 2);
    await w.page.keyboard.press('Control+.');
    await w.pickCodeAction('Change to "number"');
    await w.waitForLine(/"type": "number"/);
    await w.waitForProblem((p) => /slider/.test(p.message), 'about "slider"', true);
    await shot('slider-fixed');
  });

  it('says a misspelt settings.X in app.js once (the server\'s warning), with one quick fix, not also TypeScript\'s error', async () => {
    const w = win();
    try {
      await w.quickOpen('porch-light/app.js');
      const text = await w.editorText();
      const at = Window.position(text, 'settings.on_minutes');
      await w.select(at.line, at.column + 'settings.'.length, 'on_minutes'.length);
      await w.page.keyboard.type('on_minuts', { delay: 20 });
      await w.waitForLine(/settings\.on_minuts \* 60/);
      await w.waitForProblem((p) => /on_minuts/.test(p.message) && p.source.startsWith('smartplug'), 'the server\'s warning');
      // Give TypeScript's checker (it runs on the same edit) time to have said anything it would.
      await sleep(4000);
      const problems = (await w.problems()).filter((p) => /on_minuts/.test(p.message));
      await shot('settings-once');
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].severity, 'Warning');
      assert.match(problems[0].message, /did you mean "on_minutes"\?/);
      await w.goTo(at.line, at.column + 'settings.'.length + 2);
      await w.page.keyboard.press('Control+.');
      const rows = w.page.locator('.action-widget .monaco-list-row.action');
      await rows.first().waitFor();
      const titles = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
      await shot('settings-one-fix');
      assert.deepEqual(titles.filter((t) => /on_minutes/.test(t)), ['Change to on_minutes'], JSON.stringify(titles));
      await w.pickCodeAction('Change to on_minutes');
      await w.waitForLine(/settings\.on_minutes \* 60/);
      await w.waitForProblem((p) => /on_minuts/.test(p.message), 'about on_minuts', true);
    } finally {
      await w.revertAndCloseAll();
      restoreSample(session(), 'porch-light');
    }
  });
});
