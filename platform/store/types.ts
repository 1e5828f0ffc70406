/**
 * What the SmartPlug platform keeps, and the one interface over it (`PlatformStore`). Both backends
 * (the embedded SQLite folder and PostgreSQL) implement it with the same queries
 * (platform/store/sql-store.ts); test/platform/store-contract.ts holds them to it.
 */

/** Seed 003's instance object: one app installed on a Thing or a Template, with its config. */
export interface AppInstance {
  app_id: number;
  installation_id: number;
  version: string;
  config: Record<string, unknown>;
  name: string;
}

/** An instance to add or keep: without `installation_id` the store allocates one. */
export type AppInstanceInput = Omit<AppInstance, 'installation_id'> & { installation_id?: number };

/** Where a Thing's app comes from: its own list, or its Template's (then it cannot be removed from the Thing). */
export type AppSource = { kind: 'thing' } | { kind: 'template'; templateId: string };

export interface App {
  appId: number;
  /** unique; the name the IDE deploys under */
  name: string;
  /** the highest version ever deployed: a new one must be above it, even after removals */
  latestVersion: string;
  createdAt: number;
}

export interface AppVersion {
  appId: number;
  version: string;
  /** hex SHA-256 of the bundle */
  sha256: string;
  size: number;
  /** the scripts this version holds: a later version may not rename one (seed 000) */
  scriptNames: string[];
  createdAt: number;
}

export interface DeployInput {
  /** the app's name; its first deploy creates the app and gives it an id */
  name: string;
  version: string;
  bundle: Uint8Array;
  scriptNames: string[];
}

export interface Template {
  templateId: string;
  name: string;
  /** bumped on every save */
  revision: number;
  apps: AppInstance[];
  updatedAt: number;
}

export interface TemplateInput {
  templateId: string;
  name: string;
  apps: AppInstanceInput[];
}

export interface Thing {
  thingId: string;
  /** the Thing's type (model) */
  model: string;
  templateId: string | null;
  /** bumped whenever the Thing's own or inherited apps change; the agent reports the one it reached */
  desiredRevision: number;
  enrolledAt: number;
}

export interface EnrollInput {
  thingId: string;
  model: string;
  templateId?: string | null;
  /** given: the caller's secrets are kept (hashed); omitted: the store makes random ones */
  secrets?: Partial<ThingSecrets>;
}

export interface ThingSecrets {
  /** the password the Thing's agent connects to the broker with */
  broker: string;
  /** what a caller of the Thing's JS Shell must present */
  shell: string;
}

/** What a Thing should run: its own apps and its Template's, each with where it comes from. */
export interface DesiredState {
  thingId: string;
  revision: number;
  apps: Array<AppInstance & { source: AppSource }>;
}

/** As the Thing reported it; a running app lists its web-service routes (`METHOD /path`). */
export type AppRunStatus = { state: 'running'; endpoints?: string[] } | { state: 'stopped' } | { state: 'failed'; error: string };

/** What a Thing last reported: its connection (MQTT last will), each app's status, the revision reached. */
export interface ThingState {
  thingId: string;
  connected: boolean;
  connectionChangedAt: number;
  reachedRevision: number;
  /** by installation_id */
  apps: Record<string, AppRunStatus>;
  /** why the last Bundle Sync did not reach the desired revision (null: it did, or none ran) */
  syncError: SyncError | null;
  updatedAt: number;
}

export interface SyncError {
  /** a machine-readable reason: checksum, unsafe-path, fetch, … */
  code: string;
  message: string;
  /** the agent tries this sync again by itself (a download not answered, a switch cut short): not a verdict yet */
  retrying?: boolean;
}

export interface ThingStateReport {
  connected?: boolean;
  reachedRevision?: number;
  apps?: Record<string, AppRunStatus>;
  syncError?: SyncError | null;
}

export type RolloutState = 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled';
export type RolloutThingStatus = 'pending' | 'sent' | 'succeeded' | 'failed';

export interface RolloutInput {
  rolloutId: string;
  /** what the rollout does (the service's own shape, kept as JSON) */
  plan: unknown;
  batchSize: number;
  /** the rollout stops once more than this many Things have failed */
  failureThreshold: number;
  /** in rollout order; batch n holds Things n*batchSize … */
  thingIds: string[];
  /**
   * A Template rollout's Template, saved in the same transaction: no replica can see the rollout
   * running (and drive its first batch) before the Template has its new apps.
   */
  template?: TemplateInput;
}

export interface Rollout {
  rolloutId: string;
  plan: unknown;
  batchSize: number;
  failureThreshold: number;
  state: RolloutState;
  lease: { owner: string; expiresAt: number } | null;
  counts: Record<RolloutThingStatus, number>;
  createdAt: number;
  updatedAt: number;
}

export interface RolloutThing {
  thingId: string;
  batch: number;
  status: RolloutThingStatus;
  error: string | null;
  updatedAt: number;
}

export interface ApiToken {
  tokenId: string;
  name: string;
  scopes: string[];
  createdAt: number;
  revokedAt: number | null;
}

export interface PlatformStore {
  /** 'sqlite' (the embedded folder) or 'postgres' */
  readonly backend: 'sqlite' | 'postgres';
  close(): Promise<void>;

  // App Store
  /** Stores a new version; refuses one not above the latest and one that renames a deployed script. */
  deployAppVersion(input: DeployInput): Promise<AppVersion>;
  listApps(): Promise<Array<App & { versions: AppVersion[] }>>;
  getApp(appId: number): Promise<App>;
  findAppByName(name: string): Promise<App | null>;
  getAppVersion(appId: number, version: string): Promise<AppVersion>;
  /** the newest stored version (not_found when the app has none left) */
  latestAppVersion(appId: number): Promise<AppVersion>;
  readBundle(appId: number, version: string): Promise<{ version: AppVersion; bytes: Buffer }>;
  /** Refused (conflict) while a Thing or Template has the version. */
  removeAppVersion(appId: number, version: string): Promise<void>;
  /** Refused (conflict) while a Thing or Template has the app. */
  removeApp(appId: number): Promise<void>;

  // Templates
  /** Creates or replaces a Template and its apps, and bumps the desired revision of each of its Things (one transaction). */
  saveTemplate(input: TemplateInput): Promise<{ template: Template; thingIds: string[] }>;
  getTemplate(templateId: string): Promise<Template>;
  listTemplates(): Promise<Template[]>;
  /** Refused (conflict) while Things have it. */
  removeTemplate(templateId: string): Promise<void>;

  // Things
  /** A later enrolment inherits the Template's apps. Returns the secrets (kept hashed, shown once). */
  enrollThing(input: EnrollInput): Promise<{ thing: Thing; secrets: ThingSecrets }>;
  /** Many Things in one transaction (one synced commit: the embedded store syncs each commit, ~5–20 ms). All or none. */
  enrollThings(inputs: EnrollInput[]): Promise<Array<{ thing: Thing; secrets: ThingSecrets }>>;
  getThing(thingId: string): Promise<Thing>;
  listThings(filter?: { templateId?: string }): Promise<Thing[]>;
  removeThing(thingId: string): Promise<void>;
  verifyThingSecret(thingId: string, kind: keyof ThingSecrets, secret: string): Promise<boolean>;
  /** Replaces a Thing's own apps; refuses an inherited installation (conflict). Returns the new desired revision. */
  setThingApps(thingId: string, apps: AppInstanceInput[]): Promise<DesiredState>;
  /** Several Things' own apps in one transaction (bulk actions). */
  setManyThingApps(changes: Array<{ thingId: string; apps: AppInstanceInput[] }>): Promise<DesiredState[]>;
  addThingApp(thingId: string, app: AppInstanceInput): Promise<AppInstance>;
  /** An inherited app is refused: the error says to remove it from the Template. */
  removeThingApp(thingId: string, installationId: number): Promise<void>;
  desiredState(thingId: string): Promise<DesiredState>;
  /** All Things', or the named ones', in a few queries. */
  listDesiredStates(thingIds?: string[]): Promise<DesiredState[]>;

  // What Things report
  reportThingState(thingId: string, report: ThingStateReport): Promise<ThingState>;
  /** Many reports in one transaction: a service coalesces what a fleet reports at once into one commit. All or none. */
  reportThingStates(reports: Array<{ thingId: string; report: ThingStateReport }>): Promise<ThingState[]>;
  getThingState(thingId: string): Promise<ThingState | null>;
  listThingStates(thingIds?: string[]): Promise<ThingState[]>;

  // Rollouts
  createRollout(input: RolloutInput): Promise<Rollout>;
  getRollout(rolloutId: string): Promise<Rollout>;
  listRollouts(filter?: { state?: RolloutState }): Promise<Rollout[]>;
  rolloutThings(rolloutId: string, filter?: { batch?: number; status?: RolloutThingStatus }): Promise<RolloutThing[]>;
  /** Takes or renews the lease: true when `owner` now holds it until now + ttlMs. Only a running rollout can be leased. */
  acquireRolloutLease(rolloutId: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseRolloutLease(rolloutId: string, owner: string): Promise<void>;
  /** Fenced by the lease: throws lease_lost unless `owner` holds an unexpired lease. */
  recordRolloutThing(rolloutId: string, owner: string, thingId: string, status: RolloutThingStatus, error?: string | null): Promise<void>;
  /** Many Things of one batch in one transaction, fenced like recordRolloutThing. All or none. */
  recordRolloutThings(rolloutId: string, owner: string, updates: Array<{ thingId: string; status: RolloutThingStatus; error?: string | null }>): Promise<void>;
  /** Fenced by the lease, like recordRolloutThing; a finished rollout's lease is released. */
  finishRollout(rolloutId: string, owner: string, state: Exclude<RolloutState, 'running'>): Promise<void>;
  /** A user's pause, resume or cancel (not fenced). */
  setRolloutState(rolloutId: string, state: RolloutState): Promise<void>;

  // Duties: periodic jobs one replica does for all (duty-queries.ts)
  /** Takes or renews duty `name` for `owner` until now + ttlMs: false while another replica holds it. */
  acquireDuty(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the duty up if `owner` holds it. */
  releaseDuty(name: string, owner: string): Promise<void>;
  /** The replica holding duty `name` now, or null. */
  dutyHolder(name: string): Promise<string | null>;

  // API tokens
  /** The secret is returned once; only its hash is kept. */
  createToken(input: { name: string; scopes: string[] }): Promise<{ token: ApiToken; secret: string }>;
  /** The token a secret belongs to, or null (unknown or revoked). */
  verifyToken(secret: string): Promise<ApiToken | null>;
  listTokens(): Promise<ApiToken[]>;
  revokeToken(tokenId: string): Promise<void>;
}
