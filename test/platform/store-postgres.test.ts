/**
 * The store contract against PostgreSQL (Debian's, started by the test itself), and what only a
 * shared database has: two store instances (two platform replicas) on one database at once.
 */
import assert from 'node:assert/strict';
import { openStore, StoreError, type PlatformStore } from '../../platform/store';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { rejectsWith, storeContract } from './store-contract';

let server: TestPostgres;
let databases = 0;
const newDatabase = () => server.createDatabase(`store_${process.pid}_${++databases}`);

// One cluster for this file's tests (scoped to this describe, not to the whole mocha run).
describe('platform store on PostgreSQL', function () {
  before(async function () {
    this.timeout(120_000);
    server = await startPostgres();
  });
  after(() => server?.stop());

  storeContract('PostgreSQL', () => {
    let url: string | undefined;
    return {
      open: async (o) => openStore((url = await newDatabase()), o),
      reopen: () => openStore(url!),
    };
  });

  describe('platform store: two replicas on one PostgreSQL', function () {
    this.timeout(120_000);
    let a: PlatformStore;
    let b: PlatformStore;

    beforeEach(async () => {
      const url = await newDatabase();
      // Both open (and migrate) the empty database at once, as two replicas starting together do.
      [a, b] = await Promise.all([openStore(url), openStore(url)]);
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it('deploys racing on one app: each version is stored once, the loser gets a conflict, never a database error', async () => {
      const versions = Array.from({ length: 8 }, (_, i) => `1.0.${i + 1}`);
      const deploy = (s: PlatformStore, v: string) => s.deployAppVersion({ name: 'race', version: v, bundle: Buffer.from(`${v}`), scriptNames: ['app.js'] });
      const results = await Promise.allSettled(versions.flatMap((v) => [deploy(a, v), deploy(b, v)]));
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      for (const f of failures) {
        assert.ok(f instanceof StoreError && f.code === 'conflict', `a racing deploy failed with ${String(f)}`);
        assert.match(f.message, /versions only go up/);
      }
      const [app] = await b.listApps();
      const stored = app.versions.map((v) => v.version);
      assert.equal(new Set(stored).size, stored.length);
      assert.equal(stored.length + failures.length, versions.length * 2);
      assert.equal(app.latestVersion, '1.0.8');
    });

    it('two replicas racing for a rollout: one takes the lease; the other takes it over only after it expires', async () => {
      await a.createRollout({ rolloutId: 'r', plan: {}, batchSize: 10, failureThreshold: 0, thingIds: ['t1', 't2'] });
      const won = await Promise.all([a.acquireRolloutLease('r', 'A', 1500), b.acquireRolloutLease('r', 'B', 1500)]);
      assert.equal(won.filter(Boolean).length, 1, `exactly one lease holder, got ${JSON.stringify(won)}`);
      const [holder, other, holderName, otherName] = won[0] ? [a, b, 'A', 'B'] : [b, a, 'B', 'A'];
      await holder.recordRolloutThing('r', holderName, 't1', 'succeeded');
      assert.equal(await other.acquireRolloutLease('r', otherName, 1500), false, 'taken over before expiry');
      await new Promise((r) => setTimeout(r, 1600));
      assert.equal(await other.acquireRolloutLease('r', otherName, 1500), true, 'not taken over after expiry');
      await rejectsWith(holder.recordRolloutThing('r', holderName, 't2', 'succeeded'), 'lease_lost', new RegExp(`held by "${otherName}"`));
      await other.recordRolloutThing('r', otherName, 't2', 'succeeded');
      assert.deepEqual((await holder.getRollout('r')).counts, { pending: 0, sent: 0, succeeded: 2, failed: 0 });
    });

    it('two replicas adding apps to one Thing at once: no addition is lost', async () => {
      const v = await a.deployAppVersion({ name: 'x', version: '1.0.0', bundle: Buffer.from('x'), scriptNames: ['app.js'] });
      await a.enrollThing({ thingId: 't', model: 'plug' });
      const add = (s: PlatformStore, name: string) => s.addThingApp('t', { app_id: v.appId, version: '1.0.0', config: {}, name });
      const added = await Promise.all(Array.from({ length: 6 }, (_, i) => [add(a, `a${i}`), add(b, `b${i}`)]).flat());
      const state = await b.desiredState('t');
      assert.deepEqual(state.apps.map((x) => x.name).sort(), added.map((x) => x.name).sort());
      assert.equal(state.apps.length, 12);
      assert.equal(state.revision, 13);
    });

    it('two replicas storing reports of the same Things at once, in opposite orders: both are stored, no deadlock', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(2, '0')}`);
      await a.enrollThings(ids.map((thingId) => ({ thingId, model: 'plug' })));
      for (let round = 1; round <= 5; round++) {
        const reports = ids.map((thingId) => ({ thingId, report: { reachedRevision: round, connected: round % 2 === 0 } }));
        const [fromA, fromB] = await Promise.all([a.reportThingStates(reports), b.reportThingStates([...reports].reverse())]);
        assert.deepEqual([fromA.map((s) => s.thingId), fromB.map((s) => s.thingId)], [ids, [...ids].reverse()], 'answers in the order asked');
      }
      const states = await b.listThingStates(ids);
      assert.deepEqual([...new Set(states.map((s) => `${s.reachedRevision} ${s.connected}`))], ['5 false']);
    });

    it("a new Thing's first reports reaching two replicas at once (its connection at one, its status at the other): neither is lost", async () => {
      // No state is stored for these Things yet: there is no row to lock, so each replica's write must not start from "nothing reported".
      const ids = Array.from({ length: 60 }, (_, i) => `n${String(i).padStart(2, '0')}`);
      await a.enrollThings(ids.map((thingId) => ({ thingId, model: 'plug' })));
      await Promise.all([
        a.reportThingStates(ids.map((thingId) => ({ thingId, report: { connected: true } }))),
        b.reportThingStates(ids.map((thingId) => ({ thingId, report: { reachedRevision: 3, apps: { 1: { state: 'running' as const } }, syncError: null } }))),
      ]);
      const states = await a.listThingStates(ids);
      assert.deepEqual(states.filter((s) => !s.connected || s.reachedRevision !== 3).map((s) => `${s.thingId}: connected ${s.connected}, revision ${s.reachedRevision}`), []);
    });

    it('a Template saved on one replica is what the other reads at once (no stale cache)', async () => {
      const v = await a.deployAppVersion({ name: 'x', version: '1.0.0', bundle: Buffer.from('x'), scriptNames: ['app.js'] });
      await a.saveTemplate({ templateId: 'T', name: 'T', apps: [] });
      await b.enrollThing({ thingId: 't', model: 'plug', templateId: 'T' });
      assert.deepEqual((await b.desiredState('t')).apps, []);
      await a.saveTemplate({ templateId: 'T', name: 'T', apps: [{ app_id: v.appId, version: '1.0.0', config: {}, name: 'x' }] });
      const seen = await b.desiredState('t');
      assert.deepEqual([seen.revision, seen.apps.map((x) => x.name)], [2, ['x']]);
    });
  });
});
