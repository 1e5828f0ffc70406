/** Doing one step to a scenario's Thing (through the runtime API), and the one-line description reports show for it. */
import type { AppInfo } from '../engine/engine-requests';
import type { Thing } from '../host/thing';
import type { WorkerPool } from '../host/worker-pool';
import { checkExpect } from './check-expect';
import { deepEqual, show } from './match';
import type { Recorder } from './recorder';
import type { Failure } from './results';
import { formatDuration, resolveTime } from './time-text';
import type { RestartStep, Step } from './types';

export interface RunState {
  thing: Thing;
  /** The pool the Thing runs on (a restart step restarts its worker). */
  pool: WorkerPool;
  recorder: Recorder;
  appId: string;
  installed: boolean;
  /** Every app the scenario installed (the app under test first): id → label. */
  labels: Map<string, string>;
  /** Merged configs of update steps, by step index. */
  updates: Map<number, Record<string, unknown>>;
  /** The Thing's virtual clock (epoch ms) as of the last step. */
  now: number;
}

/** Runs the step; a thrown error (bad command arguments, a clock moved backwards) is the step's failure. */
export async function runStep(step: Step, s: RunState): Promise<Failure | undefined> {
  try {
    return await doStep(step, s);
  } catch (e) {
    const err = e as { message?: unknown; fix?: unknown };
    const message = err && typeof err === 'object' && 'message' in err ? String(err.message) : String(e);
    const fix = err && typeof err === 'object' && typeof err.fix === 'string' ? ` ${err.fix}` : '';
    return { message: `${step.kind} failed: ${message}${fix}`, line: step.line, column: step.column };
  }
}

async function doStep(step: Step, s: RunState): Promise<Failure | undefined> {
  const { thing } = s;
  switch (step.kind) {
    case 'event': {
      if (step.functionId !== undefined) {
        const fn = await thing.functionOf(step.functionId);
        await thing.deviceEvent(fn.deviceId, fn.attribute, step.value);
      } else await thing.deviceEvent(step.device!, step.attribute!, step.value);
      return undefined;
    }
    case 'advance':
      s.now = await thing.advance(step.ms);
      return undefined;
    case 'advanceTo': {
      const now = s.now;
      const location = await thing.location();
      const target = resolveTime(step.to.spec, now, location);
      if (target === undefined) {
        return { message: `advanceTo: there is no ${step.to.text} at latitude ${location.latitude} in the coming year (polar day or night)`, line: step.to.line, column: step.to.column };
      }
      if (target < now) {
        return {
          message: `advanceTo: ${step.to.text} (${new Date(target).toISOString()}) is before the current time ${new Date(now).toISOString()}; time only moves forward`,
          expected: `a time after ${new Date(now).toISOString()}`, actual: new Date(target).toISOString(), line: step.to.line, column: step.to.column,
        };
      }
      s.now = await thing.advance(target - now);
      return undefined;
    }
    case 'mode':
      await thing.setMode(step.mode);
      return undefined;
    case 'position':
      await thing.setPosition(step.latitude, step.longitude);
      return undefined;
    case 'touch':
      await thing.touch(s.appId);
      return undefined;
    case 'command':
      await thing.sendCommand(step.device, step.command, step.args);
      return undefined;
    case 'call': {
      const response = await thing.callEndpoint(s.appId, step.method, step.path, step.body);
      s.recorder.response = { method: step.method, path: step.path, response };
      return undefined;
    }
    case 'update':
      await thing.update(s.appId, s.updates.get(step.index) ?? {});
      return undefined;
    case 'uninstall':
      await thing.uninstall(s.appId);
      s.installed = false;
      return undefined;
    case 'restart':
      return restartWorker(step, s);
    case 'expect': {
      const failures = await checkExpect(step, {
        thing, appId: s.appId, labels: s.labels, installed: s.installed, window: s.recorder.since(), response: s.recorder.response,
      });
      s.recorder.nextWindow();
      if (failures.length === 0) return undefined;
      const one = failures.length === 1;
      return {
        message: failures.map((f) => f.message).join('\n'),
        expected: one ? failures[0].expected : Object.fromEntries(failures.map((f) => [f.what, f.expected])),
        actual: one ? failures[0].actual : Object.fromEntries(failures.map((f) => [f.what, f.actual])),
        line: failures[0].pos.line,
        column: failures[0].pos.column,
      };
    }
  }
}

/** What must survive a worker restart: everything the app's snapshot and install request carry. */
const KEPT = ['state', 'config', 'subscriptions', 'jobs', 'routes', 'children', 'budget'] as const;

/**
 * Restarts the Thing's worker process (as a Bundle Sync does) and checks that every app came back
 * as it was: the same state, config, subscriptions, jobs, routes, child apps and rate window.
 */
async function restartWorker(step: RestartStep, s: RunState): Promise<Failure | undefined> {
  const before = await s.thing.listApps();
  const mark = s.recorder.mark();
  await s.pool.restartWorker(s.thing.id, 'scenario step');
  const after = new Map((await s.thing.listApps()).map((a) => [a.id, a]));
  const name = (a: AppInfo) => `"${s.labels.get(a.id) ?? a.label}" (${a.id})`;
  const problems: string[] = [];
  const expected: Record<string, unknown> = {};
  const actual: Record<string, unknown> = {};
  for (const a of before) {
    const b = after.get(a.id);
    if (!b) {
      const why = s.recorder.since(mark).logs.filter((l) => l.appId === a.id && l.level === 'error').map((l) => l.message);
      problems.push(`${name(a)} did not come back${why.length ? `: ${why.join('; ')}` : ''}`);
      expected[a.id] = 'installed';
      actual[a.id] = null;
      continue;
    }
    const changed = KEPT.filter((k) => !deepEqual(a[k], b[k]));
    if (changed.length === 0) continue;
    problems.push(`${name(a)} came back with a different ${changed.join(', ')}: ${changed.map((k) => `${k} was ${show(a[k])}, is ${show(b[k])}`).join('; ')}`);
    expected[a.id] = Object.fromEntries(changed.map((k) => [k, a[k]]));
    actual[a.id] = Object.fromEntries(changed.map((k) => [k, b[k]]));
  }
  if (problems.length === 0) return undefined;
  return { message: `restart: after the worker restart, ${problems.join('\n')}`, expected, actual, line: step.line, column: step.column };
}

/** `event door.contact = "open"`, `advance 10m`, `expect commands, state`. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'event':
      return step.functionId !== undefined ? `event function ${show(step.functionId)} = ${show(step.value)}` : `event ${step.device}.${step.attribute} = ${show(step.value)}`;
    case 'advance':
      return `advance ${formatDuration(step.ms)}`;
    case 'advanceTo':
      return `advanceTo ${step.to.text}`;
    case 'mode':
      return `mode ${step.mode}`;
    case 'position':
      return `position ${step.latitude}, ${step.longitude}`;
    case 'touch':
      return 'touch the app';
    case 'command':
      return `command ${step.device}.${step.command}(${step.args.map(show).join(', ')})`;
    case 'call':
      return `call ${step.method} ${step.path}`;
    case 'update':
      return step.config.kind === 'file' ? `update config from ${step.config.path}` : `update config ${Object.keys(step.config.value as object).join(', ')}`;
    case 'uninstall':
      return 'uninstall the app';
    case 'restart':
      return 'restart the worker';
    case 'expect': {
      const keys = Object.keys(step.expect).filter((k) => k !== 'exactly' && k !== 'hasState' && (step.expect as Record<string, unknown>)[k] !== undefined).map((k) => (k === 'commandCount' ? 'commands' : k));
      return `expect ${keys.join(', ')}${step.expect.exactly ? ' (exactly)' : ''}`;
    }
  }
}
