/**
 * The HTTP API's answers, declared once: the routes build them (platform/service/*-routes.ts) and
 * the IDE's client reads them (platform/remote/platform-api.ts). docs/protocol.md lists the routes.
 */
import type { ApiToken, App, AppInstance, AppRunStatus, AppSource, AppVersion, Rollout, RolloutThing, Template, Thing } from '../store/types';
import type { Manifest } from '../load/load-request';
import type { LoadCompletionMessage } from './messages';

export type { App, AppInstance, AppVersion, Rollout, RolloutThing, Template, Thing };

/** An app of the App Store with its versions (GET /api/apps). */
export type AppListing = App & { versions: AppVersion[] };

/** A Thing's app as listed: its instance, where it comes from, and its last reported status. */
export type ThingAppView = AppInstance & { source: AppSource; status: AppRunStatus | { state: 'pending' } };

/** A Thing as GET /api/things lists it: the Thing, its live state, its own apps and its inherited ones. */
export interface ThingView extends Thing {
  connected: boolean;
  reachedRevision: number;
  inSync: boolean;
  apps: ThingAppView[];
  inherited: ThingAppView[];
}

/** GET /api/templates/:templateId: the Template and its Things' ids. */
export type TemplateView = Template & { things: string[] };

/** GET /api/health */
export interface HealthAnswer {
  ok: boolean;
  service: string;
  store: string;
  replica: string;
}

/** Every error answer: `{error: {code, message}}`. */
export interface ErrorAnswer {
  error: { code: string; message: string };
}

/** An app a plan adds or removes, as the dry run names it. */
export interface AppRef {
  installation_id?: number;
  app_id: number;
  name: string;
  version: string;
}

/** One Thing of the dry run (POST /api/rollouts/diff): the apps it gains, loses or changes. */
export interface ThingDiff {
  thingId: string;
  gain: AppRef[];
  lose: AppRef[];
  change: Array<{ installation_id: number; app_id: number; name: string; from: { version: string; config: Record<string, unknown> }; to: { version: string; config: Record<string, unknown> } }>;
}

/** POST /api/rollouts/diff */
export interface DiffAnswer {
  things: ThingDiff[];
  summary: { things: number; gain: number; lose: number; change: number };
}

/** An instance as a request gives it: seed 003's object, ids and version optional. */
export interface InstanceInput {
  app_id: number;
  installation_id?: number;
  version?: string;
  config?: Record<string, unknown>;
  name?: string;
}

/** A rollout's plan as POST /api/rollouts and /api/rollouts/diff take it. */
export type PlanInput =
  | { kind: 'template'; templateId: string; name?: string; apps: InstanceInput[] }
  | { kind: 'bulk'; action: 'provision'; thingIds: string[]; app: InstanceInput }
  | { kind: 'bulk'; action: 'remove' | 'update'; thingIds: string[]; app_id: number };

/** POST /api/apps: the app and the version just deployed. */
export interface DeployAnswer {
  app: App;
  version: AppVersion;
}

/** POST /api/loads/inspect: what a load action's url holds, before anyone proceeds (seed 002). */
export interface ImageInspection {
  /** the name of the file retrieved */
  name: string;
  size: number;
  sha256: string;
  /** "checked" when integrity and checksum matched; "unchecked" without an integrity */
  integrity: 'checked' | 'unchecked';
  /** the outer archive's manifest (its passwords shown as "(set)"), or null when the url leads to the image itself */
  manifest: Manifest | null;
  /** for an outer archive: the manifest's image, in the archive or a remote reference */
  image?: { name: string; inArchive: boolean; size?: number };
}

/** POST /api/things/:thingId/loads: the load action sent, and its completion (null when none came within the wait). */
export interface LoadAnswer {
  thingId: string;
  /** the do topic it was sent on */
  topic: string;
  /** the response topic the Thing answers on */
  response: string;
  completion: LoadCompletionMessage | null;
  message?: string;
}

/** POST /api/things/:thingId/apps/:installationId/tokens: a token for that installation's endpoints only, and their base path. */
export interface EndpointTokenAnswer {
  token: ApiToken;
  /** shown this once */
  secret: string;
  /** `/things/{thingId}/apps/{installationId}`: an endpoint `METHOD /p` answers at this path + `/p` */
  path: string;
}
