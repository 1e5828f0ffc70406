/**
 * Safe rollouts on the local platform: the dry-run diff, a staged Template rollout that holds back
 * the later batches, one that stops past its failure threshold and gives the Template its previous
 * apps back, a bulk rollout, and a rollout another replica takes over when the one driving it dies.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeBundle } from '../../platform/bundle';
import { PLATFORM_USER } from '../../platform/broker/access';
import { PlatformService } from '../../platform/service/platform-service';
import { exampleAppDir } from '../../platform/up/example-app';
import { EXAMPLE_TEMPLATE, LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';

const EXAMPLE = exampleAppDir();

async function deployVersion(api: PlatformApi, root: string, version: string, editAppJson?: (j: any) => void, editScript?: (s: string) => string): Promise<void> {
  const dir = path.join(root, `app-${version}`);
  cpSync(EXAMPLE, dir, { recursive: true });
  const appJson = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8'));
  appJson.version = version;
  editAppJson?.(appJson);
  writeFileSync(path.join(dir, 'app.json'), JSON.stringify(appJson, null, 2));
  if (editScript) writeFileSync(path.join(dir, 'app.js'), editScript(readFileSync(path.join(dir, 'app.js'), 'utf8')));
  const r = await api.request('POST', '/api/apps', (await makeBundle(dir)).bytes);
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

async function waitForRollout(api: PlatformApi, id: string, done: (r: any) => boolean, timeoutMs = 30_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  let r: any;
  while (Date.now() < until) {
    r = (await api.get(`/api/rollouts/${id}`)).body;
    if (done(r)) return r;
    await new Promise((x) => setTimeout(x, 50));
  }
  throw new Error(`rollout ${id} did not get there: ${JSON.stringify(r)}`);
}

const versions = (things: any[]) => things.map((t) => `${t.thingId}:${t.inherited.map((a: any) => a.version).join(',')}`);

describe('rollouts', function () {
  this.timeout(180_000);
  let root: string;
  let env: LocalEnvironment;
  let api: PlatformApi;
  let template: any;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-rollouts-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 6, activityMs: 0, exampleApp: EXAMPLE, log: () => undefined });
    api = new PlatformApi(env.endpoints.platform, env.adminToken);
    await api.waitForThings((ts) => ts.length === 6 && ts.every(runsEverything));
    await deployVersion(api, root, '1.1.0');
    template = (await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body;
  });

  after(async () => {
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a dry run says which Things gain, lose or change which apps, and changes nothing', async () => {
    const plan = { kind: 'template', templateId: EXAMPLE_TEMPLATE, apps: [{ ...template.apps[0], version: '1.1.0' }, { app_id: 1, version: '1.0.0', name: 'Porch light', config: template.apps[0].config }] };
    const r = await api.post('/api/rollouts/diff', { plan });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.summary, { things: 6, gain: 6, lose: 0, change: 6 });
    const d = r.body.things[0];
    assert.deepEqual(d.change.map((c: any) => [c.name, c.from.version, c.to.version]), [['Hall light', '1.0.0', '1.1.0']]);
    assert.deepEqual(d.gain.map((g: any) => g.name), ['Porch light']);
    const removing = await api.post('/api/rollouts/diff', { plan: { kind: 'template', templateId: EXAMPLE_TEMPLATE, apps: [] } });
    assert.deepEqual(removing.body.summary, { things: 6, gain: 0, lose: 6, change: 0 });
    assert.deepEqual(versions((await api.get('/api/things')).body.things), ['thing-1:1.0.0', 'thing-2:1.0.0', 'thing-3:1.0.0', 'thing-4:1.0.0', 'thing-5:1.0.0', 'thing-6:1.0.0']);
  });

  it('a staged Template rollout goes batch by batch, holding back the Things not yet reached', async () => {
    const plan = { kind: 'template', templateId: EXAMPLE_TEMPLATE, apps: [{ ...template.apps[0], version: '1.1.0' }] };
    const created = await api.post('/api/rollouts', { plan, batchSize: 2, failureThreshold: 0, rolloutId: 'to-1.1.0' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // Pause once the first batch has succeeded: the last batch has not been told anything.
    await waitForRollout(api, 'to-1.1.0', (r) => r.counts.succeeded >= 2);
    assert.equal((await api.post('/api/rollouts/to-1.1.0/pause')).status, 200);
    await new Promise((x) => setTimeout(x, 600));
    const paused = (await api.get('/api/rollouts/to-1.1.0')).body;
    const last = paused.things.filter((t: any) => t.batch === 2);
    assert.deepEqual(last.map((t: any) => [t.thingId, t.status]), [['thing-5', 'pending'], ['thing-6', 'pending']]);
    for (const id of ['thing-5', 'thing-6']) assert.equal((await env.fleet.agent(id)!.thing.listApps())[0].version, '1.0.0', `${id} still runs 1.0.0`);
    assert.equal((await api.post('/api/rollouts/to-1.1.0/resume')).status, 200);
    const done = await waitForRollout(api, 'to-1.1.0', (r) => r.state !== 'running');
    assert.equal(done.state, 'succeeded');
    assert.deepEqual(done.counts, { pending: 0, sent: 0, succeeded: 6, failed: 0 });
    const things = await api.waitForThings((ts) => ts.every(runsEverything));
    assert.ok(versions(things).every((v) => v.endsWith(':1.1.0')));
  });

  it('refuses a plan whose config does not fit the app version, naming the input', async () => {
    // 1.2.0 needs an input the Template's config lacks: refused before any Thing is touched.
    await deployVersion(api, root, '1.2.0', (j) => {
      j.input.room = { type: 'text', name: 'Room', description: 'Where the door is.', required: true };
      j.guide[1].input_fields = [...j.guide[1].input_fields, 'room'];
    });
    const current = (await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body;
    const r = await api.post('/api/rollouts', { plan: { kind: 'template', templateId: EXAMPLE_TEMPLATE, apps: [{ ...current.apps[0], version: '1.2.0' }] } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'bad_config');
    assert.match(r.body.error.message, /room: .*required input "room".*Fix: add "room"/);
    assert.equal((await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body.apps[0].version, '1.1.0', 'nothing changed');
    assert.equal((await api.get('/api/rollouts')).body.rollouts.length, 1, 'no rollout was made');
  });

  it('stops past its failure threshold and gives the Template its previous apps back', async () => {
    // 1.3.0 fails on every Thing: its top-level code throws when it loads.
    await deployVersion(api, root, '1.3.0', undefined, (script) => `throw new Error('the new firmware is not there');\n${script}`);
    const current = (await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body;
    const plan = { kind: 'template', templateId: EXAMPLE_TEMPLATE, apps: [{ ...current.apps[0], version: '1.3.0' }] };
    const created = await api.post('/api/rollouts', { plan, batchSize: 2, failureThreshold: 1, rolloutId: 'to-1.3.0' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const done = await waitForRollout(api, 'to-1.3.0', (r) => r.state !== 'running');
    assert.equal(done.state, 'failed');
    assert.equal(done.counts.failed, 2);
    assert.equal(done.counts.pending, 4, 'the later batches were never sent');
    assert.match(done.things.find((t: any) => t.status === 'failed').error, /Hall light: version 1.3.0 could not start[\s\S]*the new firmware is not there[\s\S]*runs on/);
    assert.equal((await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body.apps[0].version, '1.1.0');
    const things = await api.waitForThings((ts) => ts.every(runsEverything));
    assert.ok(versions(things).every((v) => v.endsWith(':1.1.0')), versions(things).join(' '));
  });

  it('a bulk rollout changes the chosen Things own apps, batch by batch', async () => {
    const created = await api.post('/api/rollouts', { plan: { kind: 'bulk', action: 'provision', thingIds: ['thing-1', 'thing-2', 'thing-3'], app: { app_id: 1, version: '1.1.0', name: 'Porch light', config: template.apps[0].config } }, batchSize: 1 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const done = await waitForRollout(api, created.body.rolloutId, (r) => r.state !== 'running');
    assert.equal(done.state, 'succeeded');
    const things = await api.waitForThings((ts) => ts.every(runsEverything));
    assert.deepEqual(things.map((t) => t.apps.map((a: any) => a.name).join(',')), ['Porch light', 'Porch light', 'Porch light', '', '', '']);
    const unknown = await api.post('/api/rollouts', { plan: { kind: 'bulk', action: 'remove', thingIds: ['thing-1', 'ghost'], app_id: 1 } });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /ghost/);
  });

  it('when the replica driving a rollout dies, another takes it over and finishes it', async () => {
    const secrets = JSON.parse(readFileSync(path.join(root, 'state', 'secrets.json'), 'utf8'));
    const second = await PlatformService.start({ store: env.store, brokerUrl: env.endpoints.broker, brokerUsername: PLATFORM_USER, brokerPassword: secrets.platformPassword, port: 0, adminToken: env.adminToken, log: () => undefined });
    try {
      // The first replica stops driving without a word (as if killed): its lease is left to expire.
      (env.service.rollouts as any).timer && clearInterval((env.service.rollouts as any).timer);
      await second.rollouts.stop();
      const current = (await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body;
      const plan = { kind: 'template', templateId: EXAMPLE_TEMPLATE, apps: [{ ...current.apps[0], config: { ...current.apps[0].config, timeout: 4 } }] };
      const created = await api.post('/api/rollouts', { plan, batchSize: 2, rolloutId: 'handover' });
      assert.equal(created.status, 201);
      // The first replica drives one step, then "dies".
      await (env.service.rollouts as any).tick();
      const mid = (await api.get('/api/rollouts/handover')).body;
      assert.equal(mid.lease.owner, env.service.rollouts.owner);
      assert.equal(mid.counts.sent, 2);
      await second.rollouts.start();
      const done = await waitForRollout(new PlatformApi(second.url, env.adminToken), 'handover', (r) => r.state !== 'running', 60_000);
      assert.equal(done.state, 'succeeded');
      assert.equal(done.counts.succeeded, 6);
      const things = await api.waitForThings((ts) => ts.every(runsEverything));
      for (const t of things) assert.equal(t.inherited[0].config.timeout, 4);
    } finally {
      await second.close();
    }
  });
});
