/**
 * The one contract every platform store backend is held to (as aedes-persistence's abstract tests
 * are run against each of its backends): store-sqlite.test.ts and store-postgres.test.ts call
 * `storeContract` with a factory for their backend.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { StoreError, type PlatformStore, type StoreErrorCode } from '../../platform/store';

export interface StoreUnderTest {
  /** a new empty store; `clock` replaces Date.now */
  open(options?: { clock?: () => number }): Promise<PlatformStore>;
  /** the same store's data opened again (after the first was closed) */
  reopen(): Promise<PlatformStore>;
}

export async function rejectsWith(p: Promise<unknown>, code: StoreErrorCode, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StoreError, `expected a StoreError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

const zip = (text: string) => Buffer.from(`PK-bundle:${text}`);

export function storeContract(backend: string, factory: () => StoreUnderTest): void {
  describe(`platform store contract: ${backend}`, function () {
    this.timeout(60_000);
    let sut: StoreUnderTest;
    let store: PlatformStore;
    let now = 1_000_000;

    beforeEach(async () => {
      now = 1_000_000;
      sut = factory();
      store = await sut.open({ clock: () => now });
    });
    afterEach(async () => {
      await store.close();
    });

    const deploy = (version: string, scripts = ['app.js'], name = 'door-light') => store.deployAppVersion({ name, version, bundle: zip(`${name}@${version}`), scriptNames: scripts });

    it('keeps bundles with their SHA-256 and size, and serves the same bytes after reopening', async () => {
      const v = await deploy('1.0.0', ['app.js', 'lib.js']);
      const bytes = zip('door-light@1.0.0');
      assert.equal(v.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(v.size, bytes.length);
      await store.close();
      store = await sut.reopen();
      const read = await store.readBundle(v.appId, '1.0.0');
      assert.deepEqual(read.bytes, bytes);
      assert.deepEqual(read.version.scriptNames, ['app.js', 'lib.js']);
      const apps = await store.listApps();
      assert.deepEqual(apps.map((a) => [a.name, a.latestVersion, a.versions.map((x) => x.version)]), [['door-light', '1.0.0', ['1.0.0']]]);
    });

    it('versions only go up, compared as versions (1.10.0 > 1.9.0), removed ones included', async () => {
      await deploy('1.2.0');
      const v = await deploy('1.10.0');
      await rejectsWith(deploy('1.9.0'), 'conflict', /already has version 1\.10\.0: versions only go up, so deploy 1\.10\.1 or higher/);
      await rejectsWith(deploy('1.10.0'), 'conflict', /versions only go up/);
      assert.equal((await store.latestAppVersion(v.appId)).version, '1.10.0');
      await store.removeAppVersion(v.appId, '1.10.0');
      assert.equal((await store.latestAppVersion(v.appId)).version, '1.2.0');
      await rejectsWith(deploy('1.10.0'), 'conflict', /versions only go up/);
      assert.equal((await deploy('2.0.0')).version, '2.0.0');
      assert.deepEqual((await store.listApps())[0].versions.map((x) => x.version), ['1.2.0', '2.0.0']);
    });

    it('refuses bad input with a message that says what to fix', async () => {
      await rejectsWith(deploy('v1'), 'bad_input', /"v1" is not a semantic version .*set "version" in app\.json/);
      await rejectsWith(store.deployAppVersion({ name: '', version: '1.0.0', bundle: zip('x'), scriptNames: [] }), 'bad_input', /app name must be a non-empty string/);
      await rejectsWith(store.deployAppVersion({ name: 'a', version: '1.0.0', bundle: Buffer.alloc(0), scriptNames: [] }), 'bad_input', /bundle is empty/);
      const v = await deploy('1.0.0');
      await rejectsWith(store.saveTemplate({ templateId: 'T', name: 'T', apps: [{ app_id: v.appId, version: '1.0.0', config: [] as unknown as Record<string, unknown>, name: 'x' }] }), 'bad_input', /Template "T", app 1: "config" must be an object/);
      await rejectsWith(store.createRollout({ rolloutId: 'r', plan: {}, batchSize: 0, failureThreshold: 0, thingIds: [] }), 'bad_input', /batchSize must be a whole number of at least 1/);
    });

    it('refuses a deploy that renames a deployed script, and says what to do instead', async () => {
      await deploy('1.0.0', ['app.js', 'timer.js']);
      await rejectsWith(deploy('1.1.0', ['app.js', 'clock.js']), 'conflict', /would rename "timer\.js" \(version 1\.0\.0\) to "clock\.js": a deployed script cannot be renamed; keep the old name, or deploy the renamed app as a new app/);
      assert.equal((await deploy('1.1.0', ['app.js', 'timer.js', 'extra.js'])).version, '1.1.0');
    });

    it('names what is missing: app, version, Thing, Template, rollout, token', async () => {
      await rejectsWith(store.getApp(42), 'not_found', /no app 42 in the App Store/);
      const v = await deploy('1.0.0');
      await rejectsWith(store.readBundle(v.appId, '9.9.9'), 'not_found', /"door-light" \(\d+\) has no version 9\.9\.9 in the App Store; it has 1\.0\.0/);
      await rejectsWith(store.getThing('nope'), 'not_found', /no Thing "nope"; enrol it first/);
      await rejectsWith(store.getTemplate('nope'), 'not_found', /no Template "nope"/);
      await rejectsWith(store.enrollThing({ thingId: 't', model: 'plug', templateId: 'nope' }), 'not_found', /names Template "nope", which does not exist/);
      await rejectsWith(store.getRollout('nope'), 'not_found', /no rollout "nope"/);
      await rejectsWith(store.revokeToken('nope'), 'not_found', /no token "nope"/);
      await rejectsWith(store.setThingApps('nope', []), 'not_found', /no Thing "nope"/);
    });

    it('saving a Template bumps every Thing of it, and a Thing enrolled later inherits its apps', async () => {
      const v = await deploy('1.0.0');
      await store.saveTemplate({ templateId: 'plugs', name: 'Plugs', apps: [] });
      await store.enrollThing({ thingId: 'a', model: 'plug-2', templateId: 'plugs' });
      await store.enrollThing({ thingId: 'b', model: 'plug-2', templateId: 'plugs' });
      await store.enrollThing({ thingId: 'lone', model: 'plug-2' });
      const before = await store.desiredState('a');
      const saved = await store.saveTemplate({ templateId: 'plugs', name: 'Plugs', apps: [{ app_id: v.appId, version: '1.0.0', config: { timeout: 10 }, name: 'Door light' }] });
      assert.deepEqual(saved.thingIds, ['a', 'b']);
      assert.equal(saved.template.revision, 2);
      const after = await store.desiredState('a');
      assert.equal(after.revision, before.revision + 1);
      assert.deepEqual(after.apps.map((x) => [x.name, x.config, x.source]), [['Door light', { timeout: 10 }, { kind: 'template', templateId: 'plugs' }]]);
      assert.equal((await store.desiredState('lone')).revision, 1);
      await store.enrollThing({ thingId: 'c', model: 'plug-2', templateId: 'plugs' });
      assert.deepEqual((await store.desiredState('c')).apps.map((x) => x.installation_id), [after.apps[0].installation_id]);
      assert.deepEqual((await store.listThings({ templateId: 'plugs' })).map((t) => t.thingId), ['a', 'b', 'c']);
      await rejectsWith(store.removeTemplate('plugs'), 'conflict', /still has Things \(a, b, c\)/);
    });

    it("keeps a Thing's own apps apart from inherited ones: an inherited app cannot be removed from the Thing", async () => {
      const v = await deploy('1.0.0');
      await store.saveTemplate({ templateId: 'T', name: 'T', apps: [{ app_id: v.appId, version: '1.0.0', config: {}, name: 'from template' }] });
      await store.enrollThing({ thingId: 'a', model: 'plug', templateId: 'T' });
      const own = await store.addThingApp('a', { app_id: v.appId, version: '1.0.0', config: { x: 1 }, name: 'own' });
      const state = await store.desiredState('a');
      assert.deepEqual(state.apps.map((x) => [x.name, x.source.kind]), [['from template', 'template'], ['own', 'thing']]);
      const inherited = state.apps[0].installation_id;
      await rejectsWith(store.removeThingApp('a', inherited), 'conflict', /"from template" \(installation \d+\) is inherited from Template "T" and cannot be removed from Thing "a": remove it from the Template and save the Template/);
      await rejectsWith(store.setThingApps('a', [{ ...state.apps[0], source: undefined } as never]), 'conflict', /inherited from Template "T"; change it in the Template/);
      await store.removeThingApp('a', own.installation_id);
      assert.deepEqual((await store.desiredState('a')).apps.map((x) => x.name), ['from template']);
      await rejectsWith(store.removeThingApp('a', 99999), 'not_found', /no app with installation_id 99999/);
    });

    it('refuses to remove an app or version while something has it', async () => {
      const v = await deploy('1.0.0');
      await store.enrollThing({ thingId: 'a', model: 'plug' });
      await store.addThingApp('a', { app_id: v.appId, version: '1.0.0', config: {}, name: 'x' });
      await rejectsWith(store.removeAppVersion(v.appId, '1.0.0'), 'conflict', /version 1\.0\.0 is still provisioned on thing "a" \(1\.0\.0\): remove it there/);
      await rejectsWith(store.removeApp(v.appId), 'conflict', /still provisioned on thing "a"/);
      await rejectsWith(store.addThingApp('a', { app_id: v.appId, version: '3.0.0', config: {}, name: 'y' }), 'not_found', /Thing "a": app "door-light" .* has no version 3\.0\.0/);
      await store.setThingApps('a', []);
      await store.removeApp(v.appId);
      assert.deepEqual(await store.listApps(), []);
    });

    it('bulk changes are one transaction: one bad Thing and none changes', async () => {
      const v = await deploy('1.0.0');
      await store.enrollThing({ thingId: 'a', model: 'plug' });
      await store.enrollThing({ thingId: 'b', model: 'plug' });
      const inst = { app_id: v.appId, version: '1.0.0', config: {}, name: 'x' };
      await rejectsWith(store.setManyThingApps([{ thingId: 'a', apps: [inst] }, { thingId: 'missing', apps: [inst] }]), 'not_found', /no Thing "missing"/);
      assert.deepEqual((await store.desiredState('a')).apps, []);
      assert.equal((await store.desiredState('a')).revision, 1);
      const done = await store.setManyThingApps([{ thingId: 'a', apps: [inst] }, { thingId: 'b', apps: [inst] }]);
      assert.deepEqual(done.map((d) => [d.thingId, d.revision, d.apps.length]), [['a', 2, 1], ['b', 2, 1]]);
      assert.deepEqual((await store.listDesiredStates(['b'])).map((d) => d.apps[0].name), ['x']);
    });

    it('checks Thing credentials and API tokens against their hashes only', async () => {
      const { secrets } = await store.enrollThing({ thingId: 'a', model: 'plug', secrets: { broker: 'broker-pw' } });
      assert.equal(secrets.broker, 'broker-pw');
      assert.ok(secrets.shell.length >= 40);
      assert.equal(await store.verifyThingSecret('a', 'broker', 'broker-pw'), true);
      assert.equal(await store.verifyThingSecret('a', 'shell', 'broker-pw'), false);
      assert.equal(await store.verifyThingSecret('a', 'shell', secrets.shell), true);
      assert.equal(await store.verifyThingSecret('ghost', 'broker', 'broker-pw'), false);
      await rejectsWith(store.enrollThing({ thingId: 'a', model: 'plug' }), 'conflict', /already enrolled/);
      const { token, secret } = await store.createToken({ name: 'ide', scopes: ['deploy'] });
      assert.deepEqual((await store.verifyToken(secret))?.scopes, ['deploy']);
      assert.equal(await store.verifyToken(secret + 'x'), null);
      assert.ok(!JSON.stringify(await store.listTokens()).includes(secret));
      await store.revokeToken(token.tokenId);
      assert.equal(await store.verifyToken(secret), null);
    });

    it("keeps each Thing's last report: connection, app status, reached revision", async () => {
      await store.enrollThing({ thingId: 'a', model: 'plug' });
      assert.equal(await store.getThingState('a'), null);
      await store.reportThingState('a', { connected: true });
      now += 500;
      const s = await store.reportThingState('a', { reachedRevision: 3, apps: { '7': { state: 'failed', error: 'boom' } } });
      assert.deepEqual([s.connected, s.connectionChangedAt, s.reachedRevision, s.apps], [true, 1_000_000, 3, { '7': { state: 'failed', error: 'boom' } }]);
      now += 500;
      await store.reportThingState('a', { connected: false });
      const [last] = await store.listThingStates(['a']);
      assert.deepEqual([last.connected, last.connectionChangedAt, last.reachedRevision, last.syncError], [false, 1_001_000, 3, null]);
      // A failed sync's reason is kept until a report clears it; a report without it leaves it be.
      await store.reportThingState('a', { syncError: { code: 'checksum', message: 'wrong SHA256' } });
      assert.deepEqual((await store.reportThingState('a', { connected: true })).syncError, { code: 'checksum', message: 'wrong SHA256' });
      assert.equal((await store.reportThingState('a', { reachedRevision: 4, syncError: null })).syncError, null);
      await rejectsWith(store.reportThingState('ghost', { connected: true }), 'not_found', /no Thing "ghost"/);
    });

    it('ignores a status older than the one it has (a lower revision reached), as two replicas may store them out of order', async () => {
      await store.enrollThing({ thingId: 'a', model: 'plug' });
      await store.reportThingState('a', { connected: true, reachedRevision: 3, apps: { '2': { state: 'running' } }, syncError: null });
      const late = await store.reportThingState('a', { reachedRevision: 2, apps: { '1': { state: 'running' } }, syncError: { code: 'sync', message: 'old' } });
      assert.deepEqual([late.reachedRevision, late.apps, late.syncError], [3, { '2': { state: 'running' } }, null]);
      const [batched] = await store.reportThingStates([{ thingId: 'a', report: { connected: false, reachedRevision: 1, apps: {} } }]);
      assert.deepEqual([batched.connected, batched.reachedRevision, batched.apps], [false, 3, { '2': { state: 'running' } }]);
    });

    it('enrols and takes reports of many Things in one transaction: all or none', async () => {
      await store.saveTemplate({ templateId: 'T', name: 'T', apps: [] });
      const many = Array.from({ length: 200 }, (_, i) => ({ thingId: `t${String(i).padStart(3, '0')}`, model: 'plug', templateId: 'T' }));
      const done = await store.enrollThings(many);
      assert.equal(done.length, 200);
      assert.equal(await store.verifyThingSecret('t199', 'shell', done[199].secrets.shell), true);
      await rejectsWith(store.enrollThings([{ thingId: 'new-one', model: 'plug' }, { thingId: 't007', model: 'plug' }]), 'conflict', /Thing "t007" is already enrolled/);
      await rejectsWith(store.getThing('new-one'), 'not_found', /no Thing "new-one"/);
      const states = await store.reportThingStates(many.map((t) => ({ thingId: t.thingId, report: { connected: true, reachedRevision: 1 } })));
      assert.equal(states.length, 200);
      await rejectsWith(store.reportThingStates([{ thingId: 't000', report: { connected: false } }, { thingId: 'ghost', report: {} }]), 'not_found', /no Thing "ghost"/);
      const all = await store.listThingStates();
      assert.deepEqual([all.length, all.every((s) => s.connected && s.reachedRevision === 1)], [200, true]);
      assert.equal((await store.listDesiredStates()).length, 200);
    });

    it("a Template rollout commits with its Template's save, or neither happens", async () => {
      const v = await deploy('1.0.0');
      await store.saveTemplate({ templateId: 'T', name: 'T', apps: [] });
      await store.enrollThings(['t1', 't2'].map((thingId) => ({ thingId, model: 'plug', templateId: 'T' })));
      const app = { app_id: v.appId, version: '1.0.0', config: {}, name: 'Door light' };
      // The save fails (no such version): no rollout is left that a replica could drive.
      await rejectsWith(store.createRollout({ rolloutId: 'r', plan: {}, batchSize: 1, failureThreshold: 0, thingIds: ['t1', 't2'], template: { templateId: 'T', name: 'T', apps: [{ ...app, version: '9.9.9' }] } }), 'not_found', /9\.9\.9/);
      await rejectsWith(store.getRollout('r'), 'not_found', /no rollout "r"/);
      assert.deepEqual((await store.listDesiredStates(['t1'])).map((d) => [d.revision, d.apps.length]), [[1, 0]]);
      // It works: the rollout and the Template's new apps are there together.
      const r = await store.createRollout({ rolloutId: 'r', plan: {}, batchSize: 1, failureThreshold: 0, thingIds: ['t1', 't2'], template: { templateId: 'T', name: 'T', apps: [app] } });
      assert.equal(r.counts.pending, 2);
      assert.deepEqual((await store.listDesiredStates(['t1', 't2'])).map((d) => [d.revision, d.apps.map((a) => a.name)]), [[2, ['Door light']], [2, ['Door light']]]);
      assert.equal((await store.getTemplate('T')).revision, 2);
    });

    it('rollouts: batches, progress, and a lease another replica takes only once it expires', async () => {
      const ids = ['t1', 't2', 't3', 't4', 't5'];
      const r = await store.createRollout({ rolloutId: 'r1', plan: { app: 'door-light', to: '1.1.0' }, batchSize: 2, failureThreshold: 1, thingIds: ids });
      assert.deepEqual([r.state, r.counts.pending, r.lease], ['running', 5, null]);
      assert.deepEqual((await store.rolloutThings('r1', { batch: 2 })).map((t) => t.thingId), ['t5']);
      assert.equal(await store.acquireRolloutLease('r1', 'replica-a', 10_000), true);
      assert.equal(await store.acquireRolloutLease('r1', 'replica-b', 10_000), false);
      await store.recordRolloutThing('r1', 'replica-a', 't1', 'succeeded');
      await store.recordRolloutThing('r1', 'replica-a', 't2', 'failed', 'checksum mismatch');
      await rejectsWith(store.recordRolloutThing('r1', 'replica-b', 't3', 'sent'), 'lease_lost', /not leased to "replica-b" \(held by "replica-a"\)/);
      now += 10_001;
      assert.equal(await store.acquireRolloutLease('r1', 'replica-b', 10_000), true);
      await rejectsWith(store.recordRolloutThing('r1', 'replica-a', 't3', 'sent'), 'lease_lost', /held by "replica-b"/);
      await store.recordRolloutThing('r1', 'replica-b', 't3', 'sent');
      // Many at once: all or none (an unknown Thing fails the whole batch).
      await rejectsWith(store.recordRolloutThings('r1', 'replica-b', [{ thingId: 't3', status: 'succeeded' }, { thingId: 'nope', status: 'sent' }]), 'not_found', /no Thing "nope"/);
      assert.equal((await store.rolloutThings('r1')).find((t) => t.thingId === 't3')?.status, 'sent');
      await rejectsWith(store.recordRolloutThings('r1', 'replica-a', [{ thingId: 't3', status: 'succeeded' }]), 'lease_lost', /held by "replica-b"/);
      const got = await store.getRollout('r1');
      assert.deepEqual([got.counts, got.lease?.owner, got.plan], [{ pending: 2, sent: 1, succeeded: 1, failed: 1 }, 'replica-b', { app: 'door-light', to: '1.1.0' }]);
      assert.deepEqual((await store.rolloutThings('r1', { status: 'failed' })).map((t) => [t.thingId, t.error]), [['t2', 'checksum mismatch']]);
      await store.finishRollout('r1', 'replica-b', 'failed');
      assert.deepEqual((await store.listRollouts({ state: 'failed' })).map((x) => [x.rolloutId, x.lease]), [['r1', null]]);
      assert.equal(await store.acquireRolloutLease('r1', 'replica-a', 10_000), false, 'a finished rollout cannot be leased');
      await rejectsWith(store.createRollout({ rolloutId: 'r1', plan: {}, batchSize: 1, failureThreshold: 0, thingIds: [] }), 'conflict', /already exists/);
    });

    it('duties: one replica holds a duty, renews it, and another takes it once it lapses or is given up', async () => {
      assert.equal(await store.dutyHolder('reconcile'), null);
      assert.equal(await store.acquireDuty('reconcile', 'replica-a', 1000), true);
      assert.equal(await store.acquireDuty('reconcile', 'replica-b', 1000), false);
      // Another duty is held apart.
      assert.equal(await store.acquireDuty('other', 'replica-b', 1000), true);
      now += 900;
      assert.equal(await store.acquireDuty('reconcile', 'replica-a', 1000), true, 'renewed');
      now += 900;
      assert.equal(await store.acquireDuty('reconcile', 'replica-b', 1000), false, 'the renewal counts from when it was made');
      assert.equal(await store.dutyHolder('reconcile'), 'replica-a');
      now += 101;
      assert.equal(await store.dutyHolder('reconcile'), null, 'lapsed');
      assert.equal(await store.acquireDuty('reconcile', 'replica-b', 1000), true);
      // Giving up a duty one does not hold changes nothing; giving up one's own frees it at once.
      await store.releaseDuty('reconcile', 'replica-a');
      assert.equal(await store.dutyHolder('reconcile'), 'replica-b');
      await store.releaseDuty('reconcile', 'replica-b');
      assert.equal(await store.acquireDuty('reconcile', 'replica-a', 1000), true);
      await rejectsWith(store.acquireDuty('reconcile', '', 1000), 'bad_input', /name the replica/);
    });
  });
}
