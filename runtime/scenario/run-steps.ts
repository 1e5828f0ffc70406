/** Doing one step to a running Thing, and the one-line description reports show for it. */
import type { VirtualClock } from '../clock/virtual-clock';
import type { ThingEngine } from '../engine/thing-engine';
import { checkExpect } from './check-expect';
import { show } from './match';
import type { Recorder } from './recorder';
import type { Failure } from './results';
import { formatDuration, resolveTime } from './time-text';
import type { Step } from './types';

export interface RunState {
  engine: ThingEngine;
  clock: VirtualClock;
  recorder: Recorder;
  appId: string;
  installed: boolean;
  /** Merged configs of update steps, by step index. */
  updates: Map<number, Record<string, unknown>>;
}

/** Runs the step; a thrown error (bad command arguments, a clock moved backwards) is the step's failure. */
export function runStep(step: Step, s: RunState): Failure | undefined {
  try {
    return doStep(step, s);
  } catch (e) {
    const err = e as { message?: unknown; fix?: unknown };
    const message = err && typeof err === 'object' && 'message' in err ? String(err.message) : String(e);
    const fix = err && typeof err === 'object' && typeof err.fix === 'string' ? ` ${err.fix}` : '';
    return { message: `${step.kind} failed: ${message}${fix}`, line: step.line, column: step.column };
  }
}

function doStep(step: Step, s: RunState): Failure | undefined {
  const { engine, clock } = s;
  switch (step.kind) {
    case 'event': {
      if (step.functionId !== undefined) {
        const fn = engine.devices.requireFunction(step.functionId);
        engine.deviceEvent(fn.deviceId, fn.attribute, step.value);
      } else engine.deviceEvent(step.device!, step.attribute!, step.value);
      return undefined;
    }
    case 'advance':
      clock.advance(step.ms);
      return undefined;
    case 'advanceTo': {
      const now = clock.now();
      const target = resolveTime(step.to.spec, now, engine.location);
      if (target === undefined) {
        return { message: `advanceTo: there is no ${step.to.text} at latitude ${engine.location.latitude} in the coming year (polar day or night)`, line: step.to.line, column: step.to.column };
      }
      if (target < now) {
        return {
          message: `advanceTo: ${step.to.text} (${new Date(target).toISOString()}) is before the current time ${new Date(now).toISOString()}; time only moves forward`,
          expected: `a time after ${new Date(now).toISOString()}`, actual: new Date(target).toISOString(), line: step.to.line, column: step.to.column,
        };
      }
      clock.advanceTo(target);
      return undefined;
    }
    case 'mode':
      engine.setMode(step.mode);
      return undefined;
    case 'position':
      engine.setPosition(step.latitude, step.longitude);
      return undefined;
    case 'touch':
      engine.touch(s.appId);
      return undefined;
    case 'command':
      engine.sendCommand(step.device, step.command, step.args);
      return undefined;
    case 'call': {
      const response = engine.callEndpoint(s.appId, step.method, step.path, step.body);
      s.recorder.response = { method: step.method, path: step.path, response };
      return undefined;
    }
    case 'update':
      engine.update(s.appId, s.updates.get(step.index) ?? {});
      return undefined;
    case 'uninstall':
      engine.uninstall(s.appId);
      s.installed = false;
      return undefined;
    case 'expect': {
      const failures = checkExpect(step, {
        engine, appId: s.appId, installed: s.installed, window: s.recorder.since(), response: s.recorder.response,
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
    case 'expect': {
      const keys = Object.keys(step.expect).filter((k) => k !== 'exactly' && k !== 'hasState' && (step.expect as Record<string, unknown>)[k] !== undefined);
      return `expect ${keys.join(', ')}${step.expect.exactly ? ' (exactly)' : ''}`;
    }
  }
}
