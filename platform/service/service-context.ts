/** What every route of the platform service shares. */
import type { PlatformStore, AppInstanceInput, DesiredState } from '../store';
import type { BrokerAccounts } from '../broker/broker-accounts';
import type { Authenticator } from './auth';
import type { DesiredStates } from './desired-states';
import { HttpError } from './http-kit';
import { readBundle } from '../bundle';
import { checkConfig } from '../../runtime/app/check-config';
import { applyDefaults } from '../../runtime/app/config-object';
import type { AppJson } from '../../runtime/app/app-json-types';

export interface ServiceContext {
  store: PlatformStore;
  auth: Authenticator;
  desired: DesiredStates;
  /** Publishes these desired states (retained) so their Things sync. */
  provision(states: DesiredState[]): Promise<void>;
  /** Clears a removed Thing's retained desired state. */
  unprovision(thingId: string): Promise<void>;
  thingsChanged(): void;
  /** the broker's accounts, when the platform manages them (see broker-accounts.ts) */
  brokerAccounts?: BrokerAccounts;
  log(line: string): void;
}

/**
 * An app instance from a request body: seed 003's object. `version` defaults to the app's latest,
 * `name` to the app's name, `config` to {}.
 */
export async function instanceInput(store: PlatformStore, raw: unknown, where: string): Promise<AppInstanceInput> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'bad_input', `${where}: an app instance is an object {app_id, version?, config?, name?}`);
  const o = raw as Record<string, unknown>;
  const known = new Set(['app_id', 'installation_id', 'version', 'config', 'name']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new HttpError(400, 'bad_input', `${where}: unknown property "${k}" (an app instance has app_id, installation_id, version, config and name)`);
  if (!Number.isInteger(o.app_id)) throw new HttpError(400, 'bad_input', `${where}: "app_id" must be the app's id (a number; GET /api/apps lists them)`);
  const appId = o.app_id as number;
  if (o.installation_id !== undefined && !Number.isInteger(o.installation_id)) throw new HttpError(400, 'bad_input', `${where}: "installation_id" must be a number, or left out for a new installation`);
  if (o.version !== undefined && typeof o.version !== 'string') throw new HttpError(400, 'bad_input', `${where}: "version" must be a string such as "1.2.0"`);
  if (o.config !== undefined && (typeof o.config !== 'object' || o.config === null || Array.isArray(o.config))) throw new HttpError(400, 'bad_input', `${where}: "config" must be the app's config object (seed 003)`);
  if (o.name !== undefined && typeof o.name !== 'string') throw new HttpError(400, 'bad_input', `${where}: "name" must be a string`);
  const app = await store.getApp(appId);
  const version = (o.version as string | undefined) ?? (await store.latestAppVersion(appId)).version;
  const stored = await store.getAppVersion(appId, version);
  const config = (o.config as Record<string, unknown> | undefined) ?? {};
  // Refused here rather than failing on every Thing: what the config lacks or gets wrong, with the
  // runtime's own rules. (Which devices a selector names depends on each Thing; its Thing checks that.)
  const appJson = await appJsonOf(store, appId, version, stored.sha256);
  const problems = checkConfig(appJson, applyDefaults(appJson, config)).filter((p) => p.severity === 'error');
  if (problems.length) {
    const list = problems.map((p) => `${p.path.length ? p.path.join('.') : '(config)'}: ${p.message}${p.fix ? ` Fix: ${p.fix}` : ''}`).join('; ');
    throw new HttpError(400, 'bad_config', `${where}: the config does not fit ${app.name} ${version}'s app.json: ${list}`);
  }
  return {
    app_id: appId, version, config, name: (o.name as string | undefined) ?? app.name,
    ...(o.installation_id !== undefined ? { installation_id: o.installation_id as number } : {}),
  };
}

/** Each bundle's app.json, read once, by the bundle's SHA-256 (content-addressed: any store, any replica). */
const appJsons = new Map<string, Promise<AppJson>>();

function appJsonOf(store: PlatformStore, appId: number, version: string, sha256: string): Promise<AppJson> {
  let found = appJsons.get(sha256);
  if (!found) {
    found = store.readBundle(appId, version).then(async ({ bytes }) => (await readBundle(bytes, { label: `app ${appId} ${version}`, expectedSha256: sha256 })).appJson);
    found.catch(() => appJsons.delete(sha256));
    appJsons.set(sha256, found);
  }
  return found;
}

export async function instanceList(store: PlatformStore, raw: unknown, where: string): Promise<AppInstanceInput[]> {
  if (!Array.isArray(raw)) throw new HttpError(400, 'bad_input', `${where}: "apps" must be an array of app instances`);
  const out: AppInstanceInput[] = [];
  for (let i = 0; i < raw.length; i++) out.push(await instanceInput(store, raw[i], `${where} apps[${i}]`));
  return out;
}
