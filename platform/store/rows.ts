/** Rows to records, and checks of what callers pass in (shared by every query module of the store). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import { StoreError } from './errors';
import type { Database } from './schema';
import type { ApiToken, App, AppInstance, AppInstanceInput, AppRunStatus, SyncError, AppVersion, Rollout, RolloutState, RolloutThing, RolloutThingStatus, Thing, ThingState } from './types';

export type Row<T extends keyof Database> = Selectable<Database[T]>;

export function toApp(r: Row<'apps'>): App {
  return { appId: Number(r.app_id), name: r.name, latestVersion: r.max_version, createdAt: Number(r.created_at) };
}

export function toAppVersion(r: Omit<Row<'app_versions'>, 'bundle'>): AppVersion {
  return { appId: Number(r.app_id), version: r.version, sha256: r.sha256, size: Number(r.size), scriptNames: JSON.parse(r.script_names) as string[], createdAt: Number(r.created_at) };
}

export function toThing(r: Row<'things'>): Thing {
  return { thingId: r.thing_id, model: r.model, templateId: r.template_id, desiredRevision: Number(r.desired_revision), enrolledAt: Number(r.enrolled_at) };
}

export function toInstance(r: Row<'assignments'>): AppInstance {
  return { app_id: Number(r.app_id), installation_id: Number(r.installation_id), version: r.version, config: JSON.parse(r.config) as Record<string, unknown>, name: r.name };
}

export function toThingState(r: Row<'thing_states'>): ThingState {
  return {
    thingId: r.thing_id,
    connected: Number(r.connected) === 1,
    connectionChangedAt: Number(r.connection_changed_at),
    reachedRevision: Number(r.reached_revision),
    apps: JSON.parse(r.app_status) as Record<string, AppRunStatus>,
    syncError: r.sync_error ? (JSON.parse(r.sync_error) as SyncError) : null,
    updatedAt: Number(r.updated_at),
  };
}

export function toRollout(r: Row<'rollouts'>, counts: Record<RolloutThingStatus, number>): Rollout {
  return {
    rolloutId: r.rollout_id,
    plan: JSON.parse(r.plan) as unknown,
    batchSize: Number(r.batch_size),
    failureThreshold: Number(r.failure_threshold),
    state: r.state as RolloutState,
    lease: r.lease_owner === null ? null : { owner: r.lease_owner, expiresAt: Number(r.lease_expires_at) },
    counts,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toRolloutThing(r: Row<'rollout_things'>): RolloutThing {
  return { thingId: r.thing_id, batch: Number(r.batch), status: r.status as RolloutThingStatus, error: r.error, updatedAt: Number(r.updated_at) };
}

export function toToken(r: Row<'tokens'>): ApiToken {
  return { tokenId: r.token_id, name: r.name, scopes: JSON.parse(r.scopes) as string[], createdAt: Number(r.created_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at) };
}

/** Secrets are random (32 bytes), so a plain SHA-256 is enough, and fast enough to check on every connect. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function requireText(what: string, value: unknown, fix: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new StoreError('bad_input', `${what} must be a non-empty string; got ${JSON.stringify(value)}: ${fix}`);
  return value;
}

export function checkInstance(owner: string, a: AppInstanceInput, index: number): void {
  const at = `${owner}, app ${index + 1}`;
  if (!Number.isInteger(a.app_id)) throw new StoreError('bad_input', `${at}: "app_id" must be a whole number; got ${JSON.stringify(a.app_id)}`);
  if (a.installation_id !== undefined && !Number.isInteger(a.installation_id)) throw new StoreError('bad_input', `${at}: "installation_id" must be a whole number or left out; got ${JSON.stringify(a.installation_id)}`);
  if (typeof a.version !== 'string') throw new StoreError('bad_input', `${at}: "version" must be a string such as "1.0.0"`);
  if (typeof a.config !== 'object' || a.config === null || Array.isArray(a.config)) throw new StoreError('bad_input', `${at}: "config" must be an object (seed 003's config result); got ${JSON.stringify(a.config)}`);
  requireText(`${at}: "name"`, a.name, 'give the instance a name');
}
