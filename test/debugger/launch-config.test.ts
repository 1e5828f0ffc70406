/** The launch configuration as the adapter reads it: defaults, an inline config, and bad input named by file and fix. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LaunchError, resolveLaunch } from '../../debugger/launch-config';
import { DEBUGGEE_DIR } from './debuggee';

describe('debugger: the launch configuration', () => {
  it('takes the app\'s devices.json and instance.json by default, on a virtual clock whose start is fixed at launch', () => {
    const r = resolveLaunch({ app: DEBUGGEE_DIR });
    assert.deepEqual(r.devices.map((d) => d.id), ['front-door', 'hall-lamp']);
    assert.equal(r.label, 'Debuggee');
    assert.equal(r.clock, 'virtual');
    assert.ok(typeof r.start === 'number' && Math.abs(r.start - Date.now()) < 5000);
  });

  it('takes an inline config, alone or as a whole instance object, checked against app.json', () => {
    const alone = resolveLaunch({ app: DEBUGGEE_DIR, instance: { door: 1, lamp: 2 } });
    assert.ok(alone.config.door !== undefined && alone.config.lamp !== undefined);
    const whole = resolveLaunch({ app: DEBUGGEE_DIR, instance: { name: 'Inline', config: { door: 1, lamp: 2 } } });
    assert.equal(whole.label, 'Inline');
    assert.throws(() => resolveLaunch({ app: DEBUGGEE_DIR, instance: { door: 1 } }), (e: Error) => e instanceof LaunchError && /launch\.json "instance"/.test(e.message) && /lamp/.test(e.message));
  });

  it('names the file, the place and the fix of what is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'launch-'));
    cpSync(DEBUGGEE_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, 'instance.json'), '{ "config": { "door": 1, "lamp": "kitchen" } }');
    assert.throws(() => resolveLaunch({ app: dir }), (e: Error) => e.message.includes(path.join(dir, 'instance.json')) && /lamp/.test(e.message));
    assert.throws(() => resolveLaunch({ app: DEBUGGEE_DIR, start: 'tomorrow' }), /"start": "tomorrow" is not a date; use an ISO time/);
    assert.throws(() => resolveLaunch({ app: DEBUGGEE_DIR, devices: 'nowhere.json' }), /"devices": cannot read .*nowhere\.json.*check the path/);
    assert.throws(() => resolveLaunch({ app: DEBUGGEE_DIR, clock: 'wall' as 'real' }), /"clock": "wall" is not a clock; use "virtual" or "real"/);
  });
});
