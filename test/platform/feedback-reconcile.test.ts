/**
 * A broker may drop reports on their way to a busy platform (mosquitto drops QoS 1 messages past a
 * client's max_queued_messages: a 10,000-Thing rollout lost ~2 % of its reports so). Reports are
 * retained, so the platform reads those of Things long behind their desired revision again
 * (platform/service/feedback-reconcile.ts). Here the embedded broker drops every status report to
 * the platform until told to stop; the platform still learns every Thing's revision.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { PLATFORM_USER } from '../../platform/broker/access';
import { EmbeddedBroker } from '../../platform/broker/embedded-broker';
import { iapNow, topics } from '../../platform/protocol';
import { Authenticator } from '../../platform/service/auth';
import { RECONCILE_DUTY } from '../../platform/service/feedback-reconcile';
import { PlatformService } from '../../platform/service/platform-service';
import { openStore, type PlatformStore } from '../../platform/store';

const THINGS = 5;

describe('platform: reports the broker dropped are read again', function () {
  this.timeout(60_000);
  let root: string;
  let store: PlatformStore;
  let broker: EmbeddedBroker;
  let service: PlatformService;
  /** A second replica on the same store and broker: the re-reading is one replica's duty. */
  let replica: PlatformService | undefined;
  const things: MqttClient[] = [];
  let dropping = true;
  let dropped = 0;
  /** platform client id → how many status topics it subscribed to (the re-reads) */
  const rereads = new Map<string, number>();

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-reconcile-'));
    store = await openStore(path.join(root, 'store'));
    const adminToken = randomBytes(24).toString('hex');
    const platformPassword = randomBytes(24).toString('hex');
    const auth = new Authenticator(store, adminToken);
    broker = await EmbeddedBroker.start({ port: 0, platformPassword, verifyThing: (id, secret) => auth.thingSecretMatches(id, secret), verifyToken: async () => undefined });
    // The fault: status reports never reach the platform's client while `dropping`.
    broker.aedes.authorizeForward = (client, packet) => {
      if (dropping && client?.id?.startsWith('smartplug-platform-') && packet.topic.endsWith('/fb/=agent/status')) {
        dropped++;
        return null;
      }
      return packet;
    };
    broker.aedes.on('subscribe', (subs, client) => {
      // One Thing's status topic (not the platform's own wildcard or shared subscriptions).
      const statuses = subs.filter((x) => !/[+#$]/.test(x.topic) && x.topic.endsWith('/fb/=agent/status')).length;
      if (statuses > 0 && client?.id) rereads.set(client.id, (rereads.get(client.id) ?? 0) + statuses);
    });
    const enrolled = await store.enrollThings(Array.from({ length: THINGS }, (_, i) => ({ thingId: `thing-${i + 1}`, model: 'home' })));
    service = await PlatformService.start({ store, brokerUrl: broker.url, brokerUsername: PLATFORM_USER, brokerPassword: platformPassword, port: 0, adminToken, reconcileEveryMs: 300 });
    replica = await PlatformService.start({ store, brokerUrl: broker.url, brokerUsername: PLATFORM_USER, brokerPassword: platformPassword, port: 0, adminToken, reconcileEveryMs: 300 });
    for (const e of enrolled) {
      const id = e.thing.thingId;
      const client = await mqtt.connectAsync(broker.url, { clientId: id, username: id, password: e.secrets.broker });
      things.push(client);
      const desired = await store.desiredState(id);
      await client.publishAsync(topics.status(id), JSON.stringify({ revision: desired.revision, apps: {}, error: null, mru: iapNow() }), { qos: 1, retain: true });
    }
  });

  after(async () => {
    for (const c of things) await c.endAsync(true);
    await replica?.close();
    await service?.close();
    await broker?.close();
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function until(ok: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!ok()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a Thing whose report was dropped is read again from its retained status by one replica at a time, and reaches its revision in the store', async () => {
    const desired = await store.listDesiredStates();
    assert.ok(desired.every((d) => d.revision > 0), JSON.stringify(desired.map((d) => d.revision)));
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(dropped >= THINGS, true, `the broker dropped the reports (${dropped})`);
    assert.equal((await store.listThingStates()).filter((s) => s.reachedRevision > 0).length, 0, 'the platform did not hear them');
    // Two replicas, one store: one of them holds the duty and re-reads; the other does not.
    await until(() => rereads.size > 0, 'a replica re-read the statuses');
    await new Promise((r) => setTimeout(r, 700));
    const ids = new Map([service, replica!].map((s) => [s.rollouts.owner, s]));
    const holder = ids.get((await store.dutyHolder(RECONCILE_DUTY)) ?? '');
    assert.ok(holder, 'one of the replicas holds the duty');
    const clientOf = (s: PlatformService) => s.mqtt.options.clientId ?? '';
    const other = holder === service ? replica! : service;
    assert.deepEqual([...rereads.keys()], [clientOf(holder)], 'only the replica holding the duty re-reads');
    assert.ok(rereads.get(clientOf(holder))! >= 2 * THINGS, `it re-reads at every look while the reports are still dropped (${rereads.get(clientOf(holder))})`);
    // The holder goes away (and gives the duty up): the other replica takes it over.
    await holder.close();
    if (holder === replica) replica = undefined;
    else service = replica!, replica = undefined;
    await until(() => (rereads.get(clientOf(other)) ?? 0) >= THINGS, 'the remaining replica took the duty over and re-read');
    assert.equal(await store.dutyHolder(RECONCILE_DUTY), other.rollouts.owner);
    dropping = false;
    const deadline = Date.now() + 10_000;
    let reached = 0;
    while (Date.now() < deadline) {
      reached = (await store.listThingStates()).filter((s) => s.reachedRevision === desired.find((d) => d.thingId === s.thingId)?.revision).length;
      if (reached === THINGS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(reached, THINGS, 'every Thing reached its revision in the store');
  });
});
