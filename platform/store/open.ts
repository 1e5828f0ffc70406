/**
 * Opens the platform store named by `--store`: a `postgres://` (or `postgresql://`) URL, or a
 * folder for the embedded SQLite store (the `--dir` of `smartplug up`). Either way the schema is
 * brought up to date first.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Database as WasmDatabase } from 'node-sqlite3-wasm';
import pg from 'pg';
import { lockFolder } from './embedded-lock';
import { migrate, type Database } from './schema';
import { SqlPlatformStore } from './sql-store';
import { WasmSqliteDatabase } from './sqlite-database';
import type { PlatformStore } from './types';

export interface OpenStoreOptions {
  clock?: () => number;
  /** PostgreSQL connections per store (default 10) */
  poolSize?: number;
  bundleCacheBytes?: number;
}

export const EMBEDDED_DB_FILE = 'platform.sqlite';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<PlatformStore> {
  return isPostgresUrl(location) ? openPostgres(location, options) : openEmbedded(location, options);
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<PlatformStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Times are int8 (ms); read them as numbers (pg returns int8 as strings by default, for safety
    // beyond 2^53, which ms timestamps never reach). Per pool, so other pg users are not affected.
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db, 'postgres');
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new SqlPlatformStore(db, 'postgres', { clock: options.clock, cacheRows: false, bundleCacheBytes: options.bundleCacheBytes });
}

async function openEmbedded(dir: string, options: OpenStoreOptions): Promise<PlatformStore> {
  mkdirSync(dir, { recursive: true });
  const file = path.resolve(dir, EMBEDDED_DB_FILE);
  const release = lockFolder(path.join(dir, 'store.lock'), [`${file}.lock`]);
  let db: Kysely<Database> | undefined;
  try {
    const wasm = new WasmSqliteDatabase(new WasmDatabase(file));
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: wasm }) });
    // One process owns the folder (store.lock), so SQLite may keep its lock for as long as the
    // store is open: node-sqlite3-wasm's VFS takes a lock by making a folder and drops it by
    // removing it, which on every statement cost more than the statements (a fleet's reads and
    // reports: seconds per thousand Things). With the lock held, WAL needs no shared memory, so a
    // commit appends to the log and syncs it once. Durability: synchronous = full syncs the log on
    // every commit, so an acknowledged write survives kill -9 and power loss.
    await sql`pragma locking_mode = exclusive`.execute(db);
    await sql`pragma journal_mode = wal`.execute(db);
    await sql`pragma synchronous = full`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
    await migrate(db, 'sqlite');
  } catch (e) {
    await db?.destroy();
    release();
    throw e;
  }
  return new SqlPlatformStore(db, 'sqlite', { clock: options.clock, cacheRows: true, bundleCacheBytes: options.bundleCacheBytes, onClose: release });
}
