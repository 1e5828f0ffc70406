/** App Store queries shared by the store's methods: the latest version, the app row lock, what uses a version. */
import type { Kysely, Transaction } from 'kysely';
import { StoreError } from './errors';
import type { Row } from './rows';
import type { Backend, Database } from './schema';
import { compareVersions } from './versions';

export type Db = Kysely<Database> | Transaction<Database>;

export const VERSION_COLUMNS = ['app_id', 'version', 'sha256', 'size', 'script_names', 'created_at'] as const;

export function latestVersionRow(db: Db, appId: number) {
  return db
    .selectFrom('app_versions')
    .select(VERSION_COLUMNS)
    .where('app_id', '=', appId)
    .execute()
    .then((rows) => rows.sort((a, b) => compareVersions(b.version, a.version))[0]);
}

export async function lockApp(trx: Db, backend: Backend, appId: number): Promise<Row<'apps'>> {
  const app = await trx.selectFrom('apps').selectAll().where('app_id', '=', appId).$if(backend === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
  if (!app) throw new StoreError('not_found', `there is no app ${appId} in the App Store; list the apps to see their ids`);
  return app;
}

export async function refuseWhileAssigned(trx: Db, appId: number, version?: string): Promise<void> {
  const users = await trx
    .selectFrom('assignments')
    .select(['owner_kind', 'owner_id', 'version'])
    .where('app_id', '=', appId)
    .$if(version !== undefined, (q) => q.where('version', '=', version!))
    .limit(5)
    .execute();
  if (users.length) {
    const where = users.map((u) => `${u.owner_kind} "${u.owner_id}" (${u.version})`).join(', ');
    throw new StoreError('conflict', `app ${appId}${version ? ` version ${version}` : ''} is still provisioned on ${where}${users.length === 5 ? ' and more' : ''}: remove it there, or update them to another version, first`);
  }
}

export async function missingVersion(db: Db, appId: number, version: string): Promise<StoreError> {
  const app = await db.selectFrom('apps').select('name').where('app_id', '=', appId).executeTakeFirst();
  if (!app) return new StoreError('not_found', `there is no app ${appId} in the App Store; list the apps to see their ids`);
  const versions = (await db.selectFrom('app_versions').select('version').where('app_id', '=', appId).execute()).map((v) => v.version).sort(compareVersions);
  return new StoreError('not_found', `app "${app.name}" (${appId}) has no version ${version} in the App Store; ${versions.length ? `it has ${versions.join(', ')}` : 'it has no version left: deploy one'}`);
}
