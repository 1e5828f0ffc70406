/**
 * What Things report, taken from the broker into the store: status (revision reached, each app's
 * status), connection (online, or offline by the agent's last will) and load completions. A fleet
 * reports in bursts, so reports are merged per Thing and written in one transaction every
 * `flushMs` (one synced commit instead of a thousand). Malformed payloads are refused with an error
 * event on the Thing's own event channel and never reach the store.
 */
import type { MqttClient } from 'mqtt';
import { EventEmitter } from 'node:events';
import type { PlatformStore, ThingStateReport } from '../store';
import { iapEvent, parsePayload, platformSubscriptions, shared, thingOfTopic, topics, type LoadCompletionMessage } from '../protocol';

export interface FeedbackOptions {
  /** MQTT 5 shared-subscription group, so each report reaches one replica (undefined: plain subscriptions). */
  sharedGroup?: string;
  flushMs?: number;
  log: (line: string) => void;
}

export interface FeedbackEvents {
  /** reports were written for these Things */
  stored: [thingIds: string[]];
  loadCompletion: [thingId: string, completion: LoadCompletionMessage];
}

export class FeedbackIngest extends EventEmitter<FeedbackEvents> {
  private pending = new Map<string, ThingStateReport>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** the enrolled Things, read again when a report names one not in it (see thingsChanged) */
  private known: Set<string> | undefined;
  /** shutting down: a failed write is not tried again */
  private draining = false;

  constructor(
    private readonly store: PlatformStore,
    private readonly mqtt: MqttClient,
    private readonly options: FeedbackOptions,
  ) {
    super();
  }

  async start(): Promise<void> {
    const filters = Object.values(platformSubscriptions).map((f) => (this.options.sharedGroup ? shared(this.options.sharedGroup, f) : f));
    this.mqtt.on('message', (topic, payload) => this.onMessage(topic, payload));
    await this.mqtt.subscribeAsync(filters, { qos: 1 });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const thingId = thingOfTopic(topic);
    if (!thingId) return;
    if (payload.length === 0) return; // a retained message being cleared
    if (topic === topics.status(thingId)) {
      const p = parsePayload('status', payload, topic);
      if (!p.ok) return this.refuse(thingId, topic, p.error);
      const error = p.value.error;
      this.merge(thingId, { reachedRevision: p.value.revision, apps: p.value.apps, syncError: error ? { code: error.code ?? 'sync', message: error.message, ...(p.value.retrying ? { retrying: true } : {}) } : null });
    } else if (topic === topics.connection(thingId)) {
      const p = parsePayload('connection', payload, topic);
      if (!p.ok) return this.refuse(thingId, topic, p.error);
      this.merge(thingId, { connected: p.value.connected });
    } else if (topic === topics.loadResponse(thingId)) {
      const p = parsePayload('loadCompletion', payload, topic);
      if (!p.ok) return this.refuse(thingId, topic, p.error);
      if (p.value.error) this.options.log(`${thingId}: load of ${String(p.value.url)} failed: ${p.value.error.message}`);
      this.emit('loadCompletion', thingId, p.value);
    }
  }

  /** The error goes back where the Thing (and its shell) can see it; the report is dropped. */
  private refuse(thingId: string, topic: string, error: string): void {
    this.options.log(`refused a message from ${thingId}: ${error}`);
    const event = iapEvent('error', `the platform refused a message: ${error}`, 'platform', topic, { code: 'malformed' });
    this.mqtt.publish(topics.event(thingId, 'error'), JSON.stringify(event), { qos: 1, retain: false });
  }

  private merge(thingId: string, report: ThingStateReport): void {
    const prev = this.pending.get(thingId);
    this.pending.set(thingId, prev ? { ...prev, ...report } : report);
    this.schedule(this.options.flushMs ?? 100);
  }

  private schedule(ms: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, ms);
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending].map(([thingId, report]) => ({ thingId, report }));
    this.pending = new Map();
    if (batch.length === 0) return;
    try {
      // Reports of Things the store does not know (removed meanwhile, or not enrolled) are dropped.
      if (!this.known || batch.some((b) => !this.known!.has(b.thingId))) this.known = new Set((await this.store.listThings()).map((t) => t.thingId));
      const known = this.known;
      const kept = batch.filter((b) => known.has(b.thingId));
      if (kept.length) await this.store.reportThingStates(kept);
      this.emit('stored', kept.map((b) => b.thingId));
    } catch (e) {
      // Nothing is lost: the reports go back under any newer one that came meanwhile, and are tried again.
      this.options.log(`could not store ${batch.length} Thing reports (trying again in a second): ${(e as Error).message}`);
      // (The Things are read again first: one removed by another replica fails the whole batch.)
      this.known = undefined;
      if (this.draining) return;
      for (const b of batch) this.pending.set(b.thingId, { ...b.report, ...this.pending.get(b.thingId) });
      this.schedule(1000);
    }
  }

  /** A Thing was enrolled or removed. */
  thingsChanged(): void {
    this.known = undefined;
  }

  /** Writes what is pending now (on shutdown). */
  async drain(): Promise<void> {
    this.draining = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }
    await this.flushing;
  }
}
