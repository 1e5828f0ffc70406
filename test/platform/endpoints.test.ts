/**
 * App endpoints over HTTP through the platform (issue 19): a web-service app's mappings answer at
 * /things/{thing}/apps/{installation}/… on a real local platform, relayed over the broker to the
 * Thing that runs it. Tokens are scoped to one installation; the rate limit answers 429 with the
 * limit headers; a Thing that does not answer is a 504; an endpoint token reaches nothing else.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exec, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { makeBundle } from '../../platform/bundle';
import { TOOL_USER } from '../../platform/broker/access';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { EndpointRate } from '../../platform/service/endpoint-rate';
import { curlLine, endpointUrl } from '../../platform/remote/endpoint-url';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';

const run = promisify(exec);
const hasCurl = () => spawnSync('curl', ['--version']).status === 0;
const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'apps', 'web-switches');

describe('app endpoints over HTTP through the platform', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let api: PlatformApi;
  let installationId: number;
  let token: string;
  let base: string;
  let appDir: string;
  let appId: number;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-endpoints-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 2, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
    api = new PlatformApi(env.endpoints.platform, env.adminToken);
    await api.waitForThings((ts) => ts.length === 2 && ts.every(runsEverything));
    const app = path.join(root, 'web-switches');
    appDir = app;
    cpSync(FIXTURE, app, { recursive: true });
    const appJson = JSON.parse(readFileSync(path.join(app, 'app.json'), 'utf8'));
    writeFileSync(path.join(app, 'app.json'), JSON.stringify({ ...appJson, version: '1.0.0' }, null, 2));
    const deployed = await api.request('POST', '/api/apps', (await makeBundle(app)).bytes);
    assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
    appId = deployed.body.app.appId;
    const added = await api.post('/api/things/thing-1/apps', { app_id: deployed.body.app.appId, name: 'Web switches', config: { switches: ['hall-lamp'] } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    installationId = added.body.installation_id;
    const things = await api.waitForThings((ts) => ts.length === 2 && ts.every(runsEverything));
    const mine = things.find((t) => t.thingId === 'thing-1').apps.find((a: { installation_id: number }) => a.installation_id === installationId);
    assert.deepEqual(mine.status.endpoints, ['GET /switches', 'GET /switches/:id', 'POST /switches/:id/:command', 'PUT /mode', 'DELETE /switches/:id', 'GET /teapot'], 'the Thing reports the app\'s routes');
    const made = await api.post(`/api/things/thing-1/apps/${installationId}/tokens`, {});
    assert.equal(made.status, 201, JSON.stringify(made.body));
    token = made.body.secret;
    base = `${env.endpoints.platform}${made.body.path}`;
  });

  after(async () => {
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const call = (method: string, p: string, options: { body?: unknown; token?: string | null; type?: string } = {}) =>
    fetch(base + p, {
      method,
      headers: { ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? token}` }), ...(options.body !== undefined ? { 'content-type': options.type ?? 'application/json' } : {}) },
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });

  it('the app\'s routes answer as it answers them: JSON, params, query, body, statuses and content types', async () => {
    const list = await call('GET', '/switches');
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), [{ id: 'hall-lamp', name: 'Hall lamp', value: 'off' }]);
    assert.match(list.headers.get('x-ratelimit-limit') ?? '', /^\d+$/, 'the rate headers come through');
    const on = await call('POST', '/switches/hall-lamp/on', { body: { why: 'test' } });
    assert.equal(on.status, 201);
    assert.deepEqual(await on.json(), { id: 'hall-lamp', command: 'on' });
    assert.deepEqual(await (await call('GET', '/switches/hall-lamp?verbose=true')).json(), { id: 'hall-lamp', value: 'on', verbose: true });
    const teapot = await call('GET', '/teapot');
    assert.equal(teapot.status, 418);
    assert.equal(teapot.headers.get('content-type'), 'text/plain');
    assert.equal(await teapot.text(), "I'm a teapot");
    assert.equal((await call('DELETE', '/switches/hall-lamp')).status, 204);
    const missing = await call('GET', '/switches/garage');
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /no switch garage/);
    assert.equal((await call('GET', '/nothing')).status, 404);
    const wrong = await call('PATCH', '/switches');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.equal((await call('POST', '/switches/hall-lamp/on', { body: '{not json' })).status, 400);
  });

  it('needs a token scoped to that installation; the token may come as access_token', async () => {
    const none = await call('GET', '/switches', { token: null });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.equal((await call('GET', '/switches', { token: 'not-a-token-at-all' })).status, 401);
    const query = await fetch(`${base}/switches?access_token=${encodeURIComponent(token)}`);
    assert.equal(query.status, 200);
    // A token for another installation, and an API token without the endpoint's scope.
    const other = await api.post(`/api/things/thing-2/apps/1/tokens`, {});
    const otherInstallation = other.status === 201 ? other.body.secret : undefined;
    if (otherInstallation) assert.equal((await call('GET', '/switches', { token: otherInstallation })).status, 403);
    const reader = await api.post('/api/tokens', { name: 'reader', scopes: ['read'] });
    assert.equal((await call('GET', '/switches', { token: reader.body.secret })).status, 403);
    // An endpoint token reaches nothing else: not the API, not the broker.
    assert.equal((await api.withToken(token).get('/api/things')).status, 403);
    await assert.rejects(mqtt.connectAsync(env.endpoints.broker, { username: TOOL_USER, password: token, reconnectPeriod: 0, connectTimeout: 5000 }), /Not authorized|Bad username or password|connack/i);
    assert.equal((await api.post(`/api/things/thing-1/apps/999/tokens`, {})).status, 404, 'no token for an installation the Thing does not have');
  });

  it('the curl lines the Things view copies call the endpoints (a token with a quote in it stays one word)', async function () {
    if (!hasCurl()) this.skip();
    const get = endpointUrl(env.endpoints.platform, 'thing-1', installationId, 'GET /switches');
    assert.equal(get.url, `${base}/switches`);
    // (asynchronously: the platform answering it runs in this process)
    const listed = (await run(curlLine(get.url, get.method, token), { shell: '/bin/sh', encoding: 'utf8' })).stdout;
    assert.match(listed, /^HTTP\/1\.1 200/);
    assert.match(listed, /"id":"hall-lamp"/);
    const post = endpointUrl(env.endpoints.platform, 'thing-1', installationId, 'POST /switches/:id/:command');
    assert.equal(post.url, `${base}/switches/{id}/{command}`);
    const switched = (await run(curlLine(post.url.replace('{id}', 'hall-lamp').replace('{command}', 'off'), post.method, token), { shell: '/bin/sh', encoding: 'utf8' })).stdout;
    assert.match(switched, /^HTTP\/1\.1 201/);
    assert.equal(curlLine('http://h/x', 'GET', "a'b"), `curl -sS -i -H 'Authorization: Bearer a'\\''b' 'http://h/x'`);
  });

  it('a Thing that does not answer is a 504 within the timeout, and the platform keeps serving', async () => {
    const agent = env.fleet.agent('thing-1')!;
    await agent.stop();
    try {
      const t0 = Date.now();
      const answer = await call('GET', '/switches');
      assert.equal(answer.status, 504);
      assert.match(((await answer.json()) as { error: { message: string } }).error.message, /thing-1 did not answer within 10 s: it may be offline/);
      assert.ok(Date.now() - t0 < 15_000);
      assert.equal((await api.get('/api/health')).status, 200);
    } finally {
      await agent.start();
    }
    assert.equal((await call('GET', '/switches')).status, 200, 'it answers again once the Thing is back');
  });
  it('is rate limited as SmartThings documents: 429 with X-RateLimit-Limit, -Current and -TTL', async () => {
    let answer: Response | undefined;
    for (let i = 0; i < 300; i++) {
      answer = await call('GET', '/switches');
      if (answer.status === 429) break;
      await answer.arrayBuffer();
    }
    assert.equal(answer!.status, 429);
    assert.equal(answer!.headers.get('x-ratelimit-limit'), '250');
    assert.equal(answer!.headers.get('x-ratelimit-current'), '250');
    assert.ok(Number(answer!.headers.get('x-ratelimit-ttl')) > 0);
    // The window is counted per installation: another app's endpoints are not held back by this one.
    const rate = new EndpointRate(2, 1000, () => 0);
    assert.equal(rate.take('a').allowed, true);
    assert.equal(rate.take('a').allowed, true);
    assert.equal(rate.take('a').allowed, false);
    assert.equal(rate.take('b').allowed, true);
  });


  it('a new version that declares other routes: the Thing reports them after its re-spawn', async () => {
    const script = path.join(appDir, 'app.js');
    // Version 1.0.1 declares its routes at the top level, as SmartThings apps declare their mappings
    // section (routes set by installed() would stay as they were: installed() does not run again).
    const routes = "{ 'GET /switches': listSwitches, 'GET /switches/:id': getSwitch, 'POST /switches/:id/:command': commandSwitch, 'PUT /mode': putMode, 'DELETE /switches/:id': deleteSwitch, 'GET /teapot': teapot, 'GET /version': version }";
    writeFileSync(script, `mappings(${routes});\nfunction version() { return { version: '1.0.1' }; }\n` + readFileSync(script, 'utf8').replace(/function installed\(\) \{[\s\S]*?\n\}\n/, ''));
    const appJson = JSON.parse(readFileSync(path.join(appDir, 'app.json'), 'utf8'));
    writeFileSync(path.join(appDir, 'app.json'), JSON.stringify({ ...appJson, version: '1.0.1' }, null, 2));
    assert.equal((await api.request('POST', '/api/apps', (await makeBundle(appDir)).bytes)).status, 201);
    assert.equal((await api.post('/api/bulk', { action: 'update', thingIds: ['thing-1'], app_id: appId })).status, 200);
    const things = await api.waitForThings((ts) => ts.find((t) => t.thingId === 'thing-1')?.apps.some((a: { installation_id: number; version: string; status: { endpoints?: string[] } }) => a.installation_id === installationId && a.version === '1.0.1' && a.status.endpoints?.includes('GET /version')), 30_000);
    assert.ok(things.length > 0);
  });
});
