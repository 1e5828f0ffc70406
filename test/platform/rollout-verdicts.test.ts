/**
 * How a rollout judges each Thing of a batch from what the Thing reported (its status, kept in the
 * store): a sync the agent tries again by itself (a download from a replica that died, say) is no
 * verdict; a refused bundle is; silence past the ack timeout is, and says the last try's error.
 * The driver runs on a real embedded store; what it publishes is only recorded here (publishing
 * over MQTT is another part's test).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RolloutDriver } from '../../platform/service/rollout-driver';
import { openStore, type DesiredState, type PlatformStore, type Rollout, type RolloutThing } from '../../platform/store';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
type RolloutNow = Rollout & { things: RolloutThing[] };

describe('rollout verdicts from what Things report', function () {
  this.timeout(30_000);
  let root: string;
  let store: PlatformStore;
  let driver: RolloutDriver;
  const published: DesiredState[] = [];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-verdicts-'));
    store = await openStore(path.join(root, 'store'));
    driver = new RolloutDriver(store, async (states) => void published.push(...states), { tickMs: 20, log: () => undefined });
    await driver.start();
  });
  after(async () => {
    await driver?.stop();
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const rolloutNow = async (id: string): Promise<RolloutNow> => ({ ...(await store.getRollout(id)), things: await store.rolloutThings(id) });

  async function rolloutWhen(id: string, done: (r: RolloutNow) => boolean, timeoutMs = 10_000): Promise<RolloutNow> {
    let r!: RolloutNow;
    for (const until = Date.now() + timeoutMs; Date.now() < until; await wait(20)) {
      r = await rolloutNow(id);
      if (done(r)) return r;
    }
    throw new Error(`rollout ${id} did not get there: ${JSON.stringify(r)}`);
  }

  it('waits for a sync the agent retries, fails a refused one at once, and one silent past the timeout with its last error', async () => {
    const version = await store.deployAppVersion({ name: 'door-light', version: '1.0.0', bundle: Buffer.from('PK-bundle'), scriptNames: ['app.js'] });
    const ids = ['recovers', 'refused', 'keeps-failing'];
    for (const thingId of ids) await store.enrollThing({ thingId, model: 'plug' });
    const app = { app_id: version.appId, version: '1.0.0', name: 'Porch light', config: {} };
    await driver.create({ kind: 'bulk', action: 'provision', thingIds: ids, appId: version.appId, app }, { batchSize: 3, failureThreshold: 2, ackTimeoutMs: 1500, rolloutId: 'v' });
    await rolloutWhen('v', (r) => r.counts.sent === 3);
    const desired = new Map((await store.listDesiredStates(ids)).map((d) => [d.thingId, d]));
    assert.deepEqual(published.map((d) => d.thingId).sort(), [...ids].sort(), 'the batch was published');

    // Two downloads not answered (the agent says it tries again) and one bundle refused (it does not).
    const notAnswered = { code: 'fetch', message: 'Porch light@1.0.0: the download was not answered; it tries again in about 2 s', retrying: true };
    await store.reportThingState('recovers', { connected: true, reachedRevision: 0, syncError: notAnswered });
    await store.reportThingState('keeps-failing', { connected: true, reachedRevision: 0, syncError: notAnswered });
    await store.reportThingState('refused', { connected: true, reachedRevision: 0, syncError: { code: 'checksum', message: 'Porch light@1.0.0: the SHA256 does not match' } });
    const judged = await rolloutWhen('v', (r) => r.things.some((t) => t.status === 'failed'));
    await wait(300); // many ticks: the retrying Things stay sent
    const mid = await rolloutNow('v');
    assert.deepEqual(mid.things.map((t) => [t.thingId, t.status]).sort(), [['keeps-failing', 'sent'], ['recovers', 'sent'], ['refused', 'failed']]);
    assert.match(judged.things.find((t) => t.thingId === 'refused')!.error!, /SHA256 does not match/);

    // One retry gets through: the Thing reports its revision with the app running.
    const d = desired.get('recovers')!;
    await store.reportThingState('recovers', { reachedRevision: d.revision, apps: Object.fromEntries(d.apps.map((a) => [String(a.installation_id), { state: 'running' as const }])), syncError: null });
    const done = await rolloutWhen('v', (r) => r.state !== 'running');
    const byId = new Map(done.things.map((t) => [t.thingId, t]));
    assert.equal(byId.get('recovers')!.status, 'succeeded');
    assert.equal(byId.get('keeps-failing')!.status, 'failed');
    assert.match(byId.get('keeps-failing')!.error!, /^no acknowledgement within 2 s \(connected\); its last try: Porch light@1\.0\.0: the download was not answered/);
    assert.equal(done.state, 'succeeded', 'two failures are within the threshold of 2');
  });

  it('a refused sync past the threshold stops the rollout at once, without waiting for the timeout', async () => {
    const ids = ['lone'];
    await store.enrollThing({ thingId: 'lone', model: 'plug' });
    const appId = (await store.findAppByName('door-light'))!.appId;
    await driver.create({ kind: 'bulk', action: 'provision', thingIds: ids, appId, app: { app_id: appId, version: '1.0.0', name: 'Porch light', config: {} } }, { batchSize: 1, failureThreshold: 0, ackTimeoutMs: 60_000, rolloutId: 'w' });
    await rolloutWhen('w', (r) => r.counts.sent === 1);
    await store.reportThingState('lone', { connected: true, syncError: { code: 'unsafe-path', message: 'Porch light@1.0.0: ../escape is outside the bundle' } });
    const done = await rolloutWhen('w', (r) => r.state !== 'running', 5_000);
    assert.equal(done.state, 'failed');
  });
});
