import assert from 'node:assert/strict';
import { join } from 'path';
import { createHumanReporter, createJsonLinesReporter, formatFailure, runScenarioFile } from '../../../runtime/scenario';
import type { FileResult } from '../../../runtime/scenario';
import { BIDI_SHOWN, ESCAPES_SHOWN, EVIL, FORGED_LINE, FORGED_SHOWN, RAW_CONTROL, writeHostileScenarioApp } from '../cli/hostile-text';
import { assertFreshDist } from '../../support/fresh-dist';

const ROOT = join(__dirname, '..', '..', '..');
const FAILING = join(ROOT, 'test', 'fixtures', 'scenario', 'failing.scenario.json');
const APP_JS = join(ROOT, 'test', 'fixtures', 'scenario', 'probe-app', 'app.js');
const show = (f: string) => f.replace(ROOT + '/', '');

async function human(file: string, text?: string): Promise<{ out: string; result: FileResult; summary: string }> {
  let out = '';
  const rep = createHumanReporter({ write: (s) => (out += s), displayPath: show });
  const result = await runScenarioFile(file, { onEvent: (e) => rep.onEvent(e), ...(text !== undefined ? { text } : {}) });
  // Durations differ from run to run.
  return { out: out.replace(/\(\d+ ms/g, '(N ms'), result, summary: rep.summary([result]) };
}

describe('scenario/reporters', () => {
  before(() => assertFreshDist());
  it('human: one line per step, the failure with a diff, where, and the app log', async () => {
    const { out, summary } = await human(FAILING);
    assert.equal(out, [
      'test/fixtures/scenario/failing.scenario.json',
      '  passes (line 7)',
      '    ✓ event door.contact = "open" [line 10 · 2024-01-01 12:00:00Z]',
      '    ✓ expect commands [line 11 · 2024-01-01 12:00:00Z]',
      '  ✓ passed (N ms)',
      '  expects the wrong command (line 14)',
      '    ✓ event door.contact = "open" [line 17 · 2024-01-01 12:00:00Z]',
      '    ✗ expect commands, state [line 18 · 2024-01-01 12:00:00Z]',
      '        commands: lamp.off(…) was not sent',
      '        state: state.count: expected 2, got 1',
      '        --- expected',
      '        +++ actual',
      '         {',
      '           "commands": [',
      '        -    "lamp.off(…)"',
      '        +    "lamp.on()"',
      '           ],',
      '           "state": {',
      '        -    "count": 2',
      '        +    "count": 1',
      '           }',
      '         }',
      '        at test/fixtures/scenario/failing.scenario.json:18:35',
      '      app log:',
      '        2024-01-01 12:00:00Z info  probe installed',
      '        2024-01-01 12:00:00Z info  door open',
      '        2024-01-01 12:00:00Z debug switch on (async)',
      '  ✗ failed (N ms; 1 step not run)',
      '  the app crashes (line 22)',
      '    ✗ touch the app [line 25 · 2024-01-01 12:00:00Z]',
      `        the app failed: touched: touch is broken (${APP_JS}:44:9)`,
      '        (an app error fails the step it happens in unless the next expect lists it under "errors")',
      '        expected: "no app error"',
      `        actual: "touched: touch is broken (${APP_JS}:44:9)"`,
      '        at test/fixtures/scenario/failing.scenario.json:25:9',
      '      app log:',
      '        2024-01-01 12:00:00Z info  probe installed',
      '        2024-01-01 12:00:00Z error touched: touch is broken',
      '  ✗ failed (N ms; 1 step not run)',
      '',
    ].join('\n'));
    assert.equal(summary, '1 passed, 2 failed');
  });

  it('human: problems of the file, and scenarios that could not run', async () => {
    const { out } = await human(join(ROOT, 'test', 'fixtures', 'scenario', 'x.scenario.json'), '{ "app": "broken-app", "scenarios": [{ "name": "a", "steps": [] }] }');
    assert.equal(out, [
      'test/fixtures/scenario/x.scenario.json',
      '  test/fixtures/scenario/broken-app/app.js:3:1: error: syntax error: Unexpected token Fix: correct the JavaScript at this place; app.js is a plain script (no import/export) [script-syntax]',
      '  a (line 1)',
      `      not run: ${join(ROOT, 'test/fixtures/scenario/broken-app/app.js')}:3:1: error: syntax error: Unexpected token Fix: correct the JavaScript at this place; app.js is a plain script (no import/export) [script-syntax]`,
      '      at test/fixtures/scenario/broken-app/app.js:3:1',
      '  ✗ failed (N ms)',
      '',
    ].join('\n'));
  });

  it('human: colours only when asked', async () => {
    let out = '';
    const rep = createHumanReporter({ write: (s) => (out += s), displayPath: show, color: true });
    const result = await runScenarioFile(FAILING, { onEvent: (e) => rep.onEvent(e), select: (s) => s.name === 'passes' });
    assert.match(out, /\x1b\[32m✓\x1b\[0m event door\.contact/);
    assert.equal(rep.summary([result]), '\x1b[32m1 passed, 0 failed\x1b[0m');
  });

  it('formats scalar and multi-line expected and actual as blocks', () => {
    const text = formatFailure({ message: 'installing failed', expected: 'needs at least', actual: 'one\ntwo', line: 3, column: 7 }, '/x/a.scenario.json', (f) => f, '  ');
    assert.equal(text, ['  installing failed', '  expected: "needs at least"', '  actual:', '    one', '    two', '  at /x/a.scenario.json:3:7'].join('\n'));
    const elsewhere = formatFailure({ message: 'm', file: '/x/app.js', line: 1, column: 2 }, '/x/a.scenario.json', (f) => f, '');
    assert.equal(elsewhere, 'm\nat /x/app.js:1:2');
  });

  it('JSON lines: one object per event, with what the Testing view needs', async () => {
    let text = '';
    const rep = createJsonLinesReporter((s) => (text += s));
    await runScenarioFile(FAILING, { onEvent: (e) => rep.onEvent(e) });
    assert.ok(text.endsWith('\n'));
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.event), [
      'file-start', 'scenario-start', 'step', 'step', 'scenario-end', 'scenario-start', 'step', 'step', 'scenario-end', 'scenario-start', 'step', 'scenario-end', 'file-end',
    ]);
    assert.deepEqual(lines[0], { event: 'file-start', version: 1, file: FAILING, scenarios: [{ name: 'passes', line: 7 }, { name: 'expects the wrong command', line: 14 }, { name: 'the app crashes', line: 22 }] });
    const failed = lines[7];
    assert.equal(typeof failed.durationMs, 'number');
    delete failed.durationMs;
    assert.deepEqual(failed, {
      event: 'step', file: FAILING, scenario: 'expects the wrong command', scenarioLine: 14, index: 1, kind: 'expect', line: 18, column: 9, ok: false,
      description: 'expect commands, state', time: '2024-01-01T12:00:00.000Z',
      message: 'commands: lamp.off(…) was not sent\nstate: state.count: expected 2, got 1',
      expected: { commands: ['lamp.off(…)'], state: { count: 2 } },
      actual: { commands: ['lamp.on()'], state: { count: 1 } },
      location: { file: FAILING, line: 18, column: 35 },
    });
    const passed = lines[2];
    assert.equal(passed.ok, true);
    assert.equal('message' in passed, false);
    const end = lines[8];
    assert.deepEqual([end.scenario, end.line, end.ok, end.steps, end.notRun], ['expects the wrong command', 14, false, 2, 1]);
    assert.deepEqual((end.logs as { message: string }[]).map((l) => l.message), ['probe installed', 'door open', 'switch on (async)']);
    assert.equal('logs' in lines[4], false, 'a passing scenario carries no log');
    const last = lines[12];
    delete last.durationMs;
    assert.deepEqual(last, { event: 'file-end', file: FAILING, ok: false, passed: 1, failed: 2, problems: 0 });
  });

  describe('what the app says cannot forge a line or drive the terminal', () => {
    const file = writeHostileScenarioApp();

    for (const color of [false, true]) {
      it(`human${color ? ', in colour' : ''}: app logs, notifications and errors escaped, one record a line`, async () => {
        let out = '';
        const rep = createHumanReporter({ write: (s) => (out += s), color });
        const result = await runScenarioFile(file, { onEvent: (e) => rep.onEvent(e) });
        assert.equal(result.scenarios.filter((x) => !x.ok).length, 3);
        // The reporter's own colours are the only escape sequences left.
        const text = color ? out.replace(/\x1b\[(?:0|1|2|31|32)m/g, '') : out;
        assert.doesNotMatch(text, RAW_CONTROL);
        const lines = text.split('\n');
        for (const l of lines) assert.ok(!l.trimStart().startsWith(FORGED_LINE), `a forged line: ${l}`);
        // The app log under each failure: one line per record, its line breaks shown as \n.
        for (const shown of [FORGED_SHOWN, ESCAPES_SHOWN, BIDI_SHOWN]) {
          assert.equal(lines.filter((l) => l === `        2024-01-01 12:00:00Z info  ${shown}`).length, 3, shown);
        }
        // The error the handler threw, in the step's failure and in the log.
        const thrown = `touched: ${FORGED_SHOWN} | ${ESCAPES_SHOWN} | ${BIDI_SHOWN} (`;
        assert.ok(lines.some((l) => l.startsWith(`        the app failed: ${thrown}`)));
        assert.ok(lines.some((l) => l.startsWith(`        actual: "touched: ok\\n12:00:00.000 runtime  ERROR fake | \\u001b[2J`)));
        assert.ok(lines.some((l) => l.startsWith(`        2024-01-01 12:00:00Z error ${thrown.slice(0, -2)}`)));
        // Log lines a noLogs expectation quotes.
        assert.ok(lines.some((l) => l.startsWith(`        noLogs: 3 log lines at level info or above: [info] ${FORGED_SHOWN} | [info] ${ESCAPES_SHOWN}`)));
      });
    }

    it('JSON lines: the same text, intact once parsed, with nothing raw on the line', async () => {
      let text = '';
      const rep = createJsonLinesReporter((s) => (text += s));
      await runScenarioFile(file, { onEvent: (e) => rep.onEvent(e) });
      assert.doesNotMatch(text, RAW_CONTROL);
      const events = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; logs?: { message: string }[]; message?: string });
      assert.deepEqual(events.find((e) => e.event === 'scenario-end')?.logs?.map((l) => l.message), EVIL);
      assert.ok(events.some((e) => e.event === 'step' && e.message?.startsWith(`the app failed: touched: ${EVIL.join(' | ')} (`)));
    });
  });
});
