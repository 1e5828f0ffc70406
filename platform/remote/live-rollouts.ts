/**
 * The platform's staged rollouts as the IDE follows them: the list (GET /api/rollouts), and each
 * Thing's acknowledgement of the rollouts still under way or looked at (GET /api/rollouts/:id).
 * The platform announces a rollout on its change notices as it goes (a batch sent, Things judged,
 * its end), so nothing is polled. Part of LivePlatform, which routes the notices here.
 */
import type { Rollout, RolloutThing } from '../protocol/api-types';
import type { PlatformApi } from './platform-api';

export type RolloutDetail = Rollout & { things: RolloutThing[] };

/** What a rollout does, as its stored plan says (the service keeps `{plan, ackTimeoutMs, previous?}`). */
export type RolloutPlanSummary =
  | { kind: 'template'; templateId: string }
  | { kind: 'bulk'; action: string; thingIds: number; app: string | undefined }
  | { kind: 'unknown' };

export function planOf(r: Rollout): RolloutPlanSummary {
  const plan = (r.plan as { plan?: Record<string, unknown> } | null)?.plan;
  if (plan?.kind === 'template' && typeof plan.templateId === 'string') return { kind: 'template', templateId: plan.templateId };
  if (plan?.kind === 'bulk') {
    const app = (plan.app as { name?: string } | undefined)?.name ?? (typeof plan.app_id === 'number' ? `app ${plan.app_id}` : undefined);
    return { kind: 'bulk', action: String(plan.action), thingIds: Array.isArray(plan.thingIds) ? plan.thingIds.length : 0, app };
  }
  return { kind: 'unknown' };
}

export const isActive = (r: Rollout): boolean => r.state === 'running' || r.state === 'paused';

/** A rollout's batches: for each, its Things in rollout order. */
export function batchesOf(detail: RolloutDetail): RolloutThing[][] {
  const batches: RolloutThing[][] = [];
  for (const t of detail.things) (batches[t.batch] ??= []).push(t);
  return batches.filter(Boolean);
}

/** The batch a rollout is at: the first with a Thing not yet judged (the last when all are). */
export function currentBatch(detail: RolloutDetail): number {
  const open = detail.things.filter((t) => t.status === 'pending' || t.status === 'sent');
  return open.length ? Math.min(...open.map((t) => t.batch)) : Math.max(0, ...detail.things.map((t) => t.batch));
}

export class LiveRollouts {
  private list: Rollout[] = [];
  private readonly details = new Map<string, RolloutDetail>();
  /** rollouts whose detail is kept current although they ended (someone looks at them) */
  private readonly watched = new Set<string>();
  private reading: { running: Promise<void>; again: Set<string> | 'all' } | undefined;

  constructor(
    private readonly api: PlatformApi,
    /** these rollouts changed (undefined: the list did) */
    private readonly changed: (ids: string[] | undefined) => void,
  ) {}

  /** Newest first. */
  get all(): readonly Rollout[] {
    return this.list;
  }

  detail(rolloutId: string): RolloutDetail | undefined {
    return this.details.get(rolloutId);
  }

  /** Reads a rollout's Things now and keeps them current from here on. */
  async watch(rolloutId: string): Promise<RolloutDetail> {
    this.watched.add(rolloutId);
    const detail = await this.api.rollout(rolloutId);
    this.details.set(rolloutId, detail);
    return detail;
  }

  /** A notice: these rollouts changed (an empty list: any may have). */
  noticed(ids: string[]): Promise<void> {
    return this.read(ids.length ? ids : 'all');
  }

  /** Reads the list, and the detail of every rollout under way or watched. */
  readAll(): Promise<void> {
    return this.read('all');
  }

  /** One read at a time; what is noticed meanwhile is read once it ends. */
  private read(ids: string[] | 'all'): Promise<void> {
    if (this.reading) {
      if (ids === 'all') this.reading.again = 'all';
      else if (this.reading.again !== 'all') for (const id of ids) this.reading.again.add(id);
      return this.reading.running;
    }
    const entry = { running: Promise.resolve(), again: new Set<string>() as Set<string> | 'all' };
    entry.running = (async () => {
      try {
        let next: string[] | 'all' | undefined = ids;
        while (next) {
          entry.again = new Set<string>();
          await this.readOnce(next);
          // (read through the entry: a notice during readOnce replaced or filled it)
          const again = entry.again as Set<string> | 'all';
          next = again === 'all' ? 'all' : again.size ? [...again] : undefined;
        }
      } finally {
        this.reading = undefined;
      }
    })();
    this.reading = entry;
    return entry.running;
  }

  private async readOnce(ids: string[] | 'all'): Promise<void> {
    this.list = (await this.api.rollouts()).sort((a, b) => b.createdAt - a.createdAt);
    const known = new Set(this.list.map((r) => r.rolloutId));
    for (const id of this.details.keys()) if (!known.has(id)) this.details.delete(id);
    const wanted = this.list.filter((r) => (ids === 'all' || ids.includes(r.rolloutId)) && (isActive(r) || this.watched.has(r.rolloutId) || (this.details.has(r.rolloutId) && this.details.get(r.rolloutId)!.state !== r.state)));
    await Promise.all(wanted.map(async (r) => this.details.set(r.rolloutId, await this.api.rollout(r.rolloutId))));
    this.changed(ids === 'all' ? undefined : ids);
  }
}
