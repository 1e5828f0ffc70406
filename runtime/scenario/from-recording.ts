/**
 * A scenario file (docs/scenarios.md) from what a Thing really saw while it was recorded (issue 19):
 * the inputs (device reports, commands from outside, mode changes, web-service calls) become steps,
 * the real time between them becomes `advance` steps of the virtual clock, and what the recorded
 * app did becomes an `expect` after each step: its commands and notifications, exactly. Replayed
 * against the app that produced it, it passes; against a changed app, the first expect that fails
 * is where the behaviour diverged. Pure: the agent gathers the timeline (platform/agent).
 */
import type { AttrValue, DeviceSpec } from '../devices/types';
import type { LocationSpec } from '../engine/location';

/** Something from outside the app that the replay must do again. */
export type RecordedInput =
  | { kind: 'event'; device: string; attribute: string; value: AttrValue }
  | { kind: 'command'; device: string; command: string; args: unknown[] }
  | { kind: 'mode'; mode: string }
  | { kind: 'call'; method: string; path: string; body: unknown; status: number };

/** Something the recorded app did, which the replay expects of it. */
export type RecordedOutput = { kind: 'command'; device: string; command: string; args: unknown[] } | { kind: 'notification'; output: string | number; message: string };

export type TimelineEntry = { time: number } & ({ input: RecordedInput } | { output: RecordedOutput });

export interface Recording {
  thingId: string;
  /** epoch ms the recording started and ended (the Thing's clock) */
  startedAt: number;
  endedAt: number;
  /** the devices as they were when it started, values included */
  devices: DeviceSpec[];
  location: LocationSpec;
  /** the recorded app's instance object (seed 003), as the platform provisioned it */
  instance: { app_id: number; installation_id: number; version: string; name: string; config: Record<string, unknown> };
  /** where the scenario finds the app's folder, relative to the scenario file */
  appPath: string;
  timeline: TimelineEntry[];
}

/**
 * How long after an input what the app did counts as its reaction to it (expected right after the
 * step); anything later came from a timer and is expected after the `advance` that fires it.
 */
export const REACTION_MS = 250;

/** An input and what the app did in reaction, or what it did on its own (a timer's work): one step and its expect. */
interface Burst {
  time: number;
  input?: RecordedInput;
  outputs: RecordedOutput[];
}

/** The timeline cut into bursts: each input with the outputs within REACTION_MS after it, and outputs of timers with theirs. */
function bursts(timeline: TimelineEntry[]): Burst[] {
  const out: Burst[] = [];
  let current: Burst | undefined;
  for (const entry of [...timeline].sort((a, b) => a.time - b.time)) {
    if ('input' in entry) {
      current = { time: entry.time, input: entry.input, outputs: [] };
      out.push(current);
    } else if (current && entry.time <= current.time + REACTION_MS) {
      current.outputs.push(entry.output);
    } else {
      current = { time: entry.time, outputs: [entry.output] };
      out.push(current);
    }
  }
  return out;
}

/** The scenario file, as JSON: one scenario, with the recording's steps. */
export function scenarioFromRecording(r: Recording): Record<string, unknown> {
  // What installed() does in the replay happened long before the recording on the Thing: the
  // first expect closes that window (checking only that the replay starts in the recorded mode).
  const steps: Array<Record<string, unknown>> = [{ expect: { mode: r.location.mode } }];
  let now = r.startedAt;
  for (const b of bursts(r.timeline)) {
    if (b.time > now) {
      steps.push({ advance: b.time - now });
      now = b.time;
    }
    if (b.input) steps.push(stepOf(b.input));
    steps.push({ expect: { ...expectation(b.outputs), ...(b.input?.kind === 'call' ? { response: { status: b.input.status } } : {}) } });
  }
  if (r.endedAt > now) {
    steps.push({ advance: r.endedAt - now });
    steps.push({ expect: expectation([]) });
  }
  const description = `Recorded on ${r.thingId} from ${new Date(r.startedAt).toISOString()} to ${new Date(r.endedAt).toISOString()} (smartplug record): what the Thing saw, replayed on a virtual clock. The app starts afresh (installed()), not with the state it had on the Thing.`;
  return {
    app: r.appPath,
    start: new Date(r.startedAt).toISOString(),
    location: r.location,
    devices: r.devices,
    config: r.instance,
    scenarios: [{ name: `${r.instance.name} on ${r.thingId}, recorded ${new Date(r.startedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`, description, steps }],
  };
}

function stepOf(input: RecordedInput): Record<string, unknown> {
  switch (input.kind) {
    case 'event':
      return { event: { device: input.device, attribute: input.attribute, value: input.value } };
    case 'command':
      return { command: { device: input.device, command: input.command, args: input.args } };
    case 'mode':
      return { mode: input.mode };
    case 'call':
      return { call: { method: input.method, path: input.path, ...(input.body !== null && input.body !== undefined ? { body: input.body } : {}) } };
  }
}

function expectation(outputs: RecordedOutput[]): Record<string, unknown> {
  const commands = outputs.filter((o): o is Extract<RecordedOutput, { kind: 'command' }> => o.kind === 'command').map((c) => ({ device: c.device, command: c.command, args: c.args }));
  const notifications = outputs.filter((o): o is Extract<RecordedOutput, { kind: 'notification' }> => o.kind === 'notification').map((n) => ({ output: n.output, message: n.message }));
  return { commands, notifications, exactly: true };
}
