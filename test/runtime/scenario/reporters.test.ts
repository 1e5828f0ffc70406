import assert from 'node:assert/strict';
import { join } from 'path';
import { createHumanReporter, createJsonLinesReporter, formatFailure, runScenarioFile } from '../../../runtime/scenario';
import type { FileResult } from '../../../runtime/scenario';

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
      '        commands: lamp.off was not sent',
      '        state: state.count: expected 2, got 1',
      '        --- expected',
      '        +++ actual',
      '         {',
      '           "commands": [',
      '        -    "lamp.off"',
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
      message: 'commands: lamp.off was not sent\nstate: state.count: expected 2, got 1',
      expected: { commands: ['lamp.off'], state: { count: 2 } },
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
});
