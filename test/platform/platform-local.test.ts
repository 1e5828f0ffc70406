/**
 * The platform on one machine, as `smartplug up` runs it: embedded broker, platform service on the
 * embedded store, a fleet of simulated Things in real worker processes, all over real MQTT and HTTP.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeBundle } from '../../platform/bundle';
import { exampleAppDir } from '../../platform/up/example-app';
import { EXAMPLE_TEMPLATE, LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';

const EXAMPLE = exampleAppDir();

/** A copy of the example app with another version (and optionally another script). */
function exampleVersion(root: string, version: string, edit?: (script: string) => string): string {
  const dir = path.join(root, `door-light-${version}`);
  cpSync(EXAMPLE, dir, { recursive: true });
  const appJson = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8'));
  appJson.version = version;
  writeFileSync(path.join(dir, 'app.json'), JSON.stringify(appJson, null, 2));
  if (edit) writeFileSync(path.join(dir, 'app.js'), edit(readFileSync(path.join(dir, 'app.js'), 'utf8')));
  return dir;
}

describe('platform on one machine (smartplug up)', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let api: PlatformApi;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-up-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 3, activityMs: 0, exampleApp: EXAMPLE, log: () => undefined });
    api = new PlatformApi(env.endpoints.platform, env.adminToken);
  });

  after(async () => {
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('deploys the example app on first start and every Thing of the Template runs it', async () => {
    const apps = await api.get('/api/apps');
    assert.equal(apps.status, 200);
    assert.deepEqual(apps.body.apps.map((a: any) => [a.name, a.versions.map((v: any) => v.version)]), [['Door light', ['1.0.0']]]);
    const things = await api.waitForThings((ts) => ts.length === 3 && ts.every(runsEverything));
    for (const t of things) {
      assert.equal(t.connected, true);
      assert.deepEqual(t.apps, []);
      assert.equal(t.inherited.length, 1);
      assert.deepEqual(t.inherited[0].source, { kind: 'template', templateId: EXAMPLE_TEMPLATE });
      assert.equal(t.inherited[0].name, 'Hall light');
    }
    // The app really runs in the Thing's worker: a door opening switches its light on.
    const agent = env.fleet.agent('thing-1')!;
    await agent.thing.deviceEvent('front-door', 'contact', 'open');
    const lamp = (await agent.thing.devicesNow()).find((d) => d.id === 'hall-lamp')!;
    assert.equal(lamp.attributes.level, 80);
  });

  it('refuses to remove an inherited app from a Thing, saying to remove it from the Template', async () => {
    const r = await api.delete('/api/things/thing-1/apps/1');
    assert.equal(r.status, 409);
    assert.match(r.body.error.message, /Template/);
  });

  it('a new version on the Template reaches every Thing, each app keeping its state', async () => {
    const agent = env.fleet.agent('thing-2')!;
    await agent.thing.deviceEvent('front-door', 'contact', 'open');
    const before = (await agent.thing.listApps())[0];
    assert.equal((before.state as any).opens, 1);
    const v2 = await makeBundle(exampleVersion(root, '1.1.0', (s) => s.replace("log.info('timeout: light off');", "log.info('v1.1 timeout: light off');")));
    const deployed = await api.request('POST', '/api/apps', v2.bytes);
    assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
    assert.equal(deployed.body.version.sha256, v2.sha256);
    const template = await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`);
    const apps = template.body.apps.map((a: any) => ({ ...a, version: '1.1.0' }));
    const saved = await api.put(`/api/templates/${EXAMPLE_TEMPLATE}`, { name: 'Home', apps });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.things.sort(), ['thing-1', 'thing-2', 'thing-3']);
    const things = await api.waitForThings((ts) => ts.every((t) => runsEverything(t) && t.inherited[0].version === '1.1.0'));
    assert.equal(things.length, 3);
    const after = (await agent.thing.listApps())[0];
    assert.equal(after.version, '1.1.0');
    assert.equal((after.state as any).opens, 1, 'the state survived the re-spawn');
    assert.equal(after.id, before.id);
  });

  it('a Thing gets its own app beside the inherited one, and bulk actions reach only the chosen Things', async () => {
    const appId = (await api.get('/api/apps')).body.apps[0].appId;
    // What the new app logs in installed() reaches the Thing's event channel, named by its instance.
    await env.service.mqtt.subscribeAsync('glp/0/thing-3/ev/info');
    const logged = new Promise<any>((resolve) => env.service.mqtt.on('message', (t, p) => t === 'glp/0/thing-3/ev/info' && resolve(JSON.parse(p.toString()))));
    const own = await api.post('/api/things/thing-3/apps', { app_id: appId, version: '1.0.0', name: 'Porch light', config: JSON.parse(readFileSync(path.join(EXAMPLE, 'instance.json'), 'utf8')).config });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    let things = await api.waitForThings((ts) => ts.find((t) => t.thingId === 'thing-3')?.apps.length === 1 && ts.every(runsEverything));
    assert.equal((await env.fleet.agent('thing-3')!.thing.listApps()).length, 2);
    const event = await logged;
    assert.deepEqual([event.cat, event.source], ['info', 'app:Porch light']);
    assert.match(event.message, /^watching the door/);
    await env.service.mqtt.unsubscribeAsync('glp/0/thing-3/ev/info');
    // Update to the latest version, on thing-3 only.
    const bulk = await api.post('/api/bulk', { action: 'update', thingIds: ['thing-3'], app_id: appId });
    assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
    things = await api.waitForThings((ts) => ts.find((t) => t.thingId === 'thing-3')?.apps[0]?.version === '1.1.0' && ts.every(runsEverything));
    assert.deepEqual(things.map((t) => t.apps.length), [0, 0, 1]);
    const removed = await api.post('/api/bulk', { action: 'remove', thingIds: ['thing-3'], app_id: appId });
    assert.equal(removed.status, 200);
    await api.waitForThings((ts) => ts.find((t) => t.thingId === 'thing-3')?.apps.length === 0 && ts.every(runsEverything));
    assert.equal((await env.fleet.agent('thing-3')!.thing.listApps()).length, 1, 'the inherited app stayed');
    const unknown = await api.post('/api/bulk', { action: 'remove', thingIds: ['thing-3', 'nope'], app_id: appId });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /nope.*nothing was changed/);
  });

  it('a Thing that was offline converges when it connects again', async () => {
    const agent = env.fleet.agent('thing-1')!;
    await agent.stop();
    await api.waitForThings((ts) => ts.find((t) => t.thingId === 'thing-1')?.connected === false);
    const template = await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`);
    const saved = await api.put(`/api/templates/${EXAMPLE_TEMPLATE}`, { name: 'Home', apps: template.body.apps.map((a: any) => ({ ...a, config: { ...a.config, timeout: 3 } })) });
    assert.equal(saved.status, 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await api.get('/api/things/thing-1')).body.inSync, false, 'offline, it cannot have synced');
    await agent.start();
    const things = await api.waitForThings((ts) => ts.every((t) => runsEverything(t) && t.connected));
    assert.ok(things.every((t) => t.reachedRevision === t.desiredRevision));
    assert.equal((await agent.thing.listApps())[0].config.timeout, 3);
  });

  it('a replayed desired state changes nothing', async () => {
    const agent = env.fleet.agent('thing-2')!;
    let respawns = 0;
    agent.thing.on('worker', () => respawns++);
    const revision = agent.revision;
    const retained = await new Promise<Buffer>((resolve) => {
      env.service.mqtt.subscribe('glp/0/thing-2/rq/=agent/desired');
      env.service.mqtt.once('message', (_t, p) => resolve(p));
    });
    env.service.mqtt.unsubscribe('glp/0/thing-2/rq/=agent/desired');
    for (let i = 0; i < 3; i++) await env.service.mqtt.publishAsync('glp/0/thing-2/rq/=agent/desired', retained, { qos: 1, retain: true });
    await new Promise((r) => setTimeout(r, 300));
    await agent.idle();
    assert.equal(agent.revision, revision);
    assert.equal(respawns, 0);
  });

  it("keeps its state across a restart: no second deploy, the same Things and credentials, each app's state", async () => {
    const dir = path.join(root, 'state');
    const credentials = JSON.parse(readFileSync(path.join(dir, 'fleet-credentials.json'), 'utf8'));
    const token = env.adminToken;
    // Each app's state when stopped: the door of thing-1 opened twice more.
    const door = env.fleet.agent('thing-1')!.thing;
    for (const value of ['closed', 'open', 'closed', 'open']) await door.deviceEvent('front-door', 'contact', value);
    const statesNow = async () => Object.fromEntries(await Promise.all(['thing-1', 'thing-2', 'thing-3'].map(async (id) => [id, (await env.fleet.agent(id)!.thing.listApps()).map((a) => [a.label, a.state])])));
    const kept = await statesNow();
    assert.ok((kept['thing-1'][0][1] as { opens: number }).opens >= 3, JSON.stringify(kept));
    await env.close();
    // Kept beside the credentials, owner-only.
    assert.equal(statSync(path.join(dir, 'fleet-state')).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, 'fleet-state', 'thing-1.json')).mode & 0o777, 0o600);
    env = await LocalEnvironment.start({ dir, things: 4, activityMs: 0, exampleApp: EXAMPLE, log: () => undefined });
    api = new PlatformApi(env.endpoints.platform, env.adminToken);
    const apps = (await api.get('/api/apps')).body.apps;
    assert.equal(apps.length, 1);
    assert.deepEqual(apps[0].versions.map((v: any) => v.version), ['1.0.0', '1.1.0']);
    const things = await api.waitForThings((ts) => ts.length === 4 && ts.every(runsEverything));
    assert.equal(things.find((t) => t.thingId === 'thing-4').inherited[0].version, '1.1.0', 'a Thing enrolled later inherits the Template');
    assert.equal(env.adminToken, token);
    const after = JSON.parse(readFileSync(path.join(dir, 'fleet-credentials.json'), 'utf8'));
    assert.deepEqual(Object.keys(after).sort(), ['thing-1', 'thing-2', 'thing-3', 'thing-4']);
    for (const id of ['thing-1', 'thing-2', 'thing-3']) assert.deepEqual(after[id], credentials[id], `${id} kept its credentials`);
    // Each app came back with its state (a fresh install would start from an empty one); the new Thing's starts anew.
    assert.deepEqual(await statesNow(), kept);
    assert.equal(((await env.fleet.agent('thing-4')!.thing.listApps())[0].state as { opens?: number }).opens, undefined);
    // And goes on from there.
    await door.deviceEvent('front-door', 'contact', 'closed').catch(() => undefined);
    const again = env.fleet.agent('thing-1')!.thing;
    for (const value of ['closed', 'open']) await again.deviceEvent('front-door', 'contact', value);
    assert.equal(((await again.listApps())[0].state as { opens: number }).opens, (kept['thing-1'][0][1] as { opens: number }).opens + 1);
  });
  it('of two apps upgraded in one sync, the one whose new version cannot start goes back; the other runs its new version', async () => {
    // A second app, Porch light, on the Template beside Hall light.
    const porch = path.join(root, 'porch');
    cpSync(EXAMPLE, porch, { recursive: true });
    const j = JSON.parse(readFileSync(path.join(porch, 'app.json'), 'utf8'));
    j.name = 'Porch light';
    j.version = '1.0.0';
    writeFileSync(path.join(porch, 'app.json'), JSON.stringify(j));
    const first = await api.request('POST', '/api/apps', (await makeBundle(porch)).bytes);
    assert.equal(first.status, 201);
    const porchId = first.body.app.appId;
    const config = JSON.parse(readFileSync(path.join(EXAMPLE, 'instance.json'), 'utf8')).config;
    const hall = (await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body.apps[0];
    const withPorch = await api.put(`/api/templates/${EXAMPLE_TEMPLATE}`, { name: 'Home', apps: [hall, { app_id: porchId, version: '1.0.0', config, name: 'Porch' }] });
    assert.equal(withPorch.status, 200, JSON.stringify(withPorch.body));
    await api.waitForThings((ts) => ts.every((t) => runsEverything(t) && t.inherited.length === 2));
    // New versions of both in one save: Porch light 2.0.0 throws as it loads, Door light 1.2.0 is fine.
    j.version = '2.0.0';
    writeFileSync(path.join(porch, 'app.json'), JSON.stringify(j));
    writeFileSync(path.join(porch, 'app.js'), `throw new Error('porch 2.0.0 is broken');\n` + readFileSync(path.join(EXAMPLE, 'app.js'), 'utf8'));
    assert.equal((await api.request('POST', '/api/apps', (await makeBundle(porch)).bytes)).status, 201);
    assert.equal((await api.request('POST', '/api/apps', (await makeBundle(exampleVersion(root, '1.2.0'))).bytes)).status, 201);
    const both = (await api.get(`/api/templates/${EXAMPLE_TEMPLATE}`)).body.apps;
    const saved = await api.put(`/api/templates/${EXAMPLE_TEMPLATE}`, { name: 'Home', apps: both.map((a: any) => ({ ...a, version: a.app_id === porchId ? '2.0.0' : '1.2.0' })) });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const things = await api.waitForThings((ts) => ts.every((t) => t.inSync && t.inherited.some((a: any) => a.status.state === 'failed')));
    for (const t of things) {
      const byName = Object.fromEntries(t.inherited.map((a: any) => [a.name, a.status]));
      assert.equal(byName['Hall light'].state, 'running');
      assert.match(byName.Porch.error, /^version 2\.0\.0 could not start \([\s\S]*porch 2\.0\.0 is broken[\s\S]*\); version 1\.0\.0 runs on$/);
    }
    const running = await env.fleet.agent('thing-2')!.thing.listApps();
    assert.deepEqual(running.map((a) => [a.name, a.version]).sort(), [['Door light', '1.2.0'], ['Porch light', '1.0.0']]);
  });
});
