import type { DeviceSpec } from '../devices/types';
import type { RateWindowSnapshot } from './rate-limiter';

/**
 * What must survive a worker re-spawn for one installed app: its state, and what the platform (not
 * the script) keeps for it — subscriptions, scheduled jobs, web-service routes and child devices —
 * and its rate-limit window.
 * Handlers are kept by name; a handler given as an anonymous function cannot be restored.
 */
export interface SubscriptionSnapshot {
  kind: 'device' | 'location' | 'app' | 'command';
  /** Device id, 'location' or the app id. */
  target: string;
  /** Attribute (device), event name (location), command name (command); '' for all. */
  attribute: string;
  /** Only events with this value (`contact.open`). */
  value?: string;
  handler: string;
}

export interface JobSnapshot {
  id: number;
  handler: string;
  kind: 'once' | 'cron' | 'daily' | 'every';
  /** Next fire time, epoch ms. */
  at: number;
  /** JSON text of the job's data, '' for none. */
  data: string;
  /** Cron expression or time of day, for recurring jobs. */
  spec?: string | number;
  everyMinutes?: number;
}

export interface RouteSnapshot {
  route: string;
  handler: string;
}

export interface AppSnapshot {
  state: string;
  subscriptions: SubscriptionSnapshot[];
  jobs: JobSnapshot[];
  routes: RouteSnapshot[];
  /** The routes the script declared at its top level (absent in snapshots of older runtimes). */
  declaredRoutes?: RouteSnapshot[];
  childDevices: DeviceSpec[];
  /** The rate limit's open window (absent before the app first ran, and in snapshots of older runtimes). */
  rate?: RateWindowSnapshot;
}

export interface PersistRecord {
  appId: string;
  snapshot: AppSnapshot;
}

export function emptySnapshot(): AppSnapshot {
  return { state: '{}', subscriptions: [], jobs: [], routes: [], childDevices: [] };
}
