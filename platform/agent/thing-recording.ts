/**
 * A recording of what one app of a Thing really saw (issue 19): the inputs from outside the app
 * (device reports, commands from outside and other apps' commands, mode changes, calls of its
 * endpoints) and what the app did (its commands and notifications), each with the Thing's
 * time, from the records the Thing's runtime gives. runtime/scenario/from-recording.ts turns it
 * into a scenario file. Started by the JS Shell's `record` action (smartplug record, Record
 * Scenario in the editor), it ends at its time limit, on `cancel`, or when it is full.
 */
import type { AttrValue } from '../../runtime/devices/types';
import type { HostEventMap, Thing } from '../../runtime/host/thing';
import type { Recording, TimelineEntry } from '../../runtime/scenario/from-recording';
import type { RecordingEnd, ShellResults } from '../protocol';

/** The most entries a recording keeps (it ends, saying so, when it is full). */
export const MAX_RECORDED_ENTRIES = 5000;

export type RecordingOf = ShellResults['record']['recording'];

export class ThingRecording {
  private readonly timeline: TimelineEntry[] = [];
  private readonly detach: Array<() => void> = [];
  private ended: RecordingOf | undefined;

  private constructor(
    private readonly thing: Thing,
    private readonly appId: string,
    private readonly base: Omit<Recording, 'appPath' | 'timeline' | 'endedAt'>,
    private readonly onFull: () => void,
  ) {}

  /** Starts recording the app `appId` of the Thing (its instance as provisioned). */
  static async start(thing: Thing, thingId: string, appId: string, instance: Recording['instance'], onFull: () => void): Promise<ThingRecording> {
    const location = await thing.location();
    // The devices as they are now, with the values the host last saw: the replay starts from them.
    const devices = [...thing.journal.devices.values()].map((d) => structuredClone(d));
    const recording = new ThingRecording(thing, appId, { thingId, startedAt: Date.now(), devices, location, instance }, onFull);
    recording.listen();
    return recording;
  }

  get entries(): number {
    return this.timeline.length;
  }

  /** A call of one of the app's endpoints, and the status it answered. */
  call(appId: string, method: string, path: string, body: unknown, status: number): void {
    if (this.ours(appId)) this.add({ time: Date.now(), input: { kind: 'call', method, path, body: body ?? null, status } });
  }

  /** Ends the recording (once); what it recorded, and why it ended. */
  stop(endedBy: RecordingEnd): RecordingOf {
    if (!this.ended) {
      for (const off of this.detach) off();
      this.ended = { ...this.base, endedAt: Date.now(), timeline: this.timeline, truncated: this.timeline.length >= MAX_RECORDED_ENTRIES, endedBy };
    }
    return this.ended;
  }

  private ours(appId: string | undefined): boolean {
    return appId !== undefined && (appId === this.appId || appId.startsWith(`${this.appId}.`));
  }

  private add(entry: TimelineEntry): void {
    if (this.ended) return;
    this.timeline.push(entry);
    if (this.timeline.length >= MAX_RECORDED_ENTRIES) this.onFull();
  }

  private listen(): void {
    const on = <K extends 'deviceInput' | 'command' | 'notification' | 'locationEvent'>(event: K, listener: (r: HostEventMap[K]) => void) => {
      this.thing.on(event, listener as never);
      this.detach.push(() => this.thing.off(event, listener as never));
    };
    // A device's own report, taken as the host sends it (the worker need not forward every device
    // event for it). The recorded app's commands take effect again by themselves in the replay.
    on('deviceInput', (r) => this.add({ time: r.time, input: { kind: 'event', device: r.deviceId, attribute: r.attribute, value: r.value as AttrValue } }));
    on('command', (r) => {
      // A command from outside, or another app's (that app is not in the replay: its command is,
      // and acts on the simulated device the same way); the recorded app's is what it did.
      if (!this.ours(r.appId)) this.add({ time: r.time, input: { kind: 'command', device: r.deviceId, command: r.command, args: r.args } });
      else this.add({ time: r.time, output: { kind: 'command', device: r.deviceId, command: r.command, args: r.args } });
    });
    on('notification', (r) => {
      if (this.ours(r.appId)) this.add({ time: r.time, output: { kind: 'notification', output: r.outputId, message: r.message } });
    });
    on('locationEvent', (r) => {
      if (r.name === 'mode') this.add({ time: r.time, input: { kind: 'mode', mode: r.value } });
    });
  }
}
