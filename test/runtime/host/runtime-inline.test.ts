import assert from 'node:assert/strict';
import { ConfigError } from '../../../runtime/app/instance-config';
import { SourceError } from '../../../runtime/errors';
import { DOOR, fixture, LAMP, LAMP2, rejected, T0 } from '../engine/engine-helpers';
import { startRuntime, TestRuntime } from './host-helpers';

describe('SmartPlugRuntime (inline isolation)', () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await startRuntime({ isolation: 'inline' });
    for (const d of [DOOR, LAMP, LAMP2]) await t.rt.addDevice(d);
  });
  afterEach(() => t.rt.close());

  it('runs the same API in this process, with no worker', async () => {
    const { rt, rec, appLogs } = t;
    assert.equal(rt.isolation, 'inline');
    assert.equal(rt.workerPid, undefined);
    const info = await rt.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp2', timeout: 2 } });
    await rt.deviceEvent('door', 'contact', 'open');
    await rt.advance(2 * 60_000);
    assert.deepEqual(rec.commands.map((c) => `${c.deviceId}.${c.command}@${c.time - T0}`), ['lamp2.on@0', 'lamp2.off@120000']);
    assert.deepEqual(appLogs(info.id), ['installed with timeout 2', 'light off after 2 minutes']);
    await rt.update(info.id, { door: 9, lamp: 'lamp', timeout: 3 });
    assert.deepEqual((await rt.appInfo(info.id)).config, { door: 9, lamp: 'lamp', timeout: 3 });
    await rt.uninstall(info.id);
    assert.deepEqual(await rt.listApps(), []);
    assert.deepEqual(rec.apps.map((a) => a.change), ['installed', 'updated', 'uninstalled']);
  });

  it('throws SourceError and ConfigError as the engine does', async () => {
    assert.ok((await rejected(t.rt.install({ source: fixture('syntax-error'), config: {} }))) instanceof SourceError);
    assert.ok((await rejected(t.rt.install({ source: fixture('door-light'), config: {} }))) instanceof ConfigError);
  });

  it('has no worker to check or restart', async () => {
    assert.equal((await rejected(t.rt.selfCheck())).message, 'selfCheck needs process isolation');
    assert.equal((await rejected(t.rt.restartWorker())).message, 'restartWorker needs process isolation');
  });

  it('refuses calls after close', async () => {
    await t.rt.close();
    assert.equal((await rejected(t.rt.listApps())).message, 'the runtime is closed');
  });
});
