/**
 * Recordings made through the JS Shell (the `record` action, issue 19): each records one app of the
 * Thing for up to its time, answering the recording on its respond topic when it ends (at its time,
 * on `cancel` with that respond topic, when it is full, or when the agent stops).
 */
import type { Recording } from '../../runtime/scenario/from-recording';
import type { RecordingEnd, ShellResults } from '../protocol';
import type { ShellHost } from './shell-service';
import type { ShellStream } from './shell-stream';
import { ThingRecording } from './thing-recording';

/** Recordings under way at once, per Thing. */
export const MAX_RECORDINGS = 4;
/** The longest recording, in seconds. */
export const MAX_RECORDING_S = 3600;

export class ShellRecordings {
  private readonly running = new Map<string, { recording: ThingRecording; stream: ShellStream; timer: NodeJS.Timeout }>();

  constructor(
    private readonly host: ShellHost,
    /** the instance object of an installation, as provisioned */
    private readonly instanceOf: (installationId: number) => Recording['instance'] | undefined,
  ) {}

  async start(installationId: number, seconds: number, stream: ShellStream): Promise<void> {
    const installation = this.host.installations().find((i) => i.installationId === installationId);
    const instance = this.instanceOf(installationId);
    if (!installation || !instance) {
      const list = this.host.installations().map((i) => `${i.installationId} (${i.app})`).join(', ') || 'none';
      return stream.fail('unknown-app', `${this.host.thingId} has no app with installation id ${installationId}; its apps: ${list}`);
    }
    if (this.running.size >= MAX_RECORDINGS) return stream.fail('busy', `${MAX_RECORDINGS} recordings are under way on ${this.host.thingId} already`);
    const respond = stream.respond;
    const recording = await ThingRecording.start(this.host.thing, this.host.thingId, installation.appId, instance, () => this.finish(respond, 'full'));
    const timer = setTimeout(() => this.finish(respond, 'time'), Math.min(seconds, MAX_RECORDING_S) * 1000);
    timer.unref();
    this.running.set(respond, { recording, stream, timer });
  }

  /** Ends the recording answering on `respond`, which answers what it recorded; false when there is none. */
  finish(respond: string, endedBy: RecordingEnd): boolean {
    const r = this.running.get(respond);
    if (!r) return false;
    this.running.delete(respond);
    clearTimeout(r.timer);
    r.stream.done({ recording: r.recording.stop(endedBy) } satisfies ShellResults['record']);
    return true;
  }

  /** A call of an app's endpoint (the endpoint service says so), for the recordings of that app. */
  call(appId: string, method: string, path: string, body: unknown, status: number): void {
    for (const r of this.running.values()) r.recording.call(appId, method, path, body, status);
  }

  /** The agent stops: every recording ends with what it has. */
  close(): void {
    for (const respond of [...this.running.keys()]) this.finish(respond, 'thing-stopped');
  }
}
