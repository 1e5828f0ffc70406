/** App instances on Things and Templates: what a Thing should run, and replacing an owner's list. */
import { StoreError } from './errors';
import { checkInstance, toInstance, type Row } from './rows';
import type { Database } from './schema';
import type { AppInstance, AppInstanceInput, DesiredState } from './types';
import { missingVersion, type Db } from './app-queries';

/** `everyThing`: the Things are all there are, so every assignment is read (no long IN list). */
export async function loadDesiredStates(db: Db, things: Array<Database['things']>, everyThing = false): Promise<DesiredState[]> {
  if (!things.length) return [];
  const templateIds = [...new Set(things.map((t) => t.template_id).filter((t): t is string => t !== null))];
  const rows = await db
    .selectFrom('assignments')
    .selectAll()
    .$if(!everyThing, (q) =>
      q.where((eb) =>
        eb.or([
          eb.and([eb('owner_kind', '=', 'thing'), eb('owner_id', 'in', things.map((t) => t.thing_id))]),
          ...(templateIds.length ? [eb.and([eb('owner_kind', '=', 'template'), eb('owner_id', 'in', templateIds)])] : []),
        ]),
      ),
    )
    .orderBy('position')
    .execute();
  const byOwner = new Map<string, Array<Row<'assignments'>>>();
  for (const r of rows) {
    const key = `${r.owner_kind}:${r.owner_id}`;
    byOwner.set(key, [...(byOwner.get(key) ?? []), r]);
  }
  return things.map((t) => ({
    thingId: t.thing_id,
    revision: Number(t.desired_revision),
    apps: [
      ...(t.template_id ? (byOwner.get(`template:${t.template_id}`) ?? []).map((r) => ({ ...toInstance(r), source: { kind: 'template' as const, templateId: t.template_id! } })) : []),
      ...(byOwner.get(`thing:${t.thing_id}`) ?? []).map((r) => ({ ...toInstance(r), source: { kind: 'thing' as const } })),
    ],
  }));
}

/** A Thing's inherited installations: by installation_id, the Template and the instance's name. */
export type Inherited = ReadonlyMap<number, { templateId: string; name: string }>;

export async function inheritedIds(trx: Db, templateId: string | null): Promise<Inherited> {
  if (templateId === null) return new Map();
  const rows = await trx.selectFrom('assignments').select(['installation_id', 'name']).where('owner_kind', '=', 'template').where('owner_id', '=', templateId).execute();
  return new Map(rows.map((r) => [Number(r.installation_id), { templateId, name: r.name }]));
}

/** An owner's own installations, in order. */
export async function ownAssignments(trx: Db, kind: 'thing' | 'template', ownerId: string): Promise<AppInstance[]> {
  return (await trx.selectFrom('assignments').selectAll().where('owner_kind', '=', kind).where('owner_id', '=', ownerId).orderBy('position').execute()).map(toInstance);
}

/** Replaces an owner's installations: kept ids are updated, missing ones deleted, new ones get an id. */
export async function replaceAssignments(trx: Db, kind: 'thing' | 'template', ownerId: string, apps: AppInstanceInput[], inherited: Inherited): Promise<void> {
  const owner = kind === 'thing' ? `Thing "${ownerId}"` : `Template "${ownerId}"`;
  apps.forEach((a, i) => checkInstance(owner, a, i));
  const existing = await trx.selectFrom('assignments').select('installation_id').where('owner_kind', '=', kind).where('owner_id', '=', ownerId).execute();
  const mine = new Set(existing.map((r) => Number(r.installation_id)));
  const seen = new Set<number>();
  for (const a of apps) {
    if (a.installation_id === undefined) continue;
    const from = inherited.get(a.installation_id);
    if (from) {
      throw new StoreError('conflict', `${owner}: installation ${a.installation_id} ("${a.name}") is inherited from Template "${from.templateId}"; change it in the Template, not on the Thing`);
    }
    if (!mine.has(a.installation_id)) throw new StoreError('not_found', `${owner} has no installation ${a.installation_id}; leave "installation_id" out to add a new app`);
    if (seen.has(a.installation_id)) throw new StoreError('bad_input', `${owner}: installation ${a.installation_id} is listed twice`);
    seen.add(a.installation_id);
  }
  for (const a of apps) await requireVersion(trx, a.app_id, a.version, owner);
  const gone = [...mine].filter((id) => !seen.has(id));
  if (gone.length) await trx.deleteFrom('assignments').where('installation_id', 'in', gone).execute();
  for (const [position, a] of apps.entries()) {
    const values = { owner_kind: kind, owner_id: ownerId, position, app_id: a.app_id, version: a.version, config: JSON.stringify(a.config), name: a.name };
    if (a.installation_id === undefined) await trx.insertInto('assignments').values(values).execute();
    else await trx.updateTable('assignments').set(values).where('installation_id', '=', a.installation_id).execute();
  }
}

export async function requireVersion(trx: Db, appId: number, version: string, owner: string): Promise<void> {
  const r = await trx.selectFrom('app_versions').select('version').where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();
  if (!r) {
    const e = await missingVersion(trx, appId, version);
    throw new StoreError('not_found', `${owner}: ${e.message}`);
  }
}
