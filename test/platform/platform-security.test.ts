/**
 * The platform's interfaces authenticate their callers: the HTTP API (tokens and scopes), bundle
 * downloads (the Thing's own credential, its own bundles only) and the embedded broker (each Thing
 * reads only its own requests and writes only its own feedback). Each attack is tried for real.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { PLATFORM_USER, TOOL_USER } from '../../platform/broker/access';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const closeOf = (c: MqttClient) => new Promise<void>((r) => c.once('close', () => r()));

/** The SUBACK code of each filter, subscribed one by one (mqtt.js rejects a refused one: code 128). */
async function subackCodes(client: MqttClient, filters: string[]): Promise<number[]> {
  const codes: number[] = [];
  for (const f of filters) codes.push(await client.subscribeAsync(f).then((g) => g[0].qos, (e: { packet?: { granted?: number[] } }) => e.packet?.granted?.[0] ?? -1));
  return codes;
}

describe('platform security', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let api: PlatformApi;
  let anonymous: PlatformApi;
  const logs: string[] = [];
  let creds: Record<string, { secret: string; shell: string }>;
  const clients: MqttClient[] = [];

  async function connect(username: string, password: string, clientId = username): Promise<MqttClient> {
    const c = await mqtt.connectAsync(env.endpoints.broker, { username, password, clientId, reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(c);
    return c;
  }

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-sec-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 2, activityMs: 0, exampleApp: exampleAppDir(), log: (l) => logs.push(l) });
    api = new PlatformApi(env.endpoints.platform, env.adminToken);
    anonymous = new PlatformApi(env.endpoints.platform);
    await api.waitForThings((ts) => ts.length === 2 && ts.every(runsEverything));
    creds = JSON.parse(readFileSync(path.join(root, 'state', 'fleet-credentials.json'), 'utf8'));
  });

  after(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('HTTP API', () => {
    it('answers malformed requests with 4xx errors that say what is wrong, and changes nothing', async () => {
      const before = (await api.get('/api/things')).body.things.length;
      const notJson = await api.request('POST', '/api/things', undefined, { 'content-type': 'application/json' });
      assert.equal(notJson.status, 400);
      assert.match(notJson.body.error.message, /not JSON/);
      const raw = await fetch(`${env.endpoints.platform}/api/things`, { method: 'POST', headers: { authorization: `Bearer ${env.adminToken}`, 'content-type': 'application/json' }, body: '{"thingId": ' });
      assert.equal(raw.status, 400);
      const badId = await api.post('/api/things', { thingId: '../etc', model: 'home' });
      assert.equal(badId.status, 400);
      assert.match(badId.body.error.message, /is not a Thing id: use letters, digits/);
      const badInstance = await api.post('/api/things/thing-1/apps', { app_id: 'one', version: 7 });
      assert.equal(badInstance.status, 400);
      assert.match(badInstance.body.error.message, /"app_id" must be the app's id/);
      const notZip = await api.request('POST', '/api/apps', Buffer.from('this is not a zip'));
      assert.equal(notZip.status, 400);
      assert.equal(notZip.body.error.code, 'bad_bundle');
      const wrongType = await api.request('POST', '/api/apps', Buffer.from('PK'), { 'content-type': 'text/plain' });
      assert.equal(wrongType.status, 415);
      const tooBig = await api.request('POST', '/api/apps', Buffer.alloc(9 * 1024 * 1024));
      assert.equal(tooBig.status, 413);
      assert.equal((await api.request('PATCH', '/api/things')).status, 405);
      assert.equal((await api.get('/api/nothing-here')).status, 404);
      assert.equal((await api.get('/api/things')).body.things.length, before, 'nothing was enrolled');
      assert.equal((await api.get('/api/apps')).body.apps.length, 1, 'nothing was deployed');
    });

    it('refuses a call without a token, or with an unknown one', async () => {
      const none = await anonymous.get('/api/things');
      assert.equal(none.status, 401);
      assert.match(none.body.error.message, /Authorization: Bearer/);
      const wrong = await anonymous.withToken('spt_not-a-real-token-at-all').get('/api/apps');
      assert.equal(wrong.status, 401);
      assert.equal((await anonymous.get('/api/health')).status, 200, 'health needs no token and says nothing secret');
    });

    it('holds tokens to their scopes, and a revoked token stops working at once', async () => {
      const made = await api.post('/api/tokens', { name: 'viewer', scopes: ['read'] });
      assert.equal(made.status, 201);
      const viewer = anonymous.withToken(made.body.secret);
      assert.equal((await viewer.get('/api/things')).status, 200);
      const deploy = await viewer.request('POST', '/api/apps', Buffer.from('PK'));
      assert.equal(deploy.status, 403);
      assert.match(deploy.body.error.message, /lacks the "deploy" scope/);
      assert.equal((await viewer.post('/api/tokens', { name: 'x' })).status, 403, 'a read token cannot make tokens');
      assert.equal((await api.delete(`/api/tokens/${made.body.token.tokenId}`)).status, 204);
      assert.equal((await viewer.get('/api/things')).status, 401);
    });

    it('serves a bundle only to a Thing provisioned with it, authenticated with its own credential', async () => {
      const url = `${env.endpoints.platform}/bundles/1/1.0.0`;
      const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
      const none = await fetch(url);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Basic/);
      assert.equal((await fetch(url, { headers: basic('thing-1', creds['thing-2'].secret) })).status, 401, "another Thing's password");
      assert.equal((await fetch(url, { headers: basic('thing-1', creds['thing-1'].shell) })).status, 401, 'the shell credential is not the download credential');
      const ok = await fetch(url, { headers: basic('thing-1', creds['thing-1'].secret) });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('content-type'), 'application/zip');
      // A Thing enrolled without the app may not fetch it.
      const lone = await api.post('/api/things', { thingId: 'lonely', model: 'home' });
      assert.equal(lone.status, 201);
      const refused = await fetch(url, { headers: basic('lonely', lone.body.secrets.broker) });
      assert.equal(refused.status, 403);
      assert.match(((await refused.json()) as any).error.message, /not provisioned with app 1/);
    });
  });

  describe('broker', () => {
    it('refuses a wrong password, and a Thing using another client id', async () => {
      await assert.rejects(connect('thing-1', 'wrong'), /Bad username or password|Not authorized|bad user/i);
      await assert.rejects(connect('thing-1', creds['thing-1'].secret, 'thing-2'), /Bad username or password|Not authorized|bad user/i);
      await assert.rejects(connect(PLATFORM_USER, creds['thing-1'].secret, 'x'), /Bad username or password|Not authorized|bad user/i);
    });

    it("a Thing cannot read another Thing's desired state", async () => {
      // thing-2's own agent holds its client id; the attacker is an enrolled Thing of its own.
      const lone = await api.post('/api/things', { thingId: 'mallory', model: 'home' });
      const mallory = await connect('mallory', lone.body.secrets.broker);
      const granted = await subackCodes(mallory, ['glp/0/thing-2/rq/=agent/desired', 'glp/0/+/rq/#', '#', '$SYS/#', 'glp/0/mallory/rq/#']);
      assert.deepEqual(granted, [128, 128, 128, 128, 0]);
      let received = '';
      mallory.on('message', (topic) => (received += topic + ' '));
      await wait(300);
      assert.doesNotMatch(received, /thing-2/);
    });

    it("a Thing cannot forge another Thing's feedback, nor its own desired state", async () => {
      const lone = await api.post('/api/things', { thingId: 'eve', model: 'home' });
      const before = (await api.get('/api/things/thing-2')).body;
      const eve = await connect('eve', lone.body.secrets.broker);
      const closed = closeOf(eve);
      eve.publish('glp/0/thing-2/fb/=agent/connection', JSON.stringify({ connected: false, mru: '2026-01-01 00:00:00.000 UTC' }), { qos: 0 });
      await closed; // aedes drops a client that publishes where it may not
      await wait(200);
      assert.equal((await api.get('/api/things/thing-2')).body.connected, before.connected);
      const eve2 = await connect('eve', lone.body.secrets.broker);
      const closed2 = closeOf(eve2);
      eve2.publish('glp/0/eve/rq/=agent/desired', JSON.stringify({ revision: 99, apps: [], mru: '2026-01-01 00:00:00.000 UTC' }), { qos: 0 });
      await closed2;
    });

    it('refuses a malformed report with an error event on the Thing\'s own channel, and stores nothing of it', async () => {
      const lone = await api.post('/api/things', { thingId: 'sloppy', model: 'home' });
      const sloppy = await connect('sloppy', lone.body.secrets.broker);
      await sloppy.subscribeAsync('glp/0/sloppy/rq/#');
      const watcher = await connect(TOOL_USER, env.adminToken, 'watcher');
      await watcher.subscribeAsync('glp/0/sloppy/ev/error');
      const event = new Promise<any>((resolve) => watcher.once('message', (_t, p) => resolve(JSON.parse(p.toString()))));
      sloppy.publish('glp/0/sloppy/fb/=agent/status', JSON.stringify({ revision: 'seven', apps: {}, mru: 'now' }), { qos: 1 });
      const e = await event;
      assert.equal(e.cat, 'error');
      assert.equal(e.code, 'malformed');
      assert.match(e.message, /glp\/0\/sloppy\/fb\/=agent\/status: at \/revision must be integer; see schemas\/platform\/status.schema.json/);
      await wait(100);
      assert.equal((await api.get('/api/things/sloppy')).body.reachedRevision, 0);
      // A sync error said to be retried must say so as a boolean: a rollout waits on it.
      const second = new Promise<any>((resolve) => watcher.once('message', (_t, p) => resolve(JSON.parse(p.toString()))));
      sloppy.publish('glp/0/sloppy/fb/=agent/status', JSON.stringify({ revision: 3, apps: {}, mru: '2026-01-01 00:00:00.000 UTC', retrying: 'yes' }), { qos: 1 });
      assert.match((await second).message, /glp\/0\/sloppy\/fb\/=agent\/status: at \/retrying must be boolean; see schemas\/platform\/status.schema.json/);
      await wait(100);
      assert.equal((await api.get('/api/things/sloppy')).body.reachedRevision, 0);
    });

    it('a tool with an API token reads feedback and may publish only JS Shell requests', async () => {
      const tool = await connect(TOOL_USER, env.adminToken, 'ide-1');
      const granted = await subackCodes(tool, ['glp/0/+/fb/#', 'glp/0/thing-1/rq/#', 'glp/0/+/ev/=shell/#']);
      assert.deepEqual(granted, [0, 128, 0]);
      const status = await new Promise<string>((resolve) => tool.on('message', (t) => t.endsWith('=agent/status') && resolve(t)));
      assert.match(status, /^glp\/0\/thing-\d\/fb\/=agent\/status$/);
      // A shell request is let through (the Thing answers only its shell credential: test/platform/shell.test.ts).
      await tool.publishAsync('glp/0/thing-1/rq/=shell/do', JSON.stringify({ action: 'apps', respond: 'glp/0/thing-1/ev/=shell/ide-1/1', auth: 'wrong' }), { qos: 1 });
      assert.equal(tool.connected, true);
      const closed = closeOf(tool);
      tool.publish('glp/0/thing-1/rq/=agent/desired', '{}', { qos: 0 });
      await closed;
    });
  });

  describe('after all of that', () => {
    it('wrote no credential to its log or outside its folder', async () => {
      const secrets = [env.adminToken, ...Object.values(creds).flatMap((c) => [c.secret, c.shell])];
      const text = logs.join('\n');
      for (const s of secrets) assert.ok(!text.includes(s), 'a secret reached the log');
      const files = readdirSync(root);
      assert.deepEqual(files, ['state'], 'everything the platform keeps is inside --dir');
    });
  });
});
