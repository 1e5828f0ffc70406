/**
 * Start Local Environment's process side (client/platform/local-environment.ts): the real
 * `smartplug up` started as the extension starts it, found again when it already runs, stopped
 * with Ctrl-C, and back on the same ports after a restart (so a client that lost it finds it).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { LocalEnvironmentProcess } from '../../client/platform/local-environment';
import { TOOL_USER } from '../../platform/broker/access';
import { assertFreshDist } from '../support/fresh-dist';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'platform', 'cli.js');

describe('client: the local environment process', function () {
  this.timeout(120_000);
  let root: string;
  let dir: string;
  const lines: string[] = [];
  const start = (things = 2) => LocalEnvironmentProcess.start({ execPath: process.execPath, cliPath: CLI, dir, things, onLine: (l) => lines.push(l) });

  before(() => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-local-'));
    dir = path.join(root, '.smartplug');
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('starts smartplug up, waits for ready, joins it when it runs, and stops it with Ctrl-C', async () => {
    const first = await start();
    let follower: MqttClient | undefined;
    let stopMs = 0;
    try {
      assert.equal(first.owned, true);
      assert.ok(lines.some((l) => /^ready in \d+ ms: 2 of 2 Things run their apps/.test(l)), lines.join('\n'));
      assert.match(first.endpoints.platform, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(first.endpoints.broker, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
      const apps = await fetch(`${first.endpoints.platform}/api/apps`, { headers: { authorization: `Bearer ${first.endpoints.token}` } });
      assert.equal(apps.status, 200);
      // Its folder keeps secrets: it is never for a repository.
      assert.match(readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^\*$/m);
      const again = await start();
      assert.equal(again.owned, false, 'the running one is joined, not a second started');
      assert.deepEqual(again.endpoints, first.endpoints);
      // A tool following the broker (the IDE's views) is still connected when it stops.
      follower = await mqtt.connectAsync(first.endpoints.broker, { username: TOOL_USER, password: first.endpoints.token, reconnectPeriod: 0 });
    } finally {
      const t0 = Date.now();
      await first.stop();
      stopMs = Date.now() - t0;
    }
    assert.ok(lines.includes('stopped'), 'it stopped cleanly, as on Ctrl-C');
    assert.ok(stopMs < 10_000, `stopping took ${stopMs} ms with a client connected`);
    await follower?.endAsync(true);
    // Started again, it comes back where it was.
    const second = await start();
    try {
      assert.equal(second.owned, true);
      assert.deepEqual(second.endpoints, first.endpoints);
    } finally {
      await second.stop();
    }
  });

  it('says why when smartplug up stops before it is ready', async () => {
    await assert.rejects(start(0), (e: Error) => /stopped before it was ready \(exit code 2\)/.test(e.message) && /--things/.test(e.message));
    assert.ok(existsSync(dir));
  });
});
