/**
 * Bad bundles never reach a Thing's apps: each is refused with an error load completion (seed 002)
 * and an error in the Thing's status, and the Thing keeps running what it had, state included.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeBundle } from '../../platform/bundle';
import { topics, type DesiredStateMessage, type LoadCompletionMessage, type StatusMessage } from '../../platform/protocol';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';
import { renameEntry, zeroBomb, zipOf } from './bundle-zips';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('agent: bad bundles change nothing', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let server: Server;
  let base: string;
  const served = new Map<string, { status: number; bytes?: Buffer; location?: string }>();
  const hits = new Map<string, number>();
  let current: DesiredStateMessage;
  let revision = 1000;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-faults-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
    await new PlatformApi(env.endpoints.platform, env.adminToken).waitForThings((ts) => ts.length === 1 && ts.every(runsEverything));
    server = createServer((req, res) => {
      hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
      const s = served.get(req.url ?? '');
      if (!s) return res.writeHead(404).end();
      res.writeHead(s.status, s.location ? { location: s.location } : { 'content-type': 'application/zip' }).end(s.bytes);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The Thing's retained desired state, as the platform published it.
    current = await new Promise<DesiredStateMessage>((resolve) => {
      env.service.mqtt.on('message', (t, p) => t === topics.desired('thing-1') && p.length && resolve(JSON.parse(p.toString())));
      void env.service.mqtt.subscribeAsync(topics.desired('thing-1'));
    });
    await env.service.mqtt.unsubscribeAsync(topics.desired('thing-1'));
  });

  after(async () => {
    server?.close();
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Offers the Thing its current apps plus one whose bundle is `bytes` at /bad/NAME; returns its completion and status. */
  async function offer(name: string, bytes: Buffer | undefined, options: { checksum?: string; status?: number; location?: string } = {}) {
    served.set(`/bad/${name}`, { status: options.status ?? 200, bytes, location: options.location });
    const agent = env.fleet.agent('thing-1')!;
    const appsBefore = await agent.thing.listApps();
    const good = current.apps[0];
    const extra = { ...good, installation_id: 77, name: `bad ${name}`, load: { ...good.load, url: `${base}/bad/${name}`, checksum: options.checksum ?? sha256(bytes ?? Buffer.alloc(0)) } };
    const mq = env.service.mqtt;
    await mq.subscribeAsync([topics.loadResponse('thing-1'), topics.status('thing-1')]);
    const seen: { completion?: LoadCompletionMessage; status?: StatusMessage } = {};
    const done = new Promise<void>((resolve) => {
      const on = (t: string, p: Buffer, packet: { retain?: boolean }) => {
        if (packet.retain) return; // a status retained from the case before
        const body = JSON.parse(p.toString());
        if (t === topics.loadResponse('thing-1') && body.url === extra.load.url) seen.completion = body;
        if (t === topics.status('thing-1') && body.error?.code && body.syncing === undefined) seen.status = body;
        if (seen.completion && seen.status) {
          mq.off('message', on);
          resolve();
        }
      };
      mq.on('message', on);
    });
    const desired: DesiredStateMessage = { ...current, revision: ++revision, apps: [...current.apps, extra] };
    await mq.publishAsync(topics.desired('thing-1'), JSON.stringify(desired), { qos: 1, retain: true });
    await done;
    await mq.unsubscribeAsync([topics.loadResponse('thing-1'), topics.status('thing-1')]);
    const appsAfter = await agent.thing.listApps();
    assert.deepEqual(appsAfter.map((a) => [a.id, a.version, a.state]), appsBefore.map((a) => [a.id, a.version, a.state]), 'the Thing kept running what it had');
    assert.equal(seen.status!.revision, agent.revision);
    assert.equal(seen.status!.retrying, undefined, 'a refused bundle is not tried again, and the status does not say it is');
    assert.ok(seen.status!.revision < desired.revision);
    return { completion: seen.completion!, status: seen.status! };
  }

  async function appJsonText(): Promise<string> {
    return readFileSync(path.join(exampleAppDir(), 'app.json'), 'utf8');
  }

  it('a wrong checksum', async () => {
    const good = await makeBundle(exampleAppDir());
    const { completion, status } = await offer('checksum', good.bytes, { checksum: 'ab'.repeat(32) });
    assert.equal(completion.error?.code, 'checksum');
    assert.equal(completion.method, 'setup');
    assert.match(completion.error!.message, /SHA256 [0-9a-f]{64}, not the load action's checksum abab/);
    assert.equal(status.error?.code, 'checksum');
    assert.match(status.error!.message, /keeps running revision/);
  });

  it('a zip path that escapes its folder', async () => {
    const zip = renameEntry(await zipOf([{ name: 'app.json', data: await appJsonText() }, { name: 'app.js', data: 'function installed() {}' }, { name: 'zz/app.js', data: 'x' }]), 'zz/app.js', '../app.js');
    const { completion } = await offer('escape', zip);
    assert.equal(completion.error?.code, 'unsafe-path');
    assert.match(completion.error!.message, /\.\.\/app\.js/);
  });

  it('a link inside the zip', async () => {
    const zip = await zipOf([{ name: 'app.json', data: await appJsonText() }, { name: 'app.js', data: '/etc/passwd', mode: 0o120777 }]);
    const { completion } = await offer('link', zip);
    assert.equal(completion.error?.code, 'link');
  });

  it('a zip bomb over the size limit', async () => {
    const zip = await zeroBomb([{ name: 'app.json', data: await appJsonText() }], 'app.js', 64);
    assert.ok(zip.length < 1024 * 1024);
    const { completion } = await offer('bomb', zip);
    assert.equal(completion.error?.code, 'too-large');
  });

  it('a bundle with no app.js', async () => {
    const { completion } = await offer('no-app', await zipOf([{ name: 'app.json', data: await appJsonText() }]));
    assert.equal(completion.error?.code, 'no-app');
    assert.match(completion.error!.message, /app\.js/);
  });

  it('a redirect instead of the bundle itself (seed 002)', async () => {
    const { completion } = await offer('redirect', undefined, { status: 302, location: `${base}/elsewhere`, checksum: 'cd'.repeat(32) });
    assert.equal(completion.error?.code, 'redirect');
  });

  it('a download that fails on the way (HTTP 503) is tried again by the agent itself, with no new desired state, until the Thing runs the app', async () => {
    const good = await makeBundle(exampleAppDir());
    served.set('/flaky/app', { status: 503, bytes: Buffer.from('busy') });
    const agent = env.fleet.agent('thing-1')!;
    const extra = { ...current.apps[0], installation_id: 78, name: 'flaky download', load: { ...current.apps[0].load, url: `${base}/flaky/app`, checksum: good.sha256 } };
    const mq = env.service.mqtt;
    await mq.subscribeAsync(topics.status('thing-1'));
    const failed = new Promise<StatusMessage>((resolve) => {
      const on = (t: string, p: Buffer, packet: { retain?: boolean }) => {
        const body = JSON.parse(p.toString()) as StatusMessage;
        if (t !== topics.status('thing-1') || packet.retain || body.error?.code !== 'fetch') return;
        mq.off('message', on);
        resolve(body);
      };
      mq.on('message', on);
    });
    const desired: DesiredStateMessage = { ...current, revision: ++revision, apps: [...current.apps, extra] };
    await mq.publishAsync(topics.desired('thing-1'), JSON.stringify(desired), { qos: 1, retain: true });
    const status = await failed;
    await mq.unsubscribeAsync(topics.status('thing-1'));
    assert.match(status.error!.message, /HTTP 503 busy; the Thing keeps running revision \d+; it tries again in about 2 s/);
    assert.equal(status.retrying, true, 'the status says the agent tries again (a rollout waits for it)');
    // The platform keeps that with the error: what its rollouts judge the Thing by.
    let kept = await env.store.getThingState('thing-1');
    for (const until = Date.now() + 5000; kept?.syncError?.code !== 'fetch' && Date.now() < until; kept = await env.store.getThingState('thing-1')) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(kept?.syncError, { code: 'fetch', message: status.error!.message, retrying: true });
    const triesOfTheFirstSync = hits.get('/flaky/app')!;
    // The platform serves it again: the agent's next try (about 2 s later) gets it.
    served.set('/flaky/app', { status: 200, bytes: good.bytes });
    const until = Date.now() + 15_000;
    while (agent.revision !== revision && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(agent.revision, revision, 'the Thing reached the desired state by itself');
    assert.ok(hits.get('/flaky/app')! > triesOfTheFirstSync);
    assert.equal((await agent.thing.listApps()).length, 2);
  });

  it('after all of them the platform\'s own desired state still syncs', async () => {
    const agent = env.fleet.agent('thing-1')!;
    const healthy: DesiredStateMessage = { ...current, revision: ++revision };
    await env.service.mqtt.publishAsync(topics.desired('thing-1'), JSON.stringify(healthy), { qos: 1, retain: true });
    const until = Date.now() + 10_000;
    while (agent.revision !== revision && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(agent.revision, revision);
    assert.equal((await agent.thing.listApps()).length, 1);
  });
});
