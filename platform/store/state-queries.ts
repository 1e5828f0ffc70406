/**
 * What Things report: each Thing's connection, the revision it reached, its apps' status and why
 * its last sync failed. Many reports are stored in one transaction (a fleet reports at once).
 */
import type { Kysely } from 'kysely';
import { toThingState } from './rows';
import type { Backend, Database } from './schema';
import type { ThingState, ThingStateReport } from './types';

type Db = Kysely<Database>;

/** 7 parameters a row: well under PostgreSQL's 65,535 parameters a statement. */
const BLANK_ROWS_PER_INSERT = 1000;

export async function reportStates(
  db: Db,
  backend: Backend,
  now: number,
  reports: Array<{ thingId: string; report: ThingStateReport }>,
  /** throws not_found for a Thing that is not enrolled */
  requireThing: (trx: Db, thingId: string) => Promise<unknown>,
): Promise<ThingState[]> {
  // Rows are locked in Thing id order, so two replicas storing reports of the same Things at once
  // wait for each other instead of deadlocking (PostgreSQL would abort one of them).
  const ordered = [...reports].sort((x, y) => (x.thingId < y.thingId ? -1 : x.thingId > y.thingId ? 1 : 0));
  const states = await db.transaction().execute(async (trx) => {
    // A new Thing's first reports can reach two replicas at once (its connection at one, its status
    // at the other). With no row yet, FOR UPDATE would lock nothing, both would start from "nothing
    // reported" and the later write would drop the earlier's fields: the rows are made first (a
    // replica doing the same waits for this transaction), then locked and merged.
    for (let i = 0; i < ordered.length; i += BLANK_ROWS_PER_INSERT) {
      const blank = ordered.slice(i, i + BLANK_ROWS_PER_INSERT).map(({ thingId }) => ({ thing_id: thingId, connected: 0, connection_changed_at: now, reached_revision: 0, app_status: '{}', sync_error: null, updated_at: now }));
      await trx.insertInto('thing_states').values(blank).onConflict((oc) => oc.column('thing_id').doNothing()).execute();
    }
    const out = new Map<string, ThingState>();
    for (const { thingId, report } of ordered) {
      await requireThing(trx, thingId);
      const prev = await trx.selectFrom('thing_states').selectAll().where('thing_id', '=', thingId).$if(backend === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
      const next = merge(prev ? toThingState(prev) : { thingId, connected: false, connectionChangedAt: now, reachedRevision: 0, apps: {}, syncError: null, updatedAt: now }, report, now);
      const row = { thing_id: thingId, connected: next.connected ? 1 : 0, connection_changed_at: next.connectionChangedAt, reached_revision: next.reachedRevision, app_status: JSON.stringify(next.apps), sync_error: next.syncError ? JSON.stringify(next.syncError) : null, updated_at: now };
      await trx.insertInto('thing_states').values(row).onConflict((oc) => oc.column('thing_id').doUpdateSet(row)).execute();
      out.set(thingId, next);
    }
    return out;
  });
  return reports.map((r) => states.get(r.thingId)!);
}

/** A report applied to what is stored. */
function merge(before: ThingState, report: ThingStateReport, now: number): ThingState {
  const connected = report.connected ?? before.connected;
  // Replicas sharing a subscription can store one Thing's reports out of order: a status with
  // a lower revision reached than the stored one is older, and changes nothing of it.
  const stale = report.reachedRevision !== undefined && report.reachedRevision < before.reachedRevision;
  return {
    thingId: before.thingId,
    connected,
    connectionChangedAt: connected !== before.connected ? now : before.connectionChangedAt,
    reachedRevision: stale ? before.reachedRevision : (report.reachedRevision ?? before.reachedRevision),
    apps: stale ? before.apps : (report.apps ?? before.apps),
    syncError: !stale && report.syncError !== undefined ? report.syncError : before.syncError,
    updatedAt: now,
  };
}

export async function getState(db: Db, thingId: string): Promise<ThingState | null> {
  const r = await db.selectFrom('thing_states').selectAll().where('thing_id', '=', thingId).executeTakeFirst();
  return r ? toThingState(r) : null;
}

export async function listStates(db: Db, thingIds?: string[]): Promise<ThingState[]> {
  const rows = await db
    .selectFrom('thing_states')
    .selectAll()
    .$if(thingIds !== undefined, (q) => q.where('thing_id', 'in', thingIds!.length ? thingIds! : ['']))
    .orderBy('thing_id')
    .execute();
  return rows.map(toThingState);
}
