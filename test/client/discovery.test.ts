import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appFolderOf, groupByApp, hasSyntaxError, matchScenario, readScenarioFile, scenarioIds } from '../../client/testing/discovery';
import { ROOT } from './cli-helpers';

const example = (name: string) => {
  const file = path.join(ROOT, 'examples', name, 'tests', `${name}.scenario.json`);
  return readScenarioFile(file, readFileSync(file, 'utf8'));
};

describe('client: scenario discovery for the Testing view', () => {
  it('lists a file\'s scenarios with names and lines, as the runner numbers them', () => {
    const entry = example('door-light');
    assert.equal(entry.scenarios.length, 11);
    assert.deepEqual(entry.scenarios[0], { name: 'door opens: the lamp goes on, and off again after the timeout', line: 8 });
    assert.deepEqual(entry.scenarios[1], { name: 're-opening the door restarts the timer', line: 34 });
    assert.deepEqual(entry.problems, []);
    assert.equal(entry.declaredApp, undefined);
  });

  it('groups files by app: the folder named in "app", else the nearest one upwards holding app.json', () => {
    const apps = new Set(['/w/door', '/w/door/nested-app', '/w/other'].map((p) => path.resolve(p)));
    const entries = [
      readScenarioFile(path.resolve('/w/door/tests/b.scenario.json'), '{ "scenarios": [] }'),
      readScenarioFile(path.resolve('/w/door/tests/a.scenario.json'), '{ "scenarios": [] }'),
      readScenarioFile(path.resolve('/w/door/nested-app/tests/c.scenario.json'), '{ "scenarios": [] }'),
      readScenarioFile(path.resolve('/w/shared/d.scenario.json'), '{ "app": "../other", "scenarios": [] }'),
      readScenarioFile(path.resolve('/w/loose/e.scenario.json'), '{ "scenarios": [] }'),
    ];
    const groups = groupByApp(entries, apps);
    assert.deepEqual(
      groups.map((g) => [g.folder && path.relative(path.resolve('/w'), g.folder), g.files.map((f) => path.basename(f.file))]),
      [
        ['door', ['a.scenario.json', 'b.scenario.json']],
        [path.join('door', 'nested-app'), ['c.scenario.json']],
        ['other', ['d.scenario.json']],
        [undefined, ['e.scenario.json']],
      ],
    );
    assert.equal(appFolderOf({ file: path.resolve('/elsewhere/x.scenario.json') }, apps), undefined);
  });

  it('groups the examples under their apps', () => {
    const apps = new Set(['door-light', 'motion-light', 'mode-lights'].map((n) => path.join(ROOT, 'examples', n)));
    const groups = groupByApp(['motion-light', 'door-light', 'mode-lights'].map(example), apps);
    assert.deepEqual(groups.map((g) => path.basename(g.folder!)), ['door-light', 'mode-lights', 'motion-light']);
  });

  it('keeps the problem of a file that does not parse, with no scenarios', () => {
    const entry = readScenarioFile('/w/a.scenario.json', '{\n  "scenarios": [\n    { "name": "x", "steps": [] },\n  ]\n}\n');
    assert.ok(hasSyntaxError(entry));
    assert.deepEqual(entry.scenarios, []);
    assert.equal(entry.problems[0].line, 3);
    assert.match(entry.problems[0].message, /trailing comma/);
    assert.ok(!hasSyntaxError(readScenarioFile('/w/b.scenario.json', '{ "scenarios": [ { "name": "x", "steps": [] } ] }')));
  });

  it('lists a scenario with its own mistake, which only that scenario fails on', () => {
    const entry = readScenarioFile('/w/a.scenario.json', '{ "scenarios": [ { "name": "x", "stepz": [] }, { "name": "y", "steps": [] } ] }');
    assert.deepEqual(entry.scenarios.map((s) => s.name), ['x', 'y']);
    assert.deepEqual(entry.problems, []);
  });

  it('identifies scenarios by name, and by name and line when a name repeats', () => {
    assert.deepEqual(scenarioIds([{ name: 'a', line: 3 }, { name: 'b', line: 5 }, { name: 'a', line: 9 }]), ['a@3', 'b', 'a@9']);
  });

  it('matches a reported scenario by name, the nearest line first', () => {
    const shown = [{ name: 'a', line: 3 }, { name: 'b', line: 5 }, { name: 'a', line: 12 }];
    assert.equal(matchScenario(shown, 'a', 4), shown[0]);
    assert.equal(matchScenario(shown, 'a', 10), shown[2]);
    assert.equal(matchScenario(shown, 'b', 40), shown[1]);
    assert.equal(matchScenario(shown, 'c', 3), undefined);
  });
});
