/**
 * Staged rollouts: a plan goes out batch by batch, each Thing judged by its own acknowledgement
 * (its status reaching the desired revision with every app running, or a failed sync, or silence
 * past a timeout), and the rollout stops once failures pass its threshold. A Template rollout saves
 * the Template at once but holds back the desired state of every Thing not yet in a batch; when it
 * stops (failed or cancelled) the Template gets its previous apps back and every Thing returns to them.
 *
 * Any replica may drive a rollout: it does so under the store's lease, renewed every tick, so when
 * the replica driving it dies another takes over once the lease expires and goes on where it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { AppInstanceInput, DesiredState, PlatformStore, Rollout, RolloutThing } from '../store';
import { isStoreError } from '../store';
import { asInputs, bulkApps, desiredStatesOf, type RolloutPlan } from './plans';

/** What a rollout keeps in the store's `plan` column. */
export interface StoredPlan {
  plan: RolloutPlan;
  ackTimeoutMs: number;
  /** a Template plan: the Template before, restored if the rollout stops */
  previous?: { name: string; apps: AppInstanceInput[] };
}

export interface RolloutOptions {
  batchSize: number;
  failureThreshold: number;
  ackTimeoutMs: number;
  rolloutId?: string;
}

export interface DriverOptions {
  /** how often each replica looks at running rollouts (default 200 ms) */
  tickMs?: number;
  /** how long a lease lasts without renewal (default 5 s) */
  leaseMs?: number;
  log: (line: string) => void;
  /** a rollout's progress changed (a batch sent, Things judged, its end): tools are told (change notices) */
  changed?: (rolloutId: string, also?: { templateId: string }) => void;
}

export class RolloutDriver {
  private readonly held = new Set<string>();
  /** rollouts this replica drives now (on taking one over it publishes its sent Things again) */
  private readonly driving = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  readonly owner = `replica-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly store: PlatformStore,
    /** publishes desired states, holds or not */
    private readonly publish: (states: DesiredState[]) => Promise<void>,
    private readonly options: DriverOptions,
  ) {}

  async start(): Promise<void> {
    await this.refreshHolds();
    this.timer = setInterval(() => this.kick(), this.options.tickMs ?? 200);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    for (const id of this.driving) await this.store.releaseRolloutLease(id, this.owner).catch(() => undefined);
  }

  /** A Thing whose desired state a Template rollout still holds back. */
  isHeld(thingId: string): boolean {
    return this.held.has(thingId);
  }

  kick(): void {
    if (this.ticking) return;
    this.ticking = this.tick().finally(() => (this.ticking = undefined));
  }

  async create(plan: RolloutPlan, options: RolloutOptions): Promise<Rollout> {
    const rolloutId = options.rolloutId ?? `ro-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
    const stored: StoredPlan = { plan, ackTimeoutMs: options.ackTimeoutMs };
    let thingIds: string[];
    if (plan.kind === 'template') {
      const current = await this.store.getTemplate(plan.templateId);
      stored.previous = { name: current.name, apps: asInputs(current.apps) };
      thingIds = (await this.store.listThings({ templateId: plan.templateId })).map((t) => t.thingId).sort(naturalOrder);
    } else {
      thingIds = plan.thingIds;
      await desiredStatesOf(this.store, thingIds, `rollout "${rolloutId}"`);
    }
    // A Template rollout's Things are held before the save, so nothing here publishes the new apps
    // to a Thing ahead of its batch; the save commits with the rollout, so no replica drives a batch
    // of it before the Template has its new apps (it would publish their old desired state).
    if (plan.kind === 'template') for (const id of thingIds) this.held.add(id);
    let rollout: Rollout;
    try {
      rollout = await this.store.createRollout({
        rolloutId, plan: stored, batchSize: options.batchSize, failureThreshold: options.failureThreshold, thingIds,
        ...(plan.kind === 'template' ? { template: { templateId: plan.templateId, name: plan.name, apps: plan.apps } } : {}),
      });
    } catch (e) {
      await this.refreshHolds();
      throw e;
    }
    this.options.log(`rollout ${rolloutId}: ${thingIds.length} Things in batches of ${options.batchSize}, stopping past ${options.failureThreshold} failures`);
    this.kick();
    return rollout;
  }

  /** A user's cancel: the rollout stops where it is; a Template gets its previous apps back. */
  async cancel(rolloutId: string): Promise<void> {
    const r = await this.store.getRollout(rolloutId);
    if (r.state !== 'running' && r.state !== 'paused') return;
    await this.store.setRolloutState(rolloutId, 'cancelled');
    await this.revert(r);
  }

  private async tick(): Promise<void> {
    try {
      const all = await this.store.listRollouts();
      for (const r of all.filter((x) => x.state === 'running')) {
        if (!(await this.store.acquireRolloutLease(r.rolloutId, this.owner, this.options.leaseMs ?? 5000))) {
          this.driving.delete(r.rolloutId);
          continue;
        }
        try {
          await this.drive(r);
        } catch (e) {
          if (isStoreError(e, 'lease_lost')) this.driving.delete(r.rolloutId);
          else this.options.log(`rollout ${r.rolloutId}: ${(e as Error).message}`);
        }
      }
      await this.refreshHolds(all);
    } catch (e) {
      this.options.log(`rollouts: ${(e as Error).message}`);
    }
  }

  private async refreshHolds(all?: Rollout[]): Promise<void> {
    const rollouts = all ?? (await this.store.listRollouts());
    const held = new Set<string>();
    for (const r of rollouts) {
      if ((r.state !== 'running' && r.state !== 'paused') || (r.plan as StoredPlan).plan?.kind !== 'template' || r.counts.pending === 0) continue;
      for (const t of await this.store.rolloutThings(r.rolloutId, { status: 'pending' })) held.add(t.thingId);
    }
    this.held.clear();
    for (const id of held) this.held.add(id);
  }

  private async drive(r: Rollout): Promise<void> {
    const stored = r.plan as StoredPlan;
    let things = await this.store.rolloutThings(r.rolloutId);
    if (!this.driving.has(r.rolloutId)) {
      // Taken over (or first driven here): what was sent may never have been published.
      this.driving.add(r.rolloutId);
      const sent = things.filter((t) => t.status === 'sent').map((t) => t.thingId);
      if (sent.length) await this.publish(await this.store.listDesiredStates(sent));
    }
    const verdicts = await this.judge(things.filter((t) => t.status === 'sent'), stored.ackTimeoutMs);
    if (verdicts.length) {
      await this.store.recordRolloutThings(r.rolloutId, this.owner, verdicts);
      this.options.changed?.(r.rolloutId);
      const byId = new Map(verdicts.map((v) => [v.thingId, v]));
      things = things.map((t) => (byId.has(t.thingId) ? { ...t, status: byId.get(t.thingId)!.status, error: byId.get(t.thingId)!.error ?? null } : t));
    }
    const failed = things.filter((t) => t.status === 'failed');
    if (failed.length > r.failureThreshold) {
      await this.store.finishRollout(r.rolloutId, this.owner, 'failed');
      this.options.changed?.(r.rolloutId);
      this.options.log(`rollout ${r.rolloutId} stopped: ${failed.length} Things failed (threshold ${r.failureThreshold}); first: ${failed[0].thingId}: ${failed[0].error}`);
      await this.revert(r);
      return;
    }
    const open = things.filter((t) => t.status === 'pending' || t.status === 'sent');
    if (open.length === 0) {
      await this.store.finishRollout(r.rolloutId, this.owner, 'succeeded');
      this.options.changed?.(r.rolloutId);
      this.driving.delete(r.rolloutId);
      this.options.log(`rollout ${r.rolloutId} succeeded: ${things.length - failed.length} of ${things.length} Things`);
      return;
    }
    const batch = Math.min(...open.map((t) => t.batch));
    if (open.some((t) => t.batch === batch && t.status === 'sent')) return;
    const next = open.filter((t) => t.batch === batch).map((t) => t.thingId);
    let states = await this.store.listDesiredStates(next);
    if (stored.plan.kind === 'bulk') {
      const plan = stored.plan;
      // bulkApps is idempotent, so a batch applied again after a takeover changes nothing twice.
      states = await this.store.setManyThingApps(states.map((s) => ({ thingId: s.thingId, apps: bulkApps(s, plan) })));
    }
    await this.store.recordRolloutThings(r.rolloutId, this.owner, next.map((thingId) => ({ thingId, status: 'sent' })));
    this.options.changed?.(r.rolloutId);
    for (const id of next) this.held.delete(id);
    await this.publish(states);
  }

  /** Each sent Thing's acknowledgement, from what it reported since it was sent. */
  private async judge(sent: RolloutThing[], ackTimeoutMs: number): Promise<Array<{ thingId: string; status: 'succeeded' | 'failed'; error?: string }>> {
    if (sent.length === 0) return [];
    const ids = sent.map((t) => t.thingId);
    const [states, desired] = await Promise.all([this.store.listThingStates(ids), this.store.listDesiredStates(ids)]);
    const stateOf = new Map(states.map((s) => [s.thingId, s]));
    const desiredOf = new Map(desired.map((d) => [d.thingId, d]));
    const now = Date.now();
    const out: Array<{ thingId: string; status: 'succeeded' | 'failed'; error?: string }> = [];
    for (const t of sent) {
      const s = stateOf.get(t.thingId);
      const d = desiredOf.get(t.thingId);
      if (!d) {
        out.push({ thingId: t.thingId, status: 'failed', error: 'the Thing was removed' });
        continue;
      }
      const reached = s !== undefined && s.reachedRevision >= d.revision;
      const broken = reached ? d.apps.find((a) => s!.apps[String(a.installation_id)]?.state === 'failed') : undefined;
      const syncErrorSinceSent = s?.syncError && s.updatedAt >= t.updatedAt ? s.syncError : undefined;
      if (reached && !broken && d.apps.every((a) => s!.apps[String(a.installation_id)]?.state === 'running')) out.push({ thingId: t.thingId, status: 'succeeded' });
      else if (broken) out.push({ thingId: t.thingId, status: 'failed', error: `${broken.name}: ${(s!.apps[String(broken.installation_id)] as { error: string }).error}` });
      // A sync the agent tries again by itself (say, a download from a replica that died) is no verdict: its retry, or the timeout, is.
      else if (syncErrorSinceSent && !syncErrorSinceSent.retrying) out.push({ thingId: t.thingId, status: 'failed', error: syncErrorSinceSent.message });
      else if (now - t.updatedAt > ackTimeoutMs) {
        const last = syncErrorSinceSent ? `; its last try: ${syncErrorSinceSent.message}` : '';
        out.push({ thingId: t.thingId, status: 'failed', error: `no acknowledgement within ${Math.round(ackTimeoutMs / 1000)} s (${s?.connected ? 'connected' : 'offline'})${last}` });
      }
    }
    return out;
  }

  /** A stopped Template rollout: the Template's previous apps back, and every one of its Things told. */
  private async revert(r: Rollout): Promise<void> {
    const stored = r.plan as StoredPlan;
    this.driving.delete(r.rolloutId);
    if (stored.plan.kind !== 'template' || !stored.previous) return;
    const { thingIds } = await this.store.saveTemplate({ templateId: stored.plan.templateId, name: stored.previous.name, apps: stored.previous.apps });
    await this.refreshHolds();
    await this.publish(await this.store.listDesiredStates(thingIds));
    this.options.changed?.(r.rolloutId, { templateId: stored.plan.templateId });
    this.options.log(`rollout ${r.rolloutId}: Template ${stored.plan.templateId} has its previous apps again`);
  }
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
