/**
 * Issue 15, "Beyond one machine": two `smartplug platform` replicas on Debian's PostgreSQL and
 * mosquitto (each Thing with its own dynamic security account; the replicas in one shared
 * subscription group) behind a load balancer, and a fleet of 1,000 simulated Things in a process of
 * its own (`smartplug fleet`). A Template rollout to the 1,000 Things goes out in batches; the
 * replica driving it is killed with SIGKILL in the middle; the other takes it over once the lease
 * expires, and every Thing converges: it reports the app running at its desired revision.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setupMosquittoDynsec } from '../../platform/broker/mosquitto-dynsec';
import { makeBundle } from '../../platform/bundle';
import { exampleAppDir } from '../../platform/up/example-app';
import { readInstanceFile } from '../../platform/deploy/instance-file';
import { CliProcess } from '../support/cli-process';
import { assertFreshDist, RUNTIME_BUNDLES } from '../support/fresh-dist';
import { startMosquitto, type TestMosquitto } from '../support/mosquitto';
import { PlatformApi, runsEverything } from '../support/platform-api';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { TcpBalancer } from '../support/tcp-balancer';

const THINGS = 1000;
const BATCH = 100;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  process: CliProcess;
  url: string;
  /** its name in rollout leases (GET /api/health) */
  id: string;
}

describe('1,000 Things on mosquitto and PostgreSQL: the replica driving a rollout killed in the middle', function () {
  this.timeout(240_000);
  const adminToken = `spt_${randomBytes(24).toString('base64url')}`;
  const brokerPassword = randomBytes(24).toString('base64url');
  let root: string;
  let pg: TestPostgres | undefined;
  let mosq: TestMosquitto | undefined;
  let balancer: TcpBalancer | undefined;
  let storeUrl: string;
  const replicas: Replica[] = [];
  let fleet: CliProcess | undefined;

  async function startReplica(): Promise<Replica> {
    const process = new CliProcess(['platform', '--broker', mosq!.url, '--store', storeUrl, '--port', '0', '--public-url', balancer!.url, '--shared-group', 'smartplug', '--broker-accounts', 'mosquitto-dynsec'], { SMARTPLUG_ADMIN_TOKEN: adminToken, SMARTPLUG_BROKER_PASSWORD: brokerPassword });
    const url = (await process.waitFor(/^platform\s+(http:\/\/\S+)/m))[1];
    await process.waitFor(/^ready$/m);
    const health = (await new PlatformApi(url).get('/api/health')).body;
    return { process, url, id: health.replica };
  }

  before(async function () {
    this.timeout(120_000);
    assertFreshDist([...RUNTIME_BUNDLES, 'platform/cli']);
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-thousand-'));
    [pg, mosq, balancer] = await Promise.all([startPostgres(), startMosquitto(), TcpBalancer.start()]);
    storeUrl = await pg.createDatabase(`thousand_${process.pid}`);
    await setupMosquittoDynsec({ brokerUrl: mosq.url, adminUser: mosq.adminUser, adminPassword: mosq.adminPassword, platformPassword: brokerPassword });
    // One after the other: the first makes the store's tables.
    replicas.push(await startReplica());
    replicas.push(await startReplica());
    for (const r of replicas) balancer.add(r.url);
  });

  after(async () => {
    await fleet?.stop(30_000);
    for (const r of replicas) if (r.process.running) await r.process.kill().catch(() => undefined);
    await balancer?.close();
    await mosq?.stop();
    pg?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('every Thing converges: the rollout is taken over by the surviving replica and succeeds for all 1,000', async () => {
    assert.notEqual(replicas[0].id, replicas[1].id);
    // Everything below goes through the balancer, as a user's calls and the Things' downloads would.
    const api = new PlatformApi(balancer!.url, adminToken);
    assert.equal((await api.put('/api/templates/T', { name: 'T', apps: [] })).status, 200);
    const deployed = await api.request('POST', '/api/apps', (await makeBundle(exampleAppDir())).bytes);
    assert.equal(deployed.status, 201, JSON.stringify(deployed.body));

    // The fleet enrols its Things through the platform (which makes their mosquitto accounts) and connects them.
    fleet = new CliProcess(['fleet', '--broker', mosq!.url, '--platform', balancer!.url, '--things', String(THINGS), '--template', 'T', '--credentials', path.join(root, 'fleet.json')], { SMARTPLUG_TOKEN: adminToken }, true);
    await fleet.waitFor(new RegExp(`^ready: ${THINGS} Things$`, 'm'), 150_000);

    const instance = readInstanceFile(path.join(exampleAppDir(), 'instance.json'));
    const app = { app_id: deployed.body.app.appId, config: { ...instance.config, timeout: 21 }, name: 'Porch light' };
    const created = await api.post('/api/rollouts', { plan: { kind: 'template', templateId: 'T', name: 'T', apps: [app] }, batchSize: BATCH, ackTimeoutMs: 60_000, rolloutId: 'thousand' });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    // In the middle: a few batches done, most to go.
    const rollout = async () => (await api.get('/api/rollouts')).body.rollouts.find((r: any) => r.rolloutId === 'thousand');
    let mid: any;
    for (const until = Date.now() + 90_000; Date.now() < until; await wait(50)) {
      mid = await rollout();
      if (mid.state !== 'running' || mid.counts.succeeded >= 3 * BATCH) break;
    }
    const failures = async () => JSON.stringify((await api.get('/api/rollouts/thousand')).body.things?.filter((t: any) => t.status === 'failed').slice(0, 5));
    assert.ok(mid.state === 'running' && mid.counts.failed === 0, `the rollout ${mid.state} before the kill, with ${JSON.stringify(mid.counts)}; failed: ${await failures()}`);
    const driver = replicas.find((r) => r.id === mid.lease?.owner);
    assert.ok(driver, `the rollout is driven by one of the replicas: ${JSON.stringify(mid)}`);
    await driver.process.kill();
    const survivor = replicas.find((r) => r !== driver)!;
    assert.ok(mid.counts.succeeded >= 3 * BATCH && mid.counts.succeeded < THINGS, JSON.stringify(mid.counts));

    // The survivor takes the rollout over once the lease expires, and finishes it.
    let done: any;
    const owners = new Set<string>();
    for (const until = Date.now() + 120_000; Date.now() < until; await wait(200)) {
      done = await rollout().catch(() => undefined); // a call cut by the kill is asked again
      if (!done) continue;
      if (done.lease) owners.add(done.lease.owner);
      if (done.state !== 'running') break;
    }
    assert.ok(owners.has(survivor.id), `taken over by the surviving replica ${survivor.id}, not ${[...owners].join(', ')}`);
    assert.equal(done?.state, 'succeeded', `${JSON.stringify(done?.counts)}; failed: ${await failures()}`);
    assert.deepEqual(done.counts, { pending: 0, sent: 0, succeeded: THINGS, failed: 0 });

    // Every Thing reports the app running at its desired revision, with the rollout's config.
    const converged = (t: any) => t.connected && runsEverything(t) && t.inherited.length === 1 && t.inherited[0].config.timeout === 21;
    let things: any[] = [];
    for (const until = Date.now() + 30_000; Date.now() < until; await wait(500)) {
      things = (await api.get('/api/things?template=T')).body.things;
      if (things.length === THINGS && things.every(converged)) break;
    }
    const behind = things.filter((t) => !converged(t));
    assert.deepEqual(behind.map((t) => ({ thingId: t.thingId, connected: t.connected, desiredRevision: t.desiredRevision, reachedRevision: t.reachedRevision, apps: t.inherited.map((a: any) => ({ status: a.status, timeout: a.config.timeout })) })).slice(0, 10), [], `${behind.length} Things did not converge`);
    assert.equal(things.length, THINGS);
    for (const t of things) {
      assert.equal(t.reachedRevision, t.desiredRevision, t.thingId);
      assert.deepEqual(t.inherited[0].status, { state: 'running' }, t.thingId);
    }
    assert.ok(!survivor.process.output.includes(brokerPassword) && !survivor.process.output.includes(adminToken), 'a secret reached the replica\'s output');
  });
});
