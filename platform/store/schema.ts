/**
 * The tables of the platform store, as kysely sees them, and the versioned migrations that create
 * them. Migrations run at open through kysely's Migrator, which takes a lock (a row lock in
 * PostgreSQL) so two replicas opening one database at once apply each migration once.
 */
import { Kysely, Migrator, sql, type Generated, type Migration, type MigrationProvider } from 'kysely';
import { StoreError } from './errors';

export type Backend = 'sqlite' | 'postgres';

/** Times are ms since the epoch (int8 in PostgreSQL, read back as numbers). JSON is kept as text in both. */
export interface Database {
  apps: { app_id: Generated<number>; name: string; max_version: string; created_at: number };
  app_versions: { app_id: number; version: string; sha256: string; size: number; script_names: string; bundle: Uint8Array; created_at: number };
  templates: { template_id: string; name: string; revision: number; updated_at: number };
  things: { thing_id: string; model: string; template_id: string | null; broker_secret_hash: string; shell_secret_hash: string; desired_revision: number; enrolled_at: number };
  /** one installed app of a Thing (owner_kind 'thing') or of a Template ('template') */
  assignments: { installation_id: Generated<number>; owner_kind: 'thing' | 'template'; owner_id: string; position: number; app_id: number; version: string; config: string; name: string };
  thing_states: { thing_id: string; connected: number; connection_changed_at: number; reached_revision: number; app_status: string; updated_at: number; sync_error: string | null };
  rollouts: { rollout_id: string; plan: string; batch_size: number; failure_threshold: number; state: string; lease_owner: string | null; lease_expires_at: number; created_at: number; updated_at: number };
  rollout_things: { rollout_id: string; thing_id: string; batch: number; status: string; error: string | null; updated_at: number };
  tokens: { token_id: string; name: string; token_hash: string; scopes: string; created_at: number; revoked_at: number | null };
  /** a periodic job one replica does for all (duty-queries.ts), and who holds it until when */
  duties: { name: string; owner: string | null; expires_at: number };
}

function migrations(backend: Backend): Record<string, Migration> {
  // The only differences between the backends: how ids are generated, and the bytes type.
  const serial = backend === 'postgres' ? 'serial' : 'integer';
  const bytes = backend === 'postgres' ? 'bytea' : 'blob';
  const autoId = (c: import('kysely').ColumnDefinitionBuilder) => (backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    '001_platform': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('apps')
          .addColumn('app_id', serial, autoId)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('max_version', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('app_versions')
          .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.app_id'))
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('script_names', 'text', (c) => c.notNull())
          .addColumn('bundle', bytes, (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('app_versions_pk', ['app_id', 'version'])
          .execute();
        await db.schema
          .createTable('templates')
          .addColumn('template_id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('things')
          .addColumn('thing_id', 'text', (c) => c.primaryKey())
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('template_id', 'text', (c) => c.references('templates.template_id'))
          .addColumn('broker_secret_hash', 'text', (c) => c.notNull())
          .addColumn('shell_secret_hash', 'text', (c) => c.notNull())
          .addColumn('desired_revision', 'integer', (c) => c.notNull())
          .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('things_template').on('things').column('template_id').execute();
        await db.schema
          .createTable('assignments')
          .addColumn('installation_id', serial, autoId)
          .addColumn('owner_kind', 'text', (c) => c.notNull())
          .addColumn('owner_id', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('app_id', 'integer', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('config', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addForeignKeyConstraint('assignments_version', ['app_id', 'version'], 'app_versions', ['app_id', 'version'])
          .execute();
        await db.schema.createIndex('assignments_owner').on('assignments').columns(['owner_kind', 'owner_id']).execute();
        await db.schema.createIndex('assignments_app').on('assignments').columns(['app_id', 'version']).execute();
        await db.schema
          .createTable('thing_states')
          .addColumn('thing_id', 'text', (c) => c.primaryKey())
          .addColumn('connected', 'integer', (c) => c.notNull())
          .addColumn('connection_changed_at', 'bigint', (c) => c.notNull())
          .addColumn('reached_revision', 'integer', (c) => c.notNull())
          .addColumn('app_status', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('rollouts')
          .addColumn('rollout_id', 'text', (c) => c.primaryKey())
          .addColumn('plan', 'text', (c) => c.notNull())
          .addColumn('batch_size', 'integer', (c) => c.notNull())
          .addColumn('failure_threshold', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('rollout_things')
          .addColumn('rollout_id', 'text', (c) => c.notNull().references('rollouts.rollout_id'))
          .addColumn('thing_id', 'text', (c) => c.notNull())
          .addColumn('batch', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('rollout_things_pk', ['rollout_id', 'thing_id'])
          .execute();
        await db.schema
          .createTable('tokens')
          .addColumn('token_id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .execute();
      },
    },
    // Why a Thing's last Bundle Sync did not reach its revision (rollouts judge a Thing failed by it).
    '002_sync_error': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable('thing_states').addColumn('sync_error', 'text').execute();
      },
    },
    // Jobs that one replica does for all, each under a lease (duty-queries.ts).
    '003_duties': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('duties')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('owner', 'text')
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
  };
}

/** Brings the schema up to date (idempotent; safe when two replicas open one PostgreSQL at once). */
export async function migrate(db: Kysely<Database>, backend: Backend): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(backend) };
  if (backend === 'postgres') {
    // kysely's Migrator creates its own tables before it takes its lock: two replicas starting
    // together could both try. An advisory lock held for the whole migration serialises them.
    await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(7415001)`.execute(conn);
      try {
        await runMigrator(conn, provider);
      } finally {
        await sql`select pg_advisory_unlock(7415001)`.execute(conn);
      }
    });
  } else {
    await runMigrator(db, provider);
  }
}

async function runMigrator(db: Kysely<Database>, provider: MigrationProvider): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'the migrator itself';
    throw new StoreError('conflict', `the store's schema could not be brought up to date (${failed}): ${error instanceof Error ? error.message : String(error)}`);
  }
}
