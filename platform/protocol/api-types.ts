/**
 * The HTTP API's answers, declared once: the routes build them (platform/service/*-routes.ts) and
 * the IDE's client reads them (platform/remote/platform-api.ts). docs/protocol.md lists the routes.
 */
import type { App, AppInstance, AppRunStatus, AppSource, AppVersion, Template, Thing } from '../store/types';

export type { App, AppInstance, AppVersion, Template, Thing };

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
