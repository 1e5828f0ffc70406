/**
 * Duties: periodic jobs that one platform replica does for all (reading the statuses of Things that
 * fell behind again, say). Replicas are stateless and equal, so the one doing a duty holds it under
 * a lease it renews each time it does it; when that replica dies, the lease runs out and the next
 * replica to look takes the duty over. The same conditional-UPDATE lease as rollouts use.
 */
import type { Kysely } from 'kysely';
import { requireText } from './rows';
import type { Database } from './schema';

type Db = Kysely<Database>;

/** Takes or renews duty `name` for `owner` until now + ttlMs; false while another holds it. */
export async function acquireDuty(db: Db, now: number, name: string, owner: string, ttlMs: number): Promise<boolean> {
  requireText('the duty', name, 'name the duty');
  requireText('the duty owner', owner, 'name the replica');
  // The row exists once any replica has looked; inserting it is a no-op after that.
  await db.insertInto('duties').values({ name, owner: null, expires_at: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  // One conditional UPDATE: atomic in both backends, so two replicas cannot both take it.
  const r = await db
    .updateTable('duties')
    .set({ owner, expires_at: now + ttlMs })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('owner', 'is', null), eb('owner', '=', owner), eb('expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives duty `name` up, if `owner` holds it (a replica shutting down: the next one need not wait). */
export async function releaseDuty(db: Db, name: string, owner: string): Promise<void> {
  await db.updateTable('duties').set({ owner: null, expires_at: 0 }).where('name', '=', name).where('owner', '=', owner).execute();
}

/** Who holds duty `name` now (null: no one, or the lease ran out). */
export async function dutyHolder(db: Db, now: number, name: string): Promise<string | null> {
  const r = await db.selectFrom('duties').select(['owner', 'expires_at']).where('name', '=', name).executeTakeFirst();
  return r?.owner && Number(r.expires_at) > now ? r.owner : null;
}
