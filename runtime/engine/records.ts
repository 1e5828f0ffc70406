import type { AttrValue } from '../devices/types';

/** What the runtime reports as it runs. Every record is plain JSON so it can cross a process boundary. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface RateBudget {
  used: number;
  limit: number;
  /** Epoch ms (runtime clock) when the current window ends. */
  windowEndsAt: number;
}

export interface LogRecord {
  time: number;
  appId: string;
  appLabel: string;
  level: LogLevel;
  message: string;
  /** `app` for the script's own log calls, `runtime` for what the runtime says about the app. */
  source: 'app' | 'runtime';
  /** Logged by a JS Shell expression (its output), not by one of the app's handlers. */
  shell?: true;
  budget?: RateBudget;
  file?: string;
  line?: number;
  column?: number;
}

export type EventSource = 'DEVICE' | 'APP_COMMAND' | 'COMMAND' | 'LOCATION' | 'USER' | 'APP';

export interface DeviceEventRecord {
  time: number;
  deviceId: string;
  deviceLabel: string;
  functionId: string | number;
  name: string;
  value: AttrValue;
  unit?: string;
  isStateChange: boolean;
  source: EventSource;
  /** The app whose command caused this event, if any. */
  causedBy?: string;
}

export interface CommandRecord {
  time: number;
  appId?: string;
  deviceId: string;
  deviceLabel: string;
  command: string;
  args: unknown[];
}

export interface NotificationRecord {
  time: number;
  appId: string;
  appLabel: string;
  outputId: string | number;
  message: string;
}

export type ExecutionKind = 'installed' | 'updated' | 'uninstalled' | 'childUninstalled' | 'event' | 'location' | 'touch' | 'schedule' | 'endpoint' | 'invoke'
  /** The app's promise jobs, drained after its executions. */
  | 'microtasks'
  /** Reporting a promise the app rejected and never handled. */
  | 'rejection'
  /** A JS Shell expression evaluated in the app's context (or the Thing's shell context). */
  | 'shell';

export interface ExecutionRecord {
  id: number;
  time: number;
  appId: string;
  kind: ExecutionKind;
  handler: string;
  /** CPU-bound duration in ms (host performance clock). */
  durationMs: number;
  outcome: 'ok' | 'error' | 'timeout' | 'rate-limited';
  budget: RateBudget;
}

export interface AppErrorRecord {
  time: number;
  appId: string;
  appLabel: string;
  handler: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  stack?: string;
}

export interface LocationEventRecord {
  time: number;
  name: string;
  value: string;
}

export interface AppLifecycleRecord {
  time: number;
  appId: string;
  appLabel: string;
  change: 'installed' | 'updated' | 'uninstalled' | 'restored' | 'quarantined';
  /** For quarantined: why. */
  reason?: string;
  /** For installs: what re-creates the app after a worker re-spawn (child apps are installed by their parent). */
  install?: { name: string; config: Record<string, unknown>; parentId?: string };
}

/**
 * A scheduled job starts or ends. The worker sends `start` at once (not batched), so if the job
 * hangs or crashes the worker, the host knows which one and does not bring it back.
 */
export interface JobRunRecord {
  time: number;
  appId: string;
  jobId: number;
  handler: string;
  phase: 'start' | 'end';
}

export interface RuntimeEventMap {
  log: LogRecord;
  deviceEvent: DeviceEventRecord;
  command: CommandRecord;
  notification: NotificationRecord;
  execution: ExecutionRecord;
  appError: AppErrorRecord;
  locationEvent: LocationEventRecord;
  app: AppLifecycleRecord;
  persist: import('./snapshot').PersistRecord;
  job: JobRunRecord;
}
