/**
 * The platform store over kysely: one set of queries for both backends. The few differences
 * (row locks, which only PostgreSQL needs since SQLite has one writer) are marked where they are.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { latestVersionRow, lockApp, missingVersion, refuseWhileAssigned, VERSION_COLUMNS, type Db } from './app-queries';
import { inheritedIds, loadDesiredStates, ownAssignments, replaceAssignments, type Inherited } from './assignment-queries';
import { StoreError } from './errors';
import { BundleCache, ReadCache } from './read-cache';
import * as duties from './duty-queries';
import * as rollouts from './rollout-queries';
import * as states from './state-queries';
import * as tokens from './token-queries';
import { hashSecret, newSecret, requireText, secretMatches, toApp, toAppVersion, toInstance, toThing } from './rows';
import type { Backend, Database } from './schema';
import type { ApiToken, App, AppInstance, AppInstanceInput, AppVersion, DeployInput, DesiredState, EnrollInput, PlatformStore, Rollout, RolloutInput, RolloutState, RolloutThing, RolloutThingStatus, Template, TemplateInput, Thing, ThingSecrets, ThingState, ThingStateReport } from './types';
import { checkNoRenamedScript, checkVersion, checkVersionAbove, compareVersions } from './versions';

export interface SqlStoreOptions {
  /** ms since the epoch; tests move it to expire leases */
  clock?: () => number;
  /** cache rows (only when this process is the one writer) */
  cacheRows: boolean;
  /** most bundle bytes kept in memory */
  bundleCacheBytes?: number;
  /** called once the store is closed (releases the embedded folder's lock) */
  onClose?: () => void;
}

export class SqlPlatformStore implements PlatformStore {
  private readonly now: () => number;
  private readonly cache: ReadCache;
  private readonly bundles: BundleCache;

  constructor(
    private readonly db: Kysely<Database>,
    readonly backend: Backend,
    private readonly options: SqlStoreOptions,
  ) {
    this.now = options.clock ?? Date.now;
    this.cache = new ReadCache(options.cacheRows);
    this.bundles = new BundleCache(options.bundleCacheBytes ?? 64 * 1024 * 1024);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    this.options.onClose?.();
  }

  // ---- App Store ----

  async deployAppVersion(input: DeployInput): Promise<AppVersion> {
    const name = requireText('the app name', input.name, 'set "name" in app.json');
    const version = checkVersion(input.version);
    if (!(input.bundle instanceof Uint8Array) || input.bundle.length === 0) throw new StoreError('bad_input', `app "${name}" ${version}: the bundle is empty; deploy the app folder's zip`);
    if (!Array.isArray(input.scriptNames) || input.scriptNames.some((s) => typeof s !== 'string' || s === '')) throw new StoreError('bad_input', `app "${name}" ${version}: scriptNames must be a list of script file names`);
    const bundle = Buffer.from(input.bundle.buffer, input.bundle.byteOffset, input.bundle.byteLength);
    const sha256 = createHash('sha256').update(bundle).digest('hex');
    const now = this.now();
    const row = await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('apps').values({ name, max_version: '0.0.0', created_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
      // PostgreSQL: the app row is locked, so two replicas deploying one app take turns.
      const app = await trx.selectFrom('apps').selectAll().where('name', '=', name).$if(this.backend === 'postgres', (q) => q.forUpdate()).executeTakeFirstOrThrow();
      if (app.max_version !== '0.0.0') checkVersionAbove(name, version, app.max_version);
      const latest = await latestVersionRow(trx, app.app_id);
      if (latest) checkNoRenamedScript(name, latest.version, JSON.parse(latest.script_names) as string[], input.scriptNames);
      const values = { app_id: app.app_id, version, sha256, size: bundle.length, script_names: JSON.stringify(input.scriptNames), bundle, created_at: now };
      await trx.insertInto('app_versions').values(values).execute();
      await trx.updateTable('apps').set({ max_version: version }).where('app_id', '=', app.app_id).execute();
      return values;
    });
    this.cache.clear('apps');
    this.bundles.set(sha256, bundle);
    return toAppVersion(row);
  }

  async listApps(): Promise<Array<App & { versions: AppVersion[] }>> {
    const apps = await this.db.selectFrom('apps').selectAll().orderBy('name').execute();
    const versions = await this.db.selectFrom('app_versions').select(VERSION_COLUMNS).execute();
    return apps.map((a) => ({
      ...toApp(a),
      versions: versions
        .filter((v) => Number(v.app_id) === Number(a.app_id))
        .map(toAppVersion)
        .sort((x, y) => compareVersions(x.version, y.version)),
    }));
  }

  getApp(appId: number): Promise<App> {
    return this.cache.get('apps', `app:${appId}`, async () => {
      const r = await this.db.selectFrom('apps').selectAll().where('app_id', '=', appId).executeTakeFirst();
      if (!r) throw new StoreError('not_found', `there is no app ${appId} in the App Store; list the apps to see their ids`);
      return toApp(r);
    });
  }

  async findAppByName(name: string): Promise<App | null> {
    const r = await this.db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toApp(r) : null;
  }

  getAppVersion(appId: number, version: string): Promise<AppVersion> {
    return this.cache.get('apps', `version:${appId}@${version}`, async () => {
      const r = await this.db.selectFrom('app_versions').select(VERSION_COLUMNS).where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();
      if (!r) throw await missingVersion(this.db, appId, version);
      return toAppVersion(r);
    });
  }

  latestAppVersion(appId: number): Promise<AppVersion> {
    return this.cache.get('apps', `latest:${appId}`, async () => {
      const r = await latestVersionRow(this.db, appId);
      if (!r) {
        const app = await this.getApp(appId);
        throw new StoreError('not_found', `app "${app.name}" has no version left in the App Store; deploy one`);
      }
      return toAppVersion(r);
    });
  }

  async readBundle(appId: number, version: string): Promise<{ version: AppVersion; bytes: Buffer }> {
    const info = await this.getAppVersion(appId, version);
    let bytes = this.bundles.get(info.sha256);
    if (!bytes) {
      const r = await this.db.selectFrom('app_versions').select('bundle').where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();
      if (!r) throw await missingVersion(this.db, appId, version);
      bytes = Buffer.from(r.bundle.buffer, r.bundle.byteOffset, r.bundle.byteLength);
      this.bundles.set(info.sha256, bytes);
    }
    return { version: info, bytes };
  }

  async removeAppVersion(appId: number, version: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockApp(trx, this.backend, appId);
      await refuseWhileAssigned(trx, appId, version);
      const r = await trx.deleteFrom('app_versions').where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw await missingVersion(trx, appId, version);
    });
    this.cache.clear('apps');
  }

  async removeApp(appId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockApp(trx, this.backend, appId);
      await refuseWhileAssigned(trx, appId);
      await trx.deleteFrom('app_versions').where('app_id', '=', appId).execute();
      await trx.deleteFrom('apps').where('app_id', '=', appId).execute();
    });
    this.cache.clear('apps');
  }





  // ---- Templates ----

  async saveTemplate(input: TemplateInput): Promise<{ template: Template; thingIds: string[] }> {
    const checked = checkTemplate(input);
    const now = this.now();
    const thingIds = await this.db.transaction().execute((trx) => writeTemplate(trx, checked, now));
    this.cache.clear('things', 'desired');
    return { template: await this.getTemplate(checked.templateId), thingIds };
  }

  async getTemplate(templateId: string): Promise<Template> {
    const t = await this.db.selectFrom('templates').selectAll().where('template_id', '=', templateId).executeTakeFirst();
    if (!t) throw new StoreError('not_found', `there is no Template "${templateId}"; save it first`);
    const apps = await this.db.selectFrom('assignments').selectAll().where('owner_kind', '=', 'template').where('owner_id', '=', templateId).orderBy('position').execute();
    return { templateId: t.template_id, name: t.name, revision: Number(t.revision), apps: apps.map(toInstance), updatedAt: Number(t.updated_at) };
  }

  async listTemplates(): Promise<Template[]> {
    const ids = await this.db.selectFrom('templates').select('template_id').orderBy('template_id').execute();
    return Promise.all(ids.map((t) => this.getTemplate(t.template_id)));
  }

  async removeTemplate(templateId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const users = await trx.selectFrom('things').select('thing_id').where('template_id', '=', templateId).limit(5).execute();
      if (users.length) throw new StoreError('conflict', `Template "${templateId}" still has Things (${users.map((u) => u.thing_id).join(', ')}${users.length === 5 ? ' …' : ''}): remove them or move them to another Template first`);
      await trx.deleteFrom('assignments').where('owner_kind', '=', 'template').where('owner_id', '=', templateId).execute();
      const r = await trx.deleteFrom('templates').where('template_id', '=', templateId).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw new StoreError('not_found', `there is no Template "${templateId}"`);
    });
    this.cache.clear('desired');
  }

  // ---- Things ----

  async enrollThing(input: EnrollInput): Promise<{ thing: Thing; secrets: ThingSecrets }> {
    return (await this.enrollThings([input]))[0];
  }

  async enrollThings(inputs: EnrollInput[]): Promise<Array<{ thing: Thing; secrets: ThingSecrets }>> {
    if (!Array.isArray(inputs)) throw new StoreError('bad_input', 'enrollThings takes a list of Things');
    const now = this.now();
    const enrolled = inputs.map((input) => {
      const thingId = requireText('the Thing id', input.thingId, 'give the Thing an id');
      const model = requireText(`Thing "${thingId}": its type (model)`, input.model, 'give the Thing a type');
      const secrets: ThingSecrets = { broker: input.secrets?.broker ?? newSecret(), shell: input.secrets?.shell ?? newSecret() };
      const row = { thing_id: thingId, model, template_id: input.templateId ?? null, broker_secret_hash: hashSecret(secrets.broker), shell_secret_hash: hashSecret(secrets.shell), desired_revision: 1, enrolled_at: now };
      return { row, secrets };
    });
    await this.db.transaction().execute(async (trx) => {
      for (const templateId of new Set(enrolled.map((e) => e.row.template_id))) {
        if (templateId === null) continue;
        const t = await trx.selectFrom('templates').select('template_id').where('template_id', '=', templateId).executeTakeFirst();
        const named = enrolled.find((e) => e.row.template_id === templateId)!.row.thing_id;
        if (!t) throw new StoreError('not_found', `Thing "${named}" names Template "${templateId}", which does not exist; save the Template first or enrol without one`);
      }
      for (const { row } of enrolled) {
        const r = await trx.insertInto('things').values(row).onConflict((oc) => oc.column('thing_id').doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) throw new StoreError('conflict', `Thing "${row.thing_id}" is already enrolled; remove it first to enrol it again`);
      }
    });
    this.cache.clear('things', 'desired');
    return enrolled.map(({ row, secrets }) => ({ thing: toThing(row), secrets }));
  }

  getThing(thingId: string): Promise<Thing> {
    return this.cache.get('things', `thing:${thingId}`, async () => toThing(await this.thingRow(this.db, thingId)));
  }

  async listThings(filter?: { templateId?: string }): Promise<Thing[]> {
    const rows = await this.db
      .selectFrom('things')
      .selectAll()
      .$if(filter?.templateId !== undefined, (q) => q.where('template_id', '=', filter!.templateId!))
      .orderBy('thing_id')
      .execute();
    return rows.map(toThing);
  }

  async removeThing(thingId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.thingRow(trx, thingId);
      await trx.deleteFrom('assignments').where('owner_kind', '=', 'thing').where('owner_id', '=', thingId).execute();
      await trx.deleteFrom('thing_states').where('thing_id', '=', thingId).execute();
      await trx.deleteFrom('things').where('thing_id', '=', thingId).execute();
    });
    this.cache.clear('things', 'desired');
  }

  async verifyThingSecret(thingId: string, kind: keyof ThingSecrets, secret: string): Promise<boolean> {
    const hashes = await this.cache.get('things', `secrets:${thingId}`, async () => {
      const r = await this.db.selectFrom('things').select(['broker_secret_hash', 'shell_secret_hash']).where('thing_id', '=', thingId).executeTakeFirst();
      return r ? { broker: r.broker_secret_hash, shell: r.shell_secret_hash } : null;
    });
    return hashes !== null && typeof secret === 'string' && secretMatches(secret, hashes[kind]);
  }

  async setThingApps(thingId: string, apps: AppInstanceInput[]): Promise<DesiredState> {
    return (await this.setManyThingApps([{ thingId, apps }]))[0];
  }

  setManyThingApps(changes: Array<{ thingId: string; apps: AppInstanceInput[] }>): Promise<DesiredState[]> {
    return this.editThingApps(changes.map(({ thingId, apps }) => ({ thingId, edit: () => apps })));
  }

  async addThingApp(thingId: string, app: AppInstanceInput): Promise<AppInstance> {
    let added: AppInstance | undefined;
    await this.editThingApps([
      {
        thingId,
        edit: (own) => [...own, app],
        edited: (before, after) => (added = after.find((a) => !before.some((b) => b.installation_id === a.installation_id))),
      },
    ]);
    if (!added) throw new StoreError('conflict', `Thing "${thingId}": installation ${app.installation_id} is already on it; leave "installation_id" out to add an app`);
    return added;
  }

  async removeThingApp(thingId: string, installationId: number): Promise<void> {
    await this.editThingApps([
      {
        thingId,
        edit: (own, inherited) => {
          const from = inherited.get(installationId);
          if (from) {
            throw new StoreError('conflict', `"${from.name}" (installation ${installationId}) is inherited from Template "${from.templateId}" and cannot be removed from Thing "${thingId}": remove it from the Template and save the Template`);
          }
          if (!own.some((a) => a.installation_id === installationId)) throw new StoreError('not_found', `Thing "${thingId}" has no app with installation_id ${installationId}`);
          return own.filter((a) => a.installation_id !== installationId);
        },
      },
    ]);
  }

  /**
   * Edits Things' own apps in one transaction. Each Thing's row is locked first (PostgreSQL), and
   * its current apps are read inside the transaction, so two replicas adding apps to one Thing at
   * once take turns and neither loses the other's.
   */
  private async editThingApps(edits: ThingAppsEdit[]): Promise<DesiredState[]> {
    await this.db.transaction().execute(async (trx) => {
      for (const { thingId, edit, edited } of edits) {
        const thing = await this.lockThing(trx, thingId);
        const inherited = await inheritedIds(trx, thing.template_id);
        const before = await ownAssignments(trx, 'thing', thingId);
        const apps = edit(before, inherited);
        if (!Array.isArray(apps)) throw new StoreError('bad_input', `Thing "${thingId}": "apps" must be a list of app instances`);
        await replaceAssignments(trx, 'thing', thingId, apps, inherited);
        await trx.updateTable('things').set((eb) => ({ desired_revision: eb('desired_revision', '+', 1) })).where('thing_id', '=', thingId).execute();
        edited?.(before, await ownAssignments(trx, 'thing', thingId));
      }
    });
    this.cache.clear('things', 'desired');
    return Promise.all(edits.map((c) => this.desiredState(c.thingId)));
  }

  desiredState(thingId: string): Promise<DesiredState> {
    return this.cache.get('desired', thingId, async () => {
      const [state] = await loadDesiredStates(this.db, [await this.thingRow(this.db, thingId)]);
      return state;
    });
  }

  async listDesiredStates(thingIds?: string[]): Promise<DesiredState[]> {
    const things = await this.db
      .selectFrom('things')
      .selectAll()
      .$if(thingIds !== undefined, (q) => q.where('thing_id', 'in', thingIds!.length ? thingIds! : ['']))
      .orderBy('thing_id')
      .execute();
    return loadDesiredStates(this.db, things, thingIds === undefined);
  }


  private async thingRow(db: Db, thingId: string): Promise<Database['things']> {
    const r = await db.selectFrom('things').selectAll().where('thing_id', '=', thingId).executeTakeFirst();
    if (!r) throw new StoreError('not_found', `there is no Thing "${thingId}"; enrol it first`);
    return r;
  }

  private async lockThing(trx: Db, thingId: string): Promise<Database['things']> {
    const r = await trx.selectFrom('things').selectAll().where('thing_id', '=', thingId).$if(this.backend === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
    if (!r) throw new StoreError('not_found', `there is no Thing "${thingId}"; enrol it first`);
    return r;
  }




  // ---- What Things report (platform/store/state-queries.ts) ----

  async reportThingState(thingId: string, report: ThingStateReport): Promise<ThingState> {
    return (await this.reportThingStates([{ thingId, report }]))[0];
  }

  reportThingStates(reports: Array<{ thingId: string; report: ThingStateReport }>): Promise<ThingState[]> {
    return states.reportStates(this.db, this.backend, this.now(), reports, (trx, thingId) => this.thingRow(trx, thingId));
  }

  getThingState(thingId: string): Promise<ThingState | null> {
    return states.getState(this.db, thingId);
  }

  listThingStates(thingIds?: string[]): Promise<ThingState[]> {
    return states.listStates(this.db, thingIds);
  }

  // ---- Rollouts (platform/store/rollout-queries.ts) ----

  async createRollout(input: RolloutInput): Promise<Rollout> {
    const template = input.template && checkTemplate(input.template);
    const now = this.now();
    const rollout = await rollouts.createRollout(this.db, now, input, template && ((trx) => writeTemplate(trx, template, now)));
    if (template) this.cache.clear('things', 'desired');
    return rollout;
  }
  getRollout(rolloutId: string): Promise<Rollout> {
    return rollouts.getRollout(this.db, rolloutId);
  }
  listRollouts(filter?: { state?: RolloutState }): Promise<Rollout[]> {
    return rollouts.listRollouts(this.db, filter);
  }
  rolloutThings(rolloutId: string, filter?: { batch?: number; status?: RolloutThingStatus }): Promise<RolloutThing[]> {
    return rollouts.rolloutThings(this.db, rolloutId, filter);
  }
  acquireRolloutLease(rolloutId: string, owner: string, ttlMs: number): Promise<boolean> {
    return rollouts.acquireLease(this.db, this.now(), rolloutId, owner, ttlMs);
  }
  releaseRolloutLease(rolloutId: string, owner: string): Promise<void> {
    return rollouts.releaseLease(this.db, rolloutId, owner);
  }
  recordRolloutThing(rolloutId: string, owner: string, thingId: string, status: RolloutThingStatus, error?: string | null): Promise<void> {
    return rollouts.recordThings(this.db, this.backend, this.now(), rolloutId, owner, [{ thingId, status, error }]);
  }
  recordRolloutThings(rolloutId: string, owner: string, updates: Array<{ thingId: string; status: RolloutThingStatus; error?: string | null }>): Promise<void> {
    return rollouts.recordThings(this.db, this.backend, this.now(), rolloutId, owner, updates);
  }
  finishRollout(rolloutId: string, owner: string, state: Exclude<RolloutState, 'running'>): Promise<void> {
    return rollouts.finish(this.db, this.backend, this.now(), rolloutId, owner, state);
  }
  setRolloutState(rolloutId: string, state: RolloutState): Promise<void> {
    return rollouts.setState(this.db, this.now(), rolloutId, state);
  }

  acquireDuty(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return duties.acquireDuty(this.db, this.now(), name, owner, ttlMs);
  }
  releaseDuty(name: string, owner: string): Promise<void> {
    return duties.releaseDuty(this.db, name, owner);
  }
  dutyHolder(name: string): Promise<string | null> {
    return duties.dutyHolder(this.db, this.now(), name);
  }

  // ---- API tokens (platform/store/token-queries.ts) ----

  createToken(input: { name: string; scopes: string[] }): Promise<{ token: ApiToken; secret: string }> {
    return tokens.createToken(this.db, this.cache, this.now(), input);
  }

  verifyToken(secret: string): Promise<ApiToken | null> {
    return tokens.verifyToken(this.db, this.cache, secret);
  }

  listTokens(): Promise<ApiToken[]> {
    return tokens.listTokens(this.db);
  }

  revokeToken(tokenId: string): Promise<void> {
    return tokens.revokeToken(this.db, this.cache, this.now(), tokenId);
  }
}

interface ThingAppsEdit {
  thingId: string;
  /** the Thing's new own apps, from its current own apps and its inherited ones */
  edit: (own: AppInstance[], inherited: Inherited) => AppInstanceInput[];
  /** sees the own apps before and after, inside the transaction */
  edited?: (before: AppInstance[], after: AppInstance[]) => void;
}

/** A Template's input checked: its id and name are text, its apps a list. */
function checkTemplate(input: TemplateInput): TemplateInput {
  const templateId = requireText('the Template id', input.templateId, 'give the Template an id');
  const name = requireText(`Template "${templateId}": its name`, input.name, 'give the Template a name');
  if (!Array.isArray(input.apps)) throw new StoreError('bad_input', `Template "${templateId}": "apps" must be a list of app instances`);
  return { ...input, templateId, name };
}

/** Saves a checked Template in a transaction: its revision and each of its Things' desired revision go up by one. Returns its Things. */
async function writeTemplate(trx: Kysely<Database>, input: TemplateInput, now: number): Promise<string[]> {
  const { templateId, name } = input;
  await trx
    .insertInto('templates')
    .values({ template_id: templateId, name, revision: 1, updated_at: now })
    .onConflict((oc) => oc.column('template_id').doUpdateSet((eb) => ({ name, revision: eb('templates.revision', '+', 1), updated_at: now })))
    .execute();
  await replaceAssignments(trx, 'template', templateId, input.apps, new Map());
  const things = await trx.selectFrom('things').select('thing_id').where('template_id', '=', templateId).orderBy('thing_id').execute();
  await trx.updateTable('things').set((eb) => ({ desired_revision: eb('desired_revision', '+', 1) })).where('template_id', '=', templateId).execute();
  return things.map((t) => t.thing_id);
}
