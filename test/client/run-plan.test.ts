import assert from 'node:assert/strict';
import { planRuns } from '../../client/testing/run-plan';

describe('client: which smartplug test processes a run needs', () => {
  it('runs whole files in one process, reading their apps', () => {
    assert.deepEqual(planRuns([{ file: '/w/a/tests/a.scenario.json', app: '/w/a' }, { file: '/w/b/b.scenario.json', app: '/w/b' }, { file: '/w/a/tests/c.scenario.json', app: '/w/a' }]), [
      {
        args: ['test', '--format', 'json', '/w/a/tests/a.scenario.json', '/w/b/b.scenario.json', '/w/a/tests/c.scenario.json', '--allow-read=/w/a', '--allow-read=/w/b'],
        files: ['/w/a/tests/a.scenario.json', '/w/b/b.scenario.json', '/w/a/tests/c.scenario.json'],
      },
    ]);
  });

  it('runs some scenarios of a file in a process of its own, one --scenario each', () => {
    assert.deepEqual(planRuns([{ file: '/w/a.scenario.json', scenarios: ['door opens', '-odd name', 'door opens'] }, { file: '/w/b.scenario.json' }]), [
      { args: ['test', '--format', 'json', '/w/b.scenario.json'], files: ['/w/b.scenario.json'] },
      { args: ['test', '--format', 'json', '/w/a.scenario.json', '--scenario=door opens', '--scenario=-odd name'], files: ['/w/a.scenario.json'] },
    ]);
  });

  it('runs nothing for nothing', () => {
    assert.deepEqual(planRuns([]), []);
    assert.deepEqual(planRuns([{ file: '/w/a.scenario.json', scenarios: [] }]), []);
  });
});
