/** Shared by the host tests: start a runtime with every record collected, and wait for records. */
import { SmartPlugRuntime, RuntimeOptions, WorkerRecord } from '../../../runtime/host/runtime';
import { emptyRecords, Records, T0 } from '../engine/engine-helpers';
import { assertFreshDist } from '../../support/fresh-dist';

export interface TestRuntime {
  rt: SmartPlugRuntime;
  rec: Records;
  workers: WorkerRecord[];
  appLogs(appId?: string): string[];
}

export async function startRuntime(options: Partial<RuntimeOptions> = {}): Promise<TestRuntime> {
  // Process isolation runs the worker bundles in dist/.
  if (options.isolation !== 'inline') assertFreshDist(['runtime/worker', 'runtime/engine-thread']);
  const rt = await SmartPlugRuntime.start({ clock: 'virtual', start: T0, ...options } as RuntimeOptions);
  const rec = emptyRecords();
  const workers: WorkerRecord[] = [];
  rt.on('log', (r) => rec.logs.push(r));
  rt.on('appError', (r) => rec.errors.push(r));
  rt.on('command', (r) => rec.commands.push(r));
  rt.on('deviceEvent', (r) => rec.deviceEvents.push(r));
  rt.on('notification', (r) => rec.notifications.push(r));
  rt.on('execution', (r) => rec.executions.push(r));
  rt.on('locationEvent', (r) => rec.locationEvents.push(r));
  rt.on('app', (r) => rec.apps.push(r));
  rt.on('persist', (r) => rec.persists.push(r));
  rt.on('worker', (r) => workers.push(r));
  return {
    rt,
    rec,
    workers,
    appLogs: (appId) => rec.logs.filter((l) => l.source === 'app' && (!appId || l.appId === appId)).map((l) => l.message),
  };
}

/**
 * Resolves when `check()` holds, polling every 20 ms; fails after `timeoutMs` (generous: the worker
 * runs on a real clock on a shared machine).
 */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Events from the worker arrive after the call's reply only when batched late; give them a turn. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
