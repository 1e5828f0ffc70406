/**
 * The IDE's live view of a platform (platform/remote/): read over HTTP, then followed over MQTT with
 * no polling, against `smartplug up`'s real broker, platform and fleet; and "Test Connection"'s
 * diagnosis of each way a connection fails, against real servers that fail that way.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeBundle } from '../../platform/bundle';
import { exampleAppDir } from '../../platform/up/example-app';
import { EXAMPLE_TEMPLATE, LocalEnvironment } from '../../platform/up/local-environment';
import { LivePlatform, type LiveState } from '../../platform/remote/live-platform';
import { PlatformApiError } from '../../platform/remote/platform-api';
import { testConnection } from '../../platform/remote/connection-test';
import { ThingLogs, type ThingLogLine } from '../../platform/remote/thing-logs';
import { devicesOf } from '../../platform/remote/thing-devices';
import { modelDevices } from '../../platform/fleet/models';
import { makeCertificates } from '../support/certificates';
import { freePort } from '../support/free-port';
import { TcpBalancer } from '../support/tcp-balancer';

/** A copy of the example app under another name. */
function copyExampleAs(root: string, name: string): string {
  const dir = path.join(root, name.replace(/\W+/g, '-'));
  cpSync(exampleAppDir(), dir, { recursive: true });
  const appJson = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8'));
  writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ ...appJson, name }, null, 2));
  return dir;
}

/** Resolves when `check` holds, tested after each event of the model (never by polling the platform). */
function until<T>(live: LivePlatform, check: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const events = ['apps', 'things', 'templates', 'rollouts', 'state'] as const;
    const test = () => {
      const value = check();
      if (value) {
        done();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what}; state ${JSON.stringify(live.state)}`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      for (const e of events) live.off(e, test);
    };
    for (const e of events) live.on(e, test);
    test();
  });
}

describe('the live platform (platform/remote)', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let brokerProxy: TcpBalancer;
  let live: LivePlatform;
  const states: LiveState[] = [];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-live-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 3, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
    // The IDE reaches the broker through a proxy the test can cut, as a network or a broker restart would.
    brokerProxy = await TcpBalancer.start();
    brokerProxy.add(env.endpoints.broker.replace('mqtt:', 'http:'));
    live = new LivePlatform({ platformUrl: env.endpoints.platform, brokerUrl: brokerProxy.url.replace('http:', 'mqtt:'), token: env.adminToken, reconnectMs: 200 });
    live.on('state', (s) => states.push(s));
    await live.start();
  });

  after(async () => {
    await live?.close();
    await brokerProxy?.close();
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads the App Store, the Templates and the Things, and follows them to running', async () => {
    assert.deepEqual(live.apps.map((a) => [a.name, a.versions.map((v) => v.version)]), [['Door light', ['1.0.0']]]);
    assert.deepEqual(live.templates.map((t) => t.templateId), [EXAMPLE_TEMPLATE]);
    await until(live, () => live.state.state === 'connected', 'the broker connection');
    const things = await until(live, () => live.things.length === 3 && live.things.every((t) => t.connected && t.inSync && t.inherited.every((a) => a.status.state === 'running')) && live.things, 'three Things running');
    assert.deepEqual(things.map((t) => t.thingId).sort(), ['thing-1', 'thing-2', 'thing-3']);
    assert.deepEqual(live.thingsOf(EXAMPLE_TEMPLATE).length, 3);
    assert.equal(things[0].inherited[0].source.kind, 'template');
  });

  it('a deploy, a provision and a removal reach the model by notices, with no polling', async () => {
    let reads = 0;
    const call = live.api.call.bind(live.api);
    live.api.call = ((...args: Parameters<typeof call>) => {
      reads++;
      return call(...args);
    }) as typeof call;
    try {
      const dir = copyExampleAs(root, 'Porch light');
      const bundle = await makeBundle(dir);
      const deployed = await fetch(`${env.endpoints.platform}/api/apps`, { method: 'POST', headers: { authorization: `Bearer ${env.adminToken}`, 'content-type': 'application/zip' }, body: bundle.bytes });
      assert.equal(deployed.status, 201);
      const porch = await until(live, () => live.apps.find((a) => a.name === 'Porch light'), 'the deployed app');
      const added = await fetch(`${env.endpoints.platform}/api/things/thing-2/apps`, { method: 'POST', headers: { authorization: `Bearer ${env.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ app_id: porch.appId, name: 'Porch', config: live.templates[0].apps[0].config }) });
      assert.equal(added.status, 201);
      const installation = ((await added.json()) as { installation_id: number }).installation_id;
      await until(live, () => live.thing('thing-2')?.apps.find((a) => a.installation_id === installation && a.status.state === 'running'), 'the new app running on thing-2');
      const removed = await fetch(`${env.endpoints.platform}/api/things/thing-2/apps/${installation}`, { method: 'DELETE', headers: { authorization: `Bearer ${env.adminToken}` } });
      assert.equal(removed.status, 204);
      await until(live, () => live.thing('thing-2')?.apps.length === 0, 'the app gone from thing-2');
      // Each change was read once or twice (a notice may come in while a read runs), never in a loop.
      assert.ok(reads <= 8, `the model made ${reads} API calls for three changes`);
    } finally {
      live.api.call = call;
    }
  });

  it('an inherited app cannot be removed, with the seed\'s reason', async () => {
    const thing = live.thing('thing-1')!;
    await assert.rejects(live.api.removeThingApp('thing-1', thing.inherited[0].installation_id), (e: PlatformApiError) => e.status === 409 && /Template/.test(e.message));
  });

  it('follows a staged Template rollout by notices: its batches, each Thing\'s acknowledgement, its end', async () => {
    const dir = copyExampleAs(root, 'Door light');
    const appJson = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8'));
    writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ ...appJson, version: '1.1.0' }, null, 2));
    await live.api.deploy((await makeBundle(dir)).bytes);
    const template = live.templates[0];
    const seen: string[] = [];
    const onRollouts = (ids: string[] | undefined) => {
      const d = ids?.[0] ? live.rollouts.detail(ids[0]) : undefined;
      if (d) seen.push(d.things.map((t) => ({ pending: 'p', sent: 'w', succeeded: 'a', failed: 'f' })[t.status]).join(''));
    };
    live.on('rollouts', onRollouts);
    let reads = 0;
    const call = live.api.call.bind(live.api);
    live.api.call = ((...args: Parameters<typeof call>) => {
      if (String(args[1]).startsWith('/api/rollouts')) reads++;
      return call(...args);
    }) as typeof call;
    try {
      const plan = { kind: 'template' as const, templateId: template.templateId, apps: [{ ...template.apps[0], version: '1.1.0' }] };
      const started = await live.api.startRollout(plan, { batchSize: 1, failureThreshold: 0 });
      await live.rollouts.watch(started.rolloutId);
      const done = await until(live, () => {
        const d = live.rollouts.detail(started.rolloutId);
        return d && d.state !== 'running' && d;
      }, 'the rollout to end', 30_000);
      assert.equal(done.state, 'succeeded');
      assert.deepEqual(done.things.map((t) => [t.thingId, t.batch, t.status]), [['thing-1', 0, 'succeeded'], ['thing-2', 1, 'succeeded'], ['thing-3', 2, 'succeeded']]);
      assert.equal(live.rollouts.all[0].rolloutId, started.rolloutId, 'newest first');
      // Batch by batch (p pending, w sent and waiting, a acknowledged): a later Thing was seen pending
      // while an earlier one had gone, and each step was read on a notice, not by polling.
      assert.ok(seen.some((x) => /^[aw]+p/.test(x)), `steps seen: ${seen.join(' ')}`);
      assert.equal(seen.at(-1), 'aaa');
      assert.ok(reads < 40, `the model made ${reads} rollout reads for one rollout of 3 batches`);
    } finally {
      live.api.call = call;
      live.off('rollouts', onRollouts);
    }
  });

  it('shows a rollout that stops past its threshold as failed, with each failed Thing\'s reason', async () => {
    const dir = copyExampleAs(root, 'Door light');
    const appJson = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8'));
    writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ ...appJson, version: '1.2.0' }, null, 2));
    writeFileSync(path.join(dir, 'app.js'), `throw new Error('broken on purpose');\n${readFileSync(path.join(dir, 'app.js'), 'utf8')}`);
    await live.api.deploy((await makeBundle(dir)).bytes);
    await until(live, () => live.templates[0].apps[0].version === '1.1.0', 'the Template at 1.1.0');
    const template = live.templates[0];
    const plan = { kind: 'template' as const, templateId: template.templateId, apps: [{ ...template.apps[0], version: '1.2.0' }] };
    const started = await live.api.startRollout(plan, { batchSize: 1, failureThreshold: 0 });
    const done = await until(live, () => {
      const d = live.rollouts.detail(started.rolloutId);
      return d && d.state !== 'running' && d;
    }, 'the rollout to stop', 30_000);
    assert.equal(done.state, 'failed');
    assert.deepEqual(done.things.map((t) => t.status), ['failed', 'pending', 'pending']);
    assert.match(done.things[0].error!, /broken on purpose/);
    // The Template has its previous apps again, and the model hears of it.
    await until(live, () => live.templates[0].apps[0].version === '1.1.0', 'the Template back at 1.1.0');
  });

  it('says when the broker is lost, keeps what it read, and catches up when it is back', async () => {
    const port = Number(new URL(brokerProxy.url).port);
    await brokerProxy.close();
    await until(live, () => live.state.state === 'degraded' && live.state.part === 'broker', 'the broker reported lost');
    assert.equal(live.things.length, 3, 'the views keep what was read');
    // A change made while the IDE could not hear about it…
    const template = live.templates[0];
    const saved = await fetch(`${env.endpoints.platform}/api/templates/${EXAMPLE_TEMPLATE}`, { method: 'PUT', headers: { authorization: `Bearer ${env.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Home (renamed)', apps: template.apps }) });
    assert.equal(saved.status, 200);
    brokerProxy = await TcpBalancer.start(port);
    brokerProxy.add(env.endpoints.broker.replace('mqtt:', 'http:'));
    // …is read once the broker is back.
    await until(live, () => live.state.state === 'connected' && live.templates[0]?.name === 'Home (renamed)', 'reconnected and caught up');
  });

  it('says when the platform stops answering, and reads everything again once it is back', async () => {
    // The platform's HTTP through a proxy the test cuts; the broker stays.
    const proxy = await TcpBalancer.start();
    proxy.add(env.endpoints.platform);
    const port = Number(new URL(proxy.url).port);
    const viaProxy = new LivePlatform({ platformUrl: proxy.url, brokerUrl: env.endpoints.broker, token: env.adminToken });
    let restored: TcpBalancer | undefined;
    try {
      await viaProxy.start();
      await until(viaProxy, () => viaProxy.state.state === 'connected', 'connected');
      await proxy.close();
      // A change the platform announces can no longer be read.
      const saved = await fetch(`${env.endpoints.platform}/api/templates/${EXAMPLE_TEMPLATE}`, { method: 'PUT', headers: { authorization: `Bearer ${env.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Home (platform away)', apps: live.templates[0].apps }) });
      assert.equal(saved.status, 200);
      await until(viaProxy, () => viaProxy.state.state === 'degraded' && viaProxy.state.part === 'platform' && /refused/.test(viaProxy.state.message), 'the platform reported unreachable');
      restored = await TcpBalancer.start(port);
      restored.add(env.endpoints.platform);
      await until(viaProxy, () => viaProxy.state.state === 'connected' && viaProxy.templates[0]?.name === 'Home (platform away)', 'back and caught up', 20_000);
    } finally {
      await viaProxy.close();
      await restored?.close();
    }
  });

  it('says which platform address does not answer', async () => {
    const badPort = await freePort();
    const lost = new LivePlatform({ platformUrl: `http://127.0.0.1:${badPort}`, brokerUrl: env.endpoints.broker, token: env.adminToken });
    await assert.rejects(lost.start(), (e: PlatformApiError) => e.code === 'refused' && e.message.includes(`127.0.0.1:${badPort}`));
    await lost.close();
  });

  it('refuses a wrong token at once, saying so', async () => {
    const wrong = new LivePlatform({ platformUrl: env.endpoints.platform, brokerUrl: env.endpoints.broker, token: 'spt_wrong' });
    await assert.rejects(wrong.start(), (e: PlatformApiError) => e.status === 401 && e.code === 'credentials' && /token was refused/.test(e.message));
    await wrong.close();
  });

  it('follows a Thing\'s logs: its apps\' lines, named by app, as they happen', async () => {
    const logs = await ThingLogs.follow({ brokerUrl: env.endpoints.broker, token: env.adminToken, thingId: 'thing-1' });
    try {
      const got = new Promise<ThingLogLine>((resolve) => logs.on('line', (l) => l.app === 'Hall light' && /opened/i.test(l.message) && resolve(l)));
      await env.fleet.agent('thing-1')!.thing.deviceEvent('front-door', 'contact', 'open');
      const line = await got;
      assert.equal(line.thingId, 'thing-1');
      assert.equal(line.cat, 'info');
      assert.equal(line.source, 'app:Hall light');
    } finally {
      await logs.close();
    }
    await assert.rejects(ThingLogs.follow({ brokerUrl: env.endpoints.broker, token: 'spt_wrong', thingId: 'thing-1' }));
  });

  it('reads the devices a Thing said it has on connecting, as devices.json entries with their values then', async () => {
    const { devices, problems, mru } = await live.devicesOf('thing-2');
    assert.deepEqual(problems, []);
    assert.match(mru, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC$/);
    assert.deepEqual(devices.map((d) => d.id), modelDevices('home').map((d) => d.id));
    const door = devices.find((d) => d.id === 'front-door')!;
    assert.deepEqual([door.label, door.type, [...door.capabilities], door.functionIds], ['Front door', 'Zigbee Door', ['contactSensor', 'battery'], { contact: 123 }]);
    // The values the host saw when the agent connected: a change since is there once it connects again.
    const agent = env.fleet.agent('thing-2')!;
    await agent.thing.deviceEvent('kitchen', 'temperature', 25.5);
    await agent.stop();
    await agent.start();
    const again = await live.devicesOf('thing-2');
    assert.equal(again.devices.find((d) => d.id === 'kitchen')!.attributes!.temperature, 25.5);
    // Two askers at once share one read.
    const [a, b] = [live.devicesOf('thing-3'), live.devicesOf('thing-3')];
    assert.equal(a, b);
    assert.equal((await a).devices.length, devices.length);
  });

  it('says why a Thing\'s devices cannot be read: never connected, or sent entries that are not devices', async () => {
    const started = Date.now();
    await assert.rejects(live.devicesOf('thing-404'), /thing-404 has not said which devices it has \(nothing retained on glp\/0\/thing-404\/fb\/devices within 5 s\).*choose devices\.json/);
    assert.ok(Date.now() - started < 8000);
    const payload = (devices: unknown[]) => Buffer.from(JSON.stringify({ devices, mru: '2026-12-03 06:00:00.000 UTC' }));
    const read = devicesOf('thing-9', payload([
      { id: 'lamp', label: 'Lamp', capabilities: ['switch'] },
      { id: 'odd', label: 'Odd', capabilities: ['teleporter'] },
      { id: 'hot', label: 'Hot', capabilities: ['temperatureMeasurement'], attributes: { temperature: 'very' } },
    ]));
    assert.deepEqual(read.devices.map((d) => d.id), ['lamp']);
    assert.equal(read.problems.length, 2);
    assert.match(read.problems[0], /^device "odd": .*teleporter/);
    assert.match(read.problems[1], /^device "hot": .*temperature/);
    assert.throws(() => devicesOf('thing-9', Buffer.from('{"devices": 3}')), /thing-9 sent devices the IDE cannot read: .*devices/);
  });

  describe('Test Connection', () => {
    it('passes every step against the local environment', async () => {
      const checks = await testConnection({ platformUrl: env.endpoints.platform, brokerUrl: env.endpoints.broker, token: env.adminToken });
      assert.deepEqual(checks.map((c) => [c.step, c.ok]), [['platform', true], ['token', true], ['broker', true]]);
      assert.match(checks[1].message, /2 apps in the App Store/);
    });

    it('names refused credentials on the platform and on the broker', async () => {
      const checks = await testConnection({ platformUrl: env.endpoints.platform, brokerUrl: env.endpoints.broker, token: 'spt_not-a-token' });
      assert.deepEqual(checks.map((c) => [c.step, c.ok, c.kind]), [['platform', true, undefined], ['token', false, 'credentials'], ['broker', false, 'credentials']]);
      for (const c of checks.slice(1)) assert.ok(!c.message.includes('spt_not-a-token'), 'the token is never shown');
    });

    it('names a refused port', async () => {
      const port = await freePort();
      const checks = await testConnection({ platformUrl: `http://127.0.0.1:${port}`, brokerUrl: `mqtt://127.0.0.1:${port}`, token: env.adminToken });
      assert.deepEqual(checks.map((c) => [c.step, c.kind]), [['platform', 'refused'], ['broker', 'refused']]);
      assert.match(checks[0].message, new RegExp(`127\\.0\\.0\\.1:${port}.*refused`));
    });

    it('names a host that does not resolve', async () => {
      const checks = await testConnection({ platformUrl: 'http://platform.smartplug.invalid:8080', brokerUrl: 'mqtt://broker.smartplug.invalid:1883', token: 'x' });
      assert.deepEqual(checks.map((c) => [c.step, c.kind]), [['platform', 'dns'], ['broker', 'dns']]);
      assert.match(checks[0].message, /platform\.smartplug\.invalid did not resolve/);
      assert.match(checks[1].message, /broker\.smartplug\.invalid did not resolve/);
    });

    it('names a certificate this machine does not trust, on https and mqtts', async () => {
      const certDir = mkdtempSync(path.join(tmpdir(), 'smartplug-certs-'));
      const files = makeCertificates(certDir);
      const tls = { cert: readFileSync(files.cert), key: readFileSync(files.key) };
      const https = createHttpsServer(tls, (_req, res) => res.end('{}'));
      const mqtts: TlsServer = createTlsServer(tls, (socket) => socket.end());
      try {
        await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', () => resolve()));
        await new Promise<void>((resolve) => mqtts.listen(0, '127.0.0.1', () => resolve()));
        const checks = await testConnection({
          platformUrl: `https://127.0.0.1:${(https.address() as AddressInfo).port}`, brokerUrl: `mqtts://127.0.0.1:${(mqtts.address() as AddressInfo).port}`, token: 'x',
        });
        assert.deepEqual(checks.map((c) => [c.step, c.kind]), [['platform', 'tls'], ['broker', 'tls']]);
        assert.match(checks[0].message, /TLS failed.*not trusted/);
      } finally {
        https.close();
        mqtts.close();
        rmSync(certDir, { recursive: true, force: true });
      }
    });
  });
});
