import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadAppFolder, parseInstanceFile } from '../../../runtime/app';
import { DeviceRegistry, parseDevicesFile } from '../../../runtime/devices';
import { catalogueOf } from '../../../runtime/app/instance-config';
import { checkScript } from '../../../runtime/sandbox/static-check';
import { formatProblem } from '../../../runtime/errors';
import { diagnoseScenarioFile, findScenarioFiles, parseScenarioFile, runScenarioFile, summarize } from '../../../runtime/scenario';
import { assertFreshDist } from '../../support/fresh-dist';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

/** Scenario names each example must keep passing. */
const EXPECTED: Record<string, string[]> = {
  'door-light': [
    'door opens: the lamp goes on, and off again after the timeout',
    're-opening the door restarts the timer',
    'closing the door alone does nothing',
    'a temperature reaching its trigger sends one notification',
    'the freezer trigger works through its function id',
    'a shorter timeout and an on/off lamp from an inline config',
    'updating the config changes the timeout',
    'a config with fewer than 2 temperature triggers is rejected',
    'a message prefix that is not only letters is rejected',
    'after uninstalling, the door does nothing',
    'beside a Night-lights app, across a worker restart',
  ],
  'motion-light': [
    'motion turns the lights on; no motion for 3 minutes turns them off',
    'stays on while motion continues',
    'a light that is already on gets no command',
    'someone turns a light off by hand while the room is busy',
    'a longer delay after an update',
    'without a motion sensor the app cannot be installed',
  ],
  'mode-lights': [
    'changing to Night sets the scene and notifies',
    'other modes leave the lights alone',
    'at sunset in Night mode the scene is set again',
    'sunset in Home mode does nothing',
    'touching the app toggles the lights',
    'GET /status reports the lights',
    'POST /scene sets the scene for a reason in the body',
    'an inactive app ignores the mode change',
    'a Home scene from an inline config',
  ],
};

describe('examples', () => {
  before(() => assertFreshDist());
  for (const [name, scenarios] of Object.entries(EXPECTED)) {
    describe(name, () => {
      const dir = join(EXAMPLES, name);

      it('has an app.json, app.js, devices.json and instance.json without problems', () => {
        const app = loadAppFolder(dir);
        assert.deepEqual(app.warnings.map(formatProblem), []);
        for (const key of ['author', 'licence', 'name', 'version', 'description'] as const) assert.ok(app.appJson[key], `app.json has "${key}"`);
        const onPages = new Set(app.appJson.guide.flatMap((p) => p.input_fields));
        const inRepeats = new Set(Object.values(app.appJson.input).flatMap((i) => (i.type === 'repeat' ? i.input_fields : [])));
        for (const input of Object.keys(app.appJson.input)) assert.ok(onPages.has(input) || inRepeats.has(input), `input ${input} is on a guide page`);
        assert.deepEqual(checkScript(app).map(formatProblem), []);
        const registry = new DeviceRegistry();
        for (const d of parseDevicesFile(readFileSync(join(dir, 'devices.json'), 'utf8'), join(dir, 'devices.json'))) registry.add(d);
        const inst = parseInstanceFile(readFileSync(join(dir, 'instance.json'), 'utf8'), join(dir, 'instance.json'), app.appJson, catalogueOf(registry));
        assert.deepEqual(inst.problems.map(formatProblem), []);
      });

      it('passes all its scenarios', async () => {
        const files = findScenarioFiles([join(dir, 'tests')]);
        assert.equal(files.length, 1);
        assert.deepEqual(diagnoseScenarioFile(parseScenarioFile(readFileSync(files[0], 'utf8'), files[0])).map(formatProblem), []);
        const result = await runScenarioFile(files[0]);
        const failures = result.scenarios.filter((s) => !s.ok).map((s) => `${s.name}: ${(s.failure ?? s.steps.find((st) => !st.ok)?.failure)?.message}`);
        assert.deepEqual(failures, []);
        assert.deepEqual(result.problems, []);
        assert.deepEqual(result.scenarios.map((s) => s.name), scenarios);
        assert.deepEqual(summarize([result]), { passed: scenarios.length, failed: 0 });
        // The scenarios do something: every one that installs runs steps, and the steps check things.
        const steps = result.scenarios.flatMap((s) => s.steps);
        assert.ok(steps.filter((s) => s.kind === 'expect').length >= scenarios.length, 'several expect steps');
      });
    });
  }

  it('catch a broken app: door-light whose timer does not restart fails that scenario only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'door-light-'));
    // mode-lights beside it: a door-light scenario installs it as another app.
    const copy = join(root, 'door-light');
    try {
      cpSync(join(EXAMPLES, 'door-light'), copy, { recursive: true });
      cpSync(join(EXAMPLES, 'mode-lights'), join(root, 'mode-lights'), { recursive: true });
      const script = readFileSync(join(copy, 'app.js'), 'utf8');
      const broken = script.replace('runIn(settings.timeout * 60, lightOff);', 'runIn(settings.timeout * 60, lightOff, { overwrite: false });');
      assert.notEqual(broken, script);
      writeFileSync(join(copy, 'app.js'), broken);
      const result = await runScenarioFile(join(copy, 'tests', 'door-light.scenario.json'));
      const failed = result.scenarios.filter((s) => !s.ok);
      assert.deepEqual(failed.map((s) => s.name), ['re-opening the door restarts the timer']);
      const step = failed[0].steps.find((st) => !st.ok)!;
      assert.equal(step.kind, 'expect');
      assert.equal(step.failure!.message, 'jobs: the app has 2 scheduled jobs, expected 1 (lightOff, lightOff)');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
