/**
 * Status reports are retained on the broker, so one that never reached the platform can be read
 * again. A broker may drop messages on their way to a busy subscriber: mosquitto drops QoS 1
 * messages past a client's `max_queued_messages` (1000 by default), and the reports of a
 * 10,000-Thing rollout arrive in one burst (it lost ~2 % of them there). Every `everyMs`, the Things
 * whose desired revision has been past the one stored as reached for a whole period have their
 * status read again: a plain (not shared) subscription to their status topics brings the retained
 * reports, which go through the ingest like any other; it is dropped at once.
 *
 * With several replicas on one store, one does this for all: it holds the store's duty
 * `feedback-reconcile` (duty-queries.ts) and renews it at each look; when it dies, the duty lapses
 * after three periods and the next replica to look takes it over.
 */
import type { MqttClient } from 'mqtt';
import type { PlatformStore } from '../store';
import { topics } from '../protocol';

/** The store's name for this job: one replica holds it at a time. */
export const RECONCILE_DUTY = 'feedback-reconcile';

export interface ReconcileOptions {
  /** The replica's name in the store's duties (the one its rollout driver uses). */
  owner: string;
  /** How often to look (default 30 s). */
  everyMs?: number;
  /** At most this many Things re-read per look (default 1000). */
  batch?: number;
  log: (line: string) => void;
}

export class FeedbackReconciler {
  private timer: NodeJS.Timeout | undefined;
  /** Things seen behind at the last look. */
  private behindBefore = new Set<string>();
  private running: Promise<number> | undefined;

  constructor(
    private readonly store: PlatformStore,
    private readonly mqtt: MqttClient,
    private readonly options: ReconcileOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.look(), this.options.everyMs ?? 30_000);
    this.timer.unref();
  }

  /** Stops looking and gives the duty up, so another replica takes it at its next look. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.store.releaseDuty(RECONCILE_DUTY, this.options.owner).catch(() => undefined);
  }

  /** One look; resolves with how many Things had their status read again. */
  look(): Promise<number> {
    this.running ??= this.reread()
      .catch((e: Error) => {
        this.options.log(`could not read the Things' statuses again: ${e.message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async reread(): Promise<number> {
    const everyMs = this.options.everyMs ?? 30_000;
    if (!(await this.store.acquireDuty(RECONCILE_DUTY, this.options.owner, 3 * everyMs))) {
      // Another replica does it; what this one saw before is stale by the time it takes over.
      this.behindBefore.clear();
      return 0;
    }
    // The Things' rows carry their desired revision: no desired state (with its apps) is built here.
    const [things, states] = await Promise.all([this.store.listThings(), this.store.listThingStates()]);
    const reached = new Map(states.map((s) => [s.thingId, s.reachedRevision]));
    const behind = new Set(things.filter((t) => t.desiredRevision > 0 && (reached.get(t.thingId) ?? 0) < t.desiredRevision).map((t) => t.thingId));
    // Behind at two looks in a row: not a Thing still syncing (or, if it is, one more read is harmless).
    const reread = [...behind].filter((id) => this.behindBefore.has(id)).slice(0, this.options.batch ?? 1000);
    this.behindBefore = behind;
    if (reread.length === 0 || !this.mqtt.connected) return 0;
    const filters = reread.map((id) => topics.status(id));
    // The broker sends the retained reports in answer to the SUBSCRIBE, before it handles the UNSUBSCRIBE.
    await this.mqtt.subscribeAsync(filters, { qos: 1 });
    await this.mqtt.unsubscribeAsync(filters);
    return reread.length;
  }
}
