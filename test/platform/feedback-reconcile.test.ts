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
import { PlatformService } from '../../platform/service/platform-service';
import { openStore, type PlatformStore } from '../../platform/store';

const THINGS = 5;

describe('platform: reports the broker dropped are read again', function () {
  this.timeout(60_000);
  let root: string;
  let store: PlatformStore;
  let broker: EmbeddedBroker;
  let service: PlatformService;
  const things: MqttClient[] = [];
  let dropping = true;
  let dropped = 0;

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
    const enrolled = await store.enrollThings(Array.from({ length: THINGS }, (_, i) => ({ thingId: `thing-${i + 1}`, model: 'home' })));
    service = await PlatformService.start({ store, brokerUrl: broker.url, brokerUsername: PLATFORM_USER, brokerPassword: platformPassword, port: 0, adminToken, reconcileEveryMs: 300 });
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
    await service?.close();
    await broker?.close();
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a Thing whose report was dropped is read again from its retained status, and reaches its revision in the store', async () => {
    const desired = await store.listDesiredStates();
    assert.ok(desired.every((d) => d.revision > 0), JSON.stringify(desired.map((d) => d.revision)));
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(dropped >= THINGS, true, `the broker dropped the reports (${dropped})`);
    assert.equal((await store.listThingStates()).filter((s) => s.reachedRevision > 0).length, 0, 'the platform did not hear them');
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
