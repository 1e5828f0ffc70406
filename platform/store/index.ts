/** The platform store: what the SmartPlug platform keeps, in an embedded SQLite folder or PostgreSQL. */
export { StoreError, isStoreError, type StoreErrorCode } from './errors';
export { openStore, isPostgresUrl, EMBEDDED_DB_FILE, type OpenStoreOptions } from './open';
export type * from './types';
