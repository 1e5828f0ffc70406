/**
 * The platform beyond one machine: Debian's mosquitto (dynamic security, MQTT 5, TLS) and
 * PostgreSQL, both started by this file. Things enrolled through the API get their own mosquitto
 * accounts and ACLs (access.ts's rules as dynsec roles); a fleet runs an app deployed to its
 * Template; each attack on the broker is tried for real; two replicas on one store and one broker
 * split the reports with a shared subscription, and one dying leaves the other ingesting; the
 * `smartplug platform` process killed in the middle of a rollout leaves it to another replica.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { PLATFORM_USER } from '../../platform/broker/access';
import { DynsecControl, MosquittoDynsecAccounts, setupMosquittoDynsec, thingRole } from '../../platform/broker/mosquitto-dynsec';
import { makeBundle } from '../../platform/bundle';
import { platformMain } from '../../platform/cli';
import { Fleet } from '../../platform/fleet/fleet';
import { PlatformService, type PlatformServiceOptions } from '../../platform/service/platform-service';
import { exampleAppDir } from '../../platform/up/example-app';
import { readInstanceFile } from '../../platform/deploy/instance-file';
import { assertFreshDist } from '../support/fresh-dist';
import { startMosquitto, type TestMosquitto } from '../support/mosquitto';
import { PlatformApi, runsEverything } from '../support/platform-api';
import { startPostgres, type TestPostgres } from '../support/postgres';

const ROOT = path.resolve(__dirname, '..', '..');
const GROUP = 'smartplug';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The SUBACK code of each filter, subscribed one by one (mqtt.js rejects a refused one). */
async function subackCodes(client: MqttClient, filters: string[]): Promise<number[]> {
  const codes: number[] = [];
  for (const f of filters) codes.push(await client.subscribeAsync(f).then((g) => g[0].qos, (e: { packet?: { granted?: number[] } }) => e.packet?.granted?.[0] ?? -1));
  return codes;
}

describe('platform on mosquitto and PostgreSQL', function () {
  this.timeout(60_000);
  let pg: TestPostgres;
  let mosq: TestMosquitto;
  let storeUrl: string;
  let root: string;
  let a: PlatformService;
  let api: PlatformApi;
  let fleet: Fleet;
  let tlsFleet: Fleet | undefined;
  let admin: MqttClient;
  const adminToken = `spt_${randomBytes(24).toString('base64url')}`;
  const brokerPassword = randomBytes(24).toString('base64url');
  const clients: MqttClient[] = [];
  const services: PlatformService[] = [];
  const logs: string[] = [];

  const replica = async (extra: Partial<PlatformServiceOptions> = {}) => {
    const s = await PlatformService.start({
      store: storeUrl, brokerUrl: mosq.url, brokerUsername: PLATFORM_USER, brokerPassword, port: 0, adminToken, sharedGroup: GROUP,
      brokerAccounts: (mq) => new MosquittoDynsecAccounts(mq), log: (l) => logs.push(l), ...extra,
    });
    services.push(s);
    return s;
  };

  async function connect(username: string, password: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
    const c = await mqtt.connectAsync(mosq.url, { username, password, clientId: username, reconnectPeriod: 0, connectTimeout: 5000, ...options });
    clients.push(c);
    return c;
  }

  before(async function () {
    this.timeout(60_000);
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-mosq-'));
    [pg, mosq] = await Promise.all([startPostgres(), startMosquitto({ tls: true })]);
    storeUrl = await pg.createDatabase(`mosq_${process.pid}`);
    await setupMosquittoDynsec({ brokerUrl: mosq.url, adminUser: mosq.adminUser, adminPassword: mosq.adminPassword, platformPassword: brokerPassword });
    a = await replica();
    api = new PlatformApi(a.url, adminToken);
    admin = await connect(mosq.adminUser, mosq.adminPassword, { clientId: 'test-admin' });
  });

  after(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await tlsFleet?.close().catch(() => undefined);
    await fleet?.close().catch(() => undefined);
    for (const s of services) await s.close().catch(() => undefined);
    await mosq?.stop();
    pg?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe('provisioning', () => it('a fleet of 20 Things enrolled through the API runs the app deployed to its Template, each with its own mosquitto account', async () => {
    assert.equal((await api.put('/api/templates/T', { name: 'T', apps: [] })).status, 200);
    fleet = await Fleet.start({ brokerUrl: mosq.url, platformUrl: a.url, token: adminToken, things: 20, templateId: 'T', model: 'home', credentialsFile: path.join(root, 'fleet.json'), activityMs: 0 });
    const t0 = performance.now();
    const bundle = await makeBundle(exampleAppDir());
    const deployed = await api.request('POST', '/api/apps', bundle.bytes);
    assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
    const instance = readInstanceFile(path.join(exampleAppDir(), 'instance.json'));
    const saved = await api.put('/api/templates/T', { name: 'T', apps: [{ app_id: deployed.body.app.appId, config: instance.config, name: instance.name }] });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const things = await api.waitForThings((ts) => ts.length === 20 && ts.every((t) => t.connected && t.inherited.length === 1 && runsEverything(t)));
    logs.push(`20 Things running the app ${Math.round(performance.now() - t0)} ms after the deploy`);
    assert.deepEqual(things.map((t) => t.inherited[0].status), Array(20).fill({ state: 'running' }));
    // The app really runs: a door opening switches the lamp on.
    const agent = fleet.agent('thing-7')!;
    await agent.thing.deviceEvent('front-door', 'contact', 'open');
    assert.equal((await agent.thing.devicesNow()).find((d) => d.id === 'hall-lamp')!.attributes.level, 80);
    // Mosquitto holds each Thing's account: its client id pinned, its own role.
    const [client] = await new DynsecControl(admin).run([{ command: 'getClient', username: 'thing-7' }]);
    assert.deepEqual(client.data?.client, { username: 'thing-7', clientid: 'thing-7', roles: [{ rolename: thingRole('thing-7') }], groups: [] });
  }));

  describe("a Thing's credentials on mosquitto", () => {
    let secret: string;
    before(async () => {
      const enrolled = await api.post('/api/things', { thingId: 'mallory', model: 'home', templateId: 'T' });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      secret = enrolled.body.secrets.broker;
    });

    it('are refused with a wrong password, and for another Thing\'s client id (which keeps its session)', async () => {
      await assert.rejects(connect('mallory', 'wrong-password'), /Not authorized|Bad user/i);
      await assert.rejects(connect('mallory', secret, { clientId: 'thing-2' }), /Not authorized|Bad user/i);
      await assert.rejects(connect('nobody', secret), /Not authorized|Bad user/i);
      await assert.rejects(connect(PLATFORM_USER, secret, { clientId: 'x' }), /Not authorized|Bad user/i);
      await wait(100);
      assert.equal(fleet.agent('thing-2')!.connected, true, 'thing-2 was taken over');
    });

    it("cannot subscribe to another Thing's desired state (SUBACK 0x80), only to its own", async () => {
      const mallory = await connect('mallory', secret);
      const topics: string[] = [];
      mallory.on('message', (t) => topics.push(t));
      const codes = await subackCodes(mallory, ['glp/0/thing-2/rq/=agent/desired', 'glp/0/thing-2/rq/#', 'glp/0/+/rq/#', 'glp/0/thing-2/fb/#', '#', '$SYS/#', `$share/g/glp/0/+/fb/#`, 'glp/0/mallory/rq/#']);
      assert.deepEqual(codes, [128, 128, 128, 128, 128, 128, 128, 0]);
      await wait(300);
      assert.deepEqual([...new Set(topics)], ['glp/0/mallory/rq/=agent/desired'], 'it gets its own retained desired state and nothing else');
    });

    it("cannot publish to another Thing's feedback, nor forge its own desired state", async () => {
      const seen: string[] = [];
      await admin.subscribeAsync(['glp/0/thing-2/fb/#', 'glp/0/mallory/#']);
      admin.on('message', (t, p) => seen.push(`${t} ${p.toString()}`));
      await wait(200);
      seen.length = 0;
      // MQTT 5: a refused QoS 1 publish is answered PUBACK 0x87 (not authorized).
      const mallory = await connect('mallory', secret, { protocolVersion: 5 });
      const forged = JSON.stringify({ connected: false, mru: '2026-01-01 00:00:00.000 UTC' });
      await assert.rejects(mallory.publishAsync('glp/0/thing-2/fb/=agent/connection', forged, { qos: 1, retain: true }), (e: { code?: number }) => e.code === 135);
      await assert.rejects(mallory.publishAsync('glp/0/mallory/rq/=agent/desired', JSON.stringify({ revision: 99, apps: [], mru: '2026-01-01 00:00:00.000 UTC' }), { qos: 1, retain: true }), (e: { code?: number }) => e.code === 135);
      // MQTT 3.1.1 has no refusal to give: the publish is dropped.
      const old = await connect('mallory', secret, { clientId: 'mallory' });
      await old.publishAsync('glp/0/thing-2/fb/=agent/status', JSON.stringify({ revision: 999, apps: {}, error: null, mru: '2026-01-01 00:00:00.000 UTC' }), { qos: 1 });
      // What it may publish arrives (so the observer works), after the refused ones had their chance.
      await old.publishAsync('glp/0/mallory/ev/info', 'marker', { qos: 1 });
      const until = Date.now() + 5000;
      while (!seen.some((s) => s.endsWith('marker')) && Date.now() < until) await wait(20);
      await wait(100);
      assert.deepEqual(seen, ['glp/0/mallory/ev/info marker']);
      const thing2 = (await api.get('/api/things/thing-2')).body;
      assert.equal(thing2.connected, true);
      assert.equal(thing2.reachedRevision, thing2.desiredRevision);
      // The retained desired state is still the platform's.
      const fresh = await connect(mosq.adminUser, mosq.adminPassword, { clientId: 'fresh-observer' });
      const retained = new Promise<string>((resolve) => fresh.once('message', (_t, p) => resolve(p.toString())));
      await fresh.subscribeAsync('glp/0/mallory/rq/=agent/desired');
      assert.equal(JSON.parse(await retained).revision, (await api.get('/api/things/mallory')).body.desiredRevision);
    });

    it("an enrolment cannot take over a broker account that is not a Thing's (the dynsec admin's): refused, nothing enrolled", async () => {
      const r = await api.post('/api/things', { thingId: mosq.adminUser, model: 'home' });
      assert.equal(r.status, 502);
      assert.equal(r.body.error.code, 'broker');
      assert.match(r.body.error.message, new RegExp(`nothing was enrolled: the broker already has accounts that are not SmartPlug Things': ${mosq.adminUser}; enrol these Things under other ids`));
      assert.equal((await api.get(`/api/things/${mosq.adminUser}`)).status, 404);
      const again = await connect(mosq.adminUser, mosq.adminPassword, { clientId: 'admin-again' });
      const [role] = await new DynsecControl(again).run([{ command: 'getRole', rolename: thingRole(mosq.adminUser) }]);
      assert.match(role.error ?? '', /not found/i, 'no Thing role was left behind');
    });

    it('stop working when the Thing is removed: mosquitto disconnects it and refuses it after', async () => {
      const mallory = await connect('mallory', secret, { clientId: 'mallory' });
      const closed = new Promise<void>((r) => mallory.once('close', () => r()));
      assert.equal((await api.delete('/api/things/mallory')).status, 204);
      await closed;
      await assert.rejects(connect('mallory', secret), /Not authorized|Bad user/i);
      const [gone] = await new DynsecControl(admin).run([{ command: 'getRole', rolename: thingRole('mallory') }]);
      assert.match(gone.error ?? '', /not found/i);
    });
  });

  // (Mocha runs a suite's own tests before its inner suites: each step is a suite, so they run in this order.)
  describe('TLS', () => it('mqtts://: Things connect over TLS with the CA, and not without it', async () => {
    await assert.rejects(mqtt.connectAsync(mosq.tlsUrl!, { username: 'thing-1', password: 'x', reconnectPeriod: 0, connectTimeout: 5000 }), /self[- ]signed|unable to verify|certificate/i);
    tlsFleet = await Fleet.start({ brokerUrl: mosq.tlsUrl!, brokerCa: mosq.ca, platformUrl: a.url, token: adminToken, things: 3, prefix: 'tls', templateId: 'T', model: 'home', credentialsFile: path.join(root, 'tls.json'), activityMs: 0 });
    const things = await api.waitForThings((ts) => ts.filter((t) => t.thingId.startsWith('tls-') && t.connected && runsEverything(t) && t.inherited.length === 1).length === 3);
    assert.equal(things.length, 23);
    assert.ok(tlsFleet.agents.every((x) => x.connected));
  }));

  describe('replicas', () => it('two replicas on one PostgreSQL and one mosquitto: each report reaches one replica; one dies, the other ingests everything', async () => {
    // Replica B connects over mqtts, as a replica in another network would.
    const b = await replica({ brokerUrl: mosq.tlsUrl!, brokerCa: mosq.ca });
    const apiB = new PlatformApi(b.url, adminToken);
    const STATUS = /^glp\/0\/[^/]+\/fb\/=agent\/status$/;
    const record = (client: MqttClient, into: string[]) => client.on('message', (t, p) => STATUS.test(t) && into.push(`${t} ${p.toString()}`));
    const atA: string[] = [];
    const atB: string[] = [];
    const observed: string[] = [];
    record(a.mqtt, atA);
    record(b.mqtt, atB);
    const observer = await connect(mosq.adminUser, mosq.adminPassword, { clientId: 'status-observer' });
    await observer.subscribeAsync('glp/0/+/fb/=agent/status');
    record(observer, observed);
    await wait(500); // the retained statuses the observer gets on subscribing
    for (const list of [atA, atB, observed]) list.length = 0;

    const instance = readInstanceFile(path.join(exampleAppDir(), 'instance.json'));
    const appId = (await api.get('/api/apps')).body.apps[0].appId;
    const save = async (via: PlatformApi, timeout: number) => {
      const r = await via.put('/api/templates/T', { name: 'T', apps: [{ app_id: appId, config: { ...instance.config, timeout }, name: instance.name }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (await via.waitForThings((ts) => ts.length === 23 && ts.every((t) => runsEverything(t) && t.inherited[0]?.config.timeout === timeout))).length;
    };
    assert.equal(await save(apiB, 11), 23);
    await wait(300);
    assert.ok(observed.length >= 23, `${observed.length} status reports`);
    assert.deepEqual([...atA, ...atB].sort(), [...observed].sort(), 'each report went to exactly one replica');
    assert.ok(atA.length > 0 && atB.length > 0, `both replicas took reports: A ${atA.length}, B ${atB.length}`);
    assert.deepEqual(logs.filter((l) => /could not store/.test(l)), [], 'a replica failed to store reports');

    // A dies: its connection drops without a DISCONNECT, as a killed process's would, and it drives nothing more.
    await a.mqtt.endAsync(true);
    await a.rollouts.stop();
    for (const list of [atA, atB, observed]) list.length = 0;
    assert.equal(await save(apiB, 12), 23);
    await wait(300);
    assert.ok(observed.length >= 23);
    assert.deepEqual(atB.sort(), observed.sort(), 'B took every report once A was gone');
    assert.deepEqual(atA, []);
  }));

  describe('faults', () => it('the broker killed in the middle of a rollout: every Thing still converges', async () => {
    const b = services[1];
    const apiB = new PlatformApi(b.url, adminToken);
    const appId = (await apiB.get('/api/apps')).body.apps[0].appId;
    const instance = readInstanceFile(path.join(exampleAppDir(), 'instance.json'));
    const saved = await apiB.put('/api/templates/T', { name: 'T', apps: [{ app_id: appId, config: { ...instance.config, timeout: 13 }, name: instance.name }] });
    assert.equal(saved.status, 200);
    await mosq.restart('SIGKILL');
    const things = await apiB.waitForThings((ts) => ts.length === 23 && ts.every((t) => t.connected && runsEverything(t) && t.inherited[0]?.config.timeout === 13), 30_000);
    assert.equal(things.length, 23);
  }));

  describe('restart', () => it('a replica started while none ran takes in what Things reported meanwhile (their retained reports)', async () => {
    await services[1].close();
    const agent = fleet.agent('thing-20')!;
    await agent.stop(); // publishes, retained, that it is offline: no replica is there to take it
    const c = await replica();
    const after = await new PlatformApi(c.url, adminToken).waitForThings((ts) => ts.find((t) => t.thingId === 'thing-20')?.connected === false, 10_000);
    assert.equal(after.filter((t) => t.connected).length, 22);
  }));

  describe('smartplug platform as a process', () => {
    let child: ChildProcess | undefined;
    let output = '';
    let url: string;
    after(() => child?.kill('SIGKILL'));

    it('smartplug platform --broker-accounts mosquitto-dynsec --broker-ca: sets up its account, enrols Things with their own accounts', async () => {
      const errors: string[] = [];
      assert.equal(await platformMain('platform', ['--broker', mosq.url, '--store', storeUrl, '--broker-accounts', 'ldap'], () => undefined, (l) => errors.push(l)), 2);
      writeFileSync(path.join(root, 'not-a-ca.pem'), 'hello');
      assert.equal(await platformMain('platform', ['--broker', mosq.tlsUrl!, '--store', storeUrl, '--broker-ca', path.join(root, 'not-a-ca.pem')], () => undefined, (l) => errors.push(l)), 2);
      assert.match(errors[0], /--broker-accounts is "mosquitto-dynsec".*not "ldap"/);
      assert.match(errors[1], /--broker-ca .*not-a-ca\.pem: it holds no PEM certificate/);

      const caFile = path.join(root, 'ca.pem');
      writeFileSync(caFile, mosq.ca!);
      // The replicas' own password: a repeated setup leaves them connected.
      child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'platform', 'main.ts'), 'platform', '--broker', mosq.tlsUrl!, '--broker-ca', caFile, '--store', storeUrl, '--port', '0', '--shared-group', GROUP, '--broker-accounts', 'mosquitto-dynsec'], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SMARTPLUG_ADMIN_TOKEN: adminToken, SMARTPLUG_BROKER_PASSWORD: brokerPassword, SMARTPLUG_BROKER_ADMIN_USER: mosq.adminUser, SMARTPLUG_BROKER_ADMIN_PASSWORD: mosq.adminPassword },
      });
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const until = Date.now() + 30_000;
      while (!/^ready$/m.test(output) && Date.now() < until && child.exitCode === null) await wait(50);
      assert.match(output, /broker accounts: mosquitto dynamic security set up/);
      url = /^platform\s+(http:\/\/\S+)/m.exec(output)?.[1] ?? '';
      assert.ok(url, output);
      const enrolled = await new PlatformApi(url, adminToken).post('/api/things', { thingId: 'cli-thing', model: 'plug' });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      const thing = await connect('cli-thing', enrolled.body.secrets.broker);
      assert.deepEqual(await subackCodes(thing, ['glp/0/cli-thing/rq/#', 'glp/0/thing-1/rq/#']), [0, 128]);
      assert.ok(!output.includes(brokerPassword) && !output.includes(enrolled.body.secrets.broker), 'a secret reached the output');
    });

    it('killed (SIGKILL) in the middle of the rollout it drives: another replica takes it over and every Thing converges', async function () {
      this.timeout(60_000);
      assert.ok(url, 'the previous test started the process');
      const survivor = services[2];
      const viaChild = new PlatformApi(url, adminToken);
      const appId = (await viaChild.get('/api/apps')).body.apps[0].appId;
      const thingIds = Array.from({ length: 12 }, (_, i) => `thing-${i + 1}`);
      const app = { app_id: appId, config: { ...readInstanceFile(path.join(exampleAppDir(), 'instance.json')).config, timeout: 21 }, name: 'Porch light' };
      const created = await viaChild.post('/api/rollouts', { plan: { kind: 'bulk', action: 'provision', thingIds, app }, batchSize: 2, ackTimeoutMs: 20_000, rolloutId: 'killed' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      let mid: any;
      for (const until = Date.now() + 20_000; Date.now() < until; await wait(10)) {
        mid = (await viaChild.get('/api/rollouts/killed')).body;
        if (mid.counts?.succeeded >= 2) break;
      }
      child!.kill('SIGKILL');
      assert.equal(mid.state, 'running');
      assert.ok(mid.counts.succeeded >= 2 && mid.counts.succeeded < 12, JSON.stringify(mid.counts));
      assert.notEqual(mid.lease.owner, survivor.rollouts.owner, 'the killed replica drove it');
      const api2 = new PlatformApi(survivor.url, adminToken);
      let done: any;
      const owners = new Set<string>();
      // Polls that got no rollout (an error reply) are kept to be shown, not taken for its end.
      const unanswered: string[] = [];
      const t0 = Date.now();
      for (const until = t0 + 45_000; Date.now() < until; await wait(100)) {
        const polled = await api2.get('/api/rollouts/killed');
        if (polled.status !== 200) {
          unanswered.push(`${Date.now() - t0} ms: ${polled.status} ${JSON.stringify(polled.body)}`);
          continue;
        }
        done = polled.body;
        if (done.lease) owners.add(done.lease.owner);
        if (done.state !== 'running') break;
      }
      const seen = `after ${Date.now() - t0} ms the rollout is ${JSON.stringify(done)}; leases seen: ${[...owners].join(', ')}; `
        + `the survivor is ${survivor.rollouts.owner}; polls unanswered: ${unanswered.join('; ') || 'none'}; rollout log: ${logs.filter((l) => /rollout/.test(l)).slice(-10).join(' | ')}; the killed replica's: ${output.split('\n').filter((l) => /rollout/.test(l)).slice(-5).join(' | ')}`;
      assert.ok(owners.has(survivor.rollouts.owner), `not taken over by the surviving replica: ${seen}`);
      assert.equal(done.state, 'succeeded', JSON.stringify(done));
      assert.deepEqual(done.counts, { pending: 0, sent: 0, succeeded: 12, failed: 0 });
      const things = await api2.waitForThings((ts) => thingIds.every((id) => { const t = ts.find((x) => x.thingId === id); return t && runsEverything(t) && t.apps.length === 1; }));
      for (const id of thingIds) assert.equal(things.find((t) => t.thingId === id).apps[0].config.timeout, 21);
    });
  });

  describe('logs', () => it('wrote no credential to the platform log', () => {
    const creds = JSON.parse(readFileSync(path.join(root, 'fleet.json'), 'utf8')) as Record<string, { secret: string }>;
    const text = logs.join('\n');
    for (const s of [adminToken, brokerPassword, mosq.adminPassword, ...Object.values(creds).map((c) => c.secret)]) assert.ok(!text.includes(s), 'a secret reached the log');
  }));
});
