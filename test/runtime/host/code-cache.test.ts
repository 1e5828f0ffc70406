/**
 * The engine thread starts from a V8 code cache of its bundle (worker/code-cache.ts): the first
 * worker, finding none, makes it in a thread of its warden's that runs a sample app
 * (worker/warm-code-cache.ts), and the host writes it beside the bundle; later
 * workers are given it to read (and run apps as before); a rebuilt bundle makes it stale, and the
 * next worker makes a fresh one.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SmartPlugRuntime } from '../../../runtime/host/runtime';
import { makeCodeCache } from '../../../runtime/worker/code-cache';
import { DOOR, src, T0 } from '../engine/engine-helpers';
import { assertFreshDist } from '../../support/fresh-dist';
import { until } from './host-helpers';

const COUNTER = src(`function installed() { subscribe(settings.door, "contact", onContact) }
function onContact(evt) { state.seen = (state.seen || 0) + 1 }`, { door: { type: 'single_device_selector', name: 'Door' } }, 'counter');

describe('the engine thread\'s code cache', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    assertFreshDist(['runtime/worker', 'runtime/engine-thread']);
    dir = mkdtempSync(path.join(tmpdir(), 'smartplug-code-cache-'));
    for (const f of ['worker.js', 'engine-thread.js']) copyFileSync(path.resolve(__dirname, '../../../dist/runtime', f), path.join(dir, f));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function runOnce(): Promise<void> {
    const rt = await SmartPlugRuntime.start({ clock: 'virtual', start: T0, workerPath: path.join(dir, 'worker.js') });
    try {
      await rt.addDevice(DOOR);
      const app = await rt.install({ source: COUNTER, config: { door: 'door' } });
      await rt.deviceEvent('door', 'contact', 'open');
      assert.deepEqual((await rt.appInfo(app.id)).state, { seen: 1 });
    } finally {
      await rt.close();
    }
  }

  it('is made by the first worker, read by the next, and made again when the bundle is newer', async () => {
    const cache = path.join(dir, `engine-thread.js.${process.version}.v8cache`);
    assert.ok(!existsSync(cache));
    await runOnce();
    await until(() => existsSync(cache), 'the code cache');
    const made = statSync(cache).mtimeMs;
    // Made after a sample app ran (warm-code-cache.ts): it holds the bytecode of what ran too, so
    // it is much larger than the bundle's compiled top level alone (the fallback).
    const compiledOnly = Buffer.from(makeCodeCache(path.join(dir, 'engine-thread.js')), 'base64').length;
    assert.ok(statSync(cache).size > 1.5 * compiledOnly, `a cache of the code that ran (${statSync(cache).size} bytes; compiled only: ${compiledOnly})`);
    await runOnce();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(statSync(cache).mtimeMs, made, 'a worker given the cache does not make another');
    // A bundle rebuilt since (the cache is older than it): the next worker makes a fresh one.
    const bundleTime = statSync(path.join(dir, 'engine-thread.js')).mtime;
    const older = new Date(bundleTime.getTime() - 10_000);
    utimesSync(cache, older, older);
    await runOnce();
    await until(() => statSync(cache).mtimeMs >= bundleTime.getTime(), 'a fresh code cache');
  });
});
