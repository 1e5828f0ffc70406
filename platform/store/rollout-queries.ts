/**
 * Rollouts: a plan, its Things in batches, and a lease. The replica driving a rollout holds the
 * lease and renews it; when it dies the lease expires and another replica takes it. Writes of the
 * driver are fenced by the lease (checked in the same transaction), so a replica that lost it
 * (paused by GC, cut off) cannot overwrite its successor's progress.
 */
import type { Kysely } from 'kysely';
import { StoreError } from './errors';
import { requireText, toRollout, toRolloutThing } from './rows';
import type { Backend, Database } from './schema';
import type { Rollout, RolloutInput, RolloutState, RolloutThing, RolloutThingStatus } from './types';

type Db = Kysely<Database>;

const STATES: readonly RolloutState[] = ['running', 'paused', 'succeeded', 'failed', 'cancelled'];
const THING_STATUSES: readonly RolloutThingStatus[] = ['pending', 'sent', 'succeeded', 'failed'];

/** `alsoInTransaction`: a write that must commit with the rollout or not at all (a Template rollout's save). */
export async function createRollout(db: Db, now: number, input: RolloutInput, alsoInTransaction?: (trx: Db) => Promise<unknown>): Promise<Rollout> {
  const rolloutId = requireText('the rollout id', input.rolloutId, 'give the rollout an id');
  if (!Number.isInteger(input.batchSize) || input.batchSize < 1) throw new StoreError('bad_input', `rollout "${rolloutId}": batchSize must be a whole number of at least 1; got ${JSON.stringify(input.batchSize)}`);
  if (!Number.isInteger(input.failureThreshold) || input.failureThreshold < 0) throw new StoreError('bad_input', `rollout "${rolloutId}": failureThreshold must be a whole number of at least 0; got ${JSON.stringify(input.failureThreshold)}`);
  if (!Array.isArray(input.thingIds) || new Set(input.thingIds).size !== input.thingIds.length) throw new StoreError('bad_input', `rollout "${rolloutId}": thingIds must be a list of distinct Thing ids`);
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('rollouts')
      .values({ rollout_id: rolloutId, plan: JSON.stringify(input.plan ?? null), batch_size: input.batchSize, failure_threshold: input.failureThreshold, state: 'running', lease_owner: null, lease_expires_at: 0, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('rollout_id').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) throw new StoreError('conflict', `rollout "${rolloutId}" already exists; give the new one another id`);
    // Rows in chunks: both backends cap the parameters of one statement.
    const rows = input.thingIds.map((thingId, i) => ({ rollout_id: rolloutId, thing_id: thingId, batch: Math.floor(i / input.batchSize), status: 'pending', error: null, updated_at: now }));
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('rollout_things').values(rows.slice(i, i + 500)).execute();
    await alsoInTransaction?.(trx);
  });
  return getRollout(db, rolloutId);
}

export async function getRollout(db: Db, rolloutId: string): Promise<Rollout> {
  const r = await db.selectFrom('rollouts').selectAll().where('rollout_id', '=', rolloutId).executeTakeFirst();
  if (!r) throw new StoreError('not_found', `there is no rollout "${rolloutId}"; list the rollouts to see their ids`);
  return toRollout(r, await counts(db, rolloutId));
}

export async function listRollouts(db: Db, filter?: { state?: RolloutState }): Promise<Rollout[]> {
  const rows = await db
    .selectFrom('rollouts')
    .selectAll()
    .$if(filter?.state !== undefined, (q) => q.where('state', '=', filter!.state!))
    .orderBy('created_at')
    .execute();
  return Promise.all(rows.map(async (r) => toRollout(r, await counts(db, r.rollout_id))));
}

export async function rolloutThings(db: Db, rolloutId: string, filter?: { batch?: number; status?: RolloutThingStatus }): Promise<RolloutThing[]> {
  const rows = await db
    .selectFrom('rollout_things')
    .selectAll()
    .where('rollout_id', '=', rolloutId)
    .$if(filter?.batch !== undefined, (q) => q.where('batch', '=', filter!.batch!))
    .$if(filter?.status !== undefined, (q) => q.where('status', '=', filter!.status!))
    .orderBy('batch')
    .orderBy('thing_id')
    .execute();
  if (!rows.length) await getRollout(db, rolloutId); // not_found for an unknown rollout
  return rows.map(toRolloutThing);
}

export async function acquireLease(db: Db, now: number, rolloutId: string, owner: string, ttlMs: number): Promise<boolean> {
  requireText('the lease owner', owner, 'name the replica');
  // One conditional UPDATE: atomic in both backends, so two replicas cannot both take it.
  const r = await db
    .updateTable('rollouts')
    .set({ lease_owner: owner, lease_expires_at: now + ttlMs, updated_at: now })
    .where('rollout_id', '=', rolloutId)
    .where('state', '=', 'running')
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_expires_at', '<=', now)]))
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return true;
  await getRollout(db, rolloutId); // not_found for an unknown rollout
  return false;
}

export async function releaseLease(db: Db, rolloutId: string, owner: string): Promise<void> {
  await db.updateTable('rollouts').set({ lease_owner: null, lease_expires_at: 0 }).where('rollout_id', '=', rolloutId).where('lease_owner', '=', owner).execute();
}

export interface RolloutThingUpdate {
  thingId: string;
  status: RolloutThingStatus;
  error?: string | null;
}

/** Many Things' statuses in one transaction (one synced commit), fenced by the lease. All or none. */
export async function recordThings(db: Db, backend: Backend, now: number, rolloutId: string, owner: string, updates: readonly RolloutThingUpdate[]): Promise<void> {
  for (const u of updates) if (!THING_STATUSES.includes(u.status)) throw new StoreError('bad_input', `rollout "${rolloutId}": "${u.status}" is not a Thing status; use one of ${THING_STATUSES.join(', ')}`);
  await db.transaction().execute(async (trx) => {
    await checkLease(trx, backend, now, rolloutId, owner);
    for (const u of updates) {
      const r = await trx.updateTable('rollout_things').set({ status: u.status, error: u.error ?? null, updated_at: now }).where('rollout_id', '=', rolloutId).where('thing_id', '=', u.thingId).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw new StoreError('not_found', `rollout "${rolloutId}" has no Thing "${u.thingId}"`);
    }
  });
}

export async function finish(db: Db, backend: Backend, now: number, rolloutId: string, owner: string, state: Exclude<RolloutState, 'running'>): Promise<void> {
  if (!STATES.includes(state) || state === ('running' as RolloutState)) throw new StoreError('bad_input', `rollout "${rolloutId}": "${state}" is not a final state; use one of ${STATES.filter((s) => s !== 'running').join(', ')}`);
  await db.transaction().execute(async (trx) => {
    await checkLease(trx, backend, now, rolloutId, owner);
    await trx.updateTable('rollouts').set({ state, lease_owner: null, lease_expires_at: 0, updated_at: now }).where('rollout_id', '=', rolloutId).execute();
  });
}

export async function setState(db: Db, now: number, rolloutId: string, state: RolloutState): Promise<void> {
  if (!STATES.includes(state)) throw new StoreError('bad_input', `rollout "${rolloutId}": "${state}" is not a rollout state; use one of ${STATES.join(', ')}`);
  const r = await db.updateTable('rollouts').set({ state, updated_at: now }).where('rollout_id', '=', rolloutId).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new StoreError('not_found', `there is no rollout "${rolloutId}"`);
}

/** Throws lease_lost unless `owner` holds an unexpired lease (PostgreSQL: the row stays locked until commit). */
async function checkLease(trx: Db, backend: Backend, now: number, rolloutId: string, owner: string): Promise<void> {
  const r = await trx.selectFrom('rollouts').select(['lease_owner', 'lease_expires_at']).where('rollout_id', '=', rolloutId).$if(backend === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
  if (!r) throw new StoreError('not_found', `there is no rollout "${rolloutId}"`);
  if (r.lease_owner !== owner || Number(r.lease_expires_at) <= now) {
    throw new StoreError('lease_lost', `rollout "${rolloutId}" is not leased to "${owner}"${r.lease_owner ? ` (held by "${r.lease_owner}")` : ''}: acquire the lease before driving it`);
  }
}

async function counts(db: Db, rolloutId: string): Promise<Record<RolloutThingStatus, number>> {
  const rows = await db.selectFrom('rollout_things').select((eb) => ['status', eb.fn.countAll().as('n')]).where('rollout_id', '=', rolloutId).groupBy('status').execute();
  const out: Record<RolloutThingStatus, number> = { pending: 0, sent: 0, succeeded: 0, failed: 0 };
  for (const r of rows) out[r.status as RolloutThingStatus] = Number(r.n);
  return out;
}
