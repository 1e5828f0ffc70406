import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startCli } from '../../client/testing/cli-process';
import { ResultMapper, type RunOutcome } from '../../client/testing/results';
import { planRuns } from '../../client/testing/run-plan';
import { CLI, ROOT } from './cli-helpers';
import { assertFreshDist } from '../support/fresh-dist';

/** Running, and not a zombie waiting for a parent that does not reap it (PID 1 in a container may not). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
};

describe('client: the smartplug test child process of a run', function () {
  before(() => assertFreshDist());
  this.timeout(60_000);

  it('streams a real run as JSON lines that map onto results', async () => {
    const [invocation] = planRuns([{ file: path.join(ROOT, 'examples', 'motion-light', 'tests', 'motion-light.scenario.json'), app: path.join(ROOT, 'examples', 'motion-light') }]);
    const mapper = new ResultMapper();
    const outcomes: RunOutcome[] = [];
    const child = startCli({ execPath: process.execPath, cliPath: CLI, args: invocation.args, cwd: ROOT, onLine: (l) => outcomes.push(...mapper.push(l)) });
    const exit = await child.done;
    assert.equal(exit.code, 0, exit.stderr);
    const passed = outcomes.filter((o) => o.type === 'passed');
    assert.equal(passed.length, 6);
    assert.equal(outcomes.filter((o) => o.type === 'started').length, 6);
  });

  it('says why when the process cannot run', async () => {
    const child = startCli({ execPath: process.execPath, cliPath: CLI, args: ['test', '--format', 'nonsense'], cwd: ROOT, onLine: () => undefined });
    const exit = await child.done;
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /--format is text or json/);
    const missing = await startCli({ execPath: path.join(ROOT, 'no-such-node'), cliPath: CLI, args: [], cwd: ROOT, onLine: () => undefined }).done;
    assert.equal(missing.code, null);
    assert.match(missing.stderr, /could not start/);
  });

  it('kills the process and what it started when the run is cancelled', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-cancel-'));
    try {
      // Like the CLI, which re-starts itself under the permission model with its stdio inherited.
      const script = path.join(dir, 'spawns.js');
      writeFileSync(script, `
        const { spawn } = require('node:child_process');
        const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
        console.log(JSON.stringify({ grandchild: child.pid }));
        setInterval(() => {}, 1000);
      `);
      let grandchild = 0;
      let gotPid!: () => void;
      const started = new Promise<void>((resolve) => (gotPid = resolve));
      const child = startCli({
        execPath: process.execPath, cliPath: script, args: [], cwd: dir,
        onLine: (l) => {
          grandchild = JSON.parse(l).grandchild;
          gotPid();
        },
      });
      await started;
      assert.ok(alive(grandchild));
      const t0 = Date.now();
      child.kill();
      const exit = await child.done;
      assert.equal(exit.signal, 'SIGKILL');
      assert.ok(Date.now() - t0 < 5000);
      for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(!alive(grandchild), 'the grandchild is gone too');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
