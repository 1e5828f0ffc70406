/** What a ThingEngine is asked (an install) and answers (an app's info, a web-service response). */
import type { AppSource } from './installed-app';
import type { RateBudget } from './records';
import type { AppSnapshot, JobSnapshot, SubscriptionSnapshot } from './snapshot';

export interface InstallRequest {
  source: AppSource;
  config: Record<string, unknown>;
  label?: string;
  id?: string;
  parentId?: string;
  /** Re-creating an app after a worker re-spawn: no installed() call; state and jobs come back. */
  restore?: AppSnapshot;
}

export interface AppInfo {
  id: string;
  label: string;
  name: string;
  version?: string;
  parentId?: string;
  children: string[];
  config: Record<string, unknown>;
  subscriptions: SubscriptionSnapshot[];
  jobs: JobSnapshot[];
  routes: string[];
  state: unknown;
  budget: RateBudget;
}

export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
