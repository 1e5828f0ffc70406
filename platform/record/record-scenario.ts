/**
 * Recording a Thing's app into a scenario file (issue 19), as `smartplug record` and the editor's
 * Record Scenario both do it: the JS Shell's `record` action on the Thing (ended early by cancel),
 * then the scenario written beside the app's folder: the user's own folder, or the version the
 * Thing ran, downloaded from the App Store, so that the recording replays against the app that
 * produced it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readBundle } from '../bundle';
import type { ShellResults } from '../protocol';
import type { PlatformApi } from '../remote/platform-api';
import type { ShellClient } from '../shell/shell-client';
import { scenarioFromRecording } from '../../runtime/scenario/from-recording';

export type RecordingResult = ShellResults['record']['recording'];

/** Records the app of `installationId` on the Thing for `seconds`, or until `signal` aborts; what it recorded. */
export async function recordThing(client: ShellClient, thingId: string, credential: string, installationId: number, seconds: number, signal?: AbortSignal): Promise<RecordingResult> {
  const call = client.request(thingId, credential, 'record', { app: installationId, seconds }, { timeoutMs: seconds * 1000 + 30_000 });
  const stop = () => void client.cancel(thingId, credential, call).catch(() => undefined);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const answer = await call.final;
    if (answer.error) throw new Error(`${thingId} could not record: ${answer.error.message}`);
    return (answer.result as ShellResults['record']).recording;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/** A file name's stamp of when the recording started: 20261203-0945. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
}

/**
 * Writes the recording as a scenario file: in `appDir/tests/` (or at `outFile`) against the app
 * folder `appDir`; without one, beside a folder holding the app version the Thing ran, downloaded
 * from the App Store into `outDir`. Returns the scenario file and the app folder.
 */
export async function writeScenario(recording: RecordingResult, where: { appDir?: string; outFile?: string; outDir?: string; api?: PlatformApi }): Promise<{ file: string; appDir: string }> {
  const { instance, thingId } = recording;
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');
  let appDir = where.appDir ? path.resolve(where.appDir) : undefined;
  const outDir = path.resolve(where.outDir ?? '.');
  if (!appDir) {
    if (!where.api) throw new Error('give the app folder to replay against, or a platform to download the app from');
    const bytes = await where.api.bundle(instance.app_id, instance.version);
    const contents = await readBundle(bytes, { label: `app ${instance.app_id} ${instance.version}` });
    appDir = path.join(outDir, `${safe(contents.name)}-${safe(contents.version)}`);
    mkdirSync(appDir, { recursive: true });
    writeFileSync(path.join(appDir, 'app.json'), contents.appJsonText);
    writeFileSync(path.join(appDir, 'app.js'), contents.script);
  }
  const file = path.resolve(where.outFile ?? path.join(where.appDir ? path.join(appDir, 'tests') : outDir, `${safe(thingId)}-${safe(instance.name)}-${stamp(recording.startedAt)}.scenario.json`));
  mkdirSync(path.dirname(file), { recursive: true });
  const appPath = path.relative(path.dirname(file), appDir).split(path.sep).join('/') || '.';
  writeFileSync(file, JSON.stringify(scenarioFromRecording({ ...recording, appPath }), null, 2) + '\n');
  return { file, appDir };
}

/** How many inputs and outputs a recording has, in words. */
/** What the CLI adds when a recording did not end at its time or by Ctrl-C. */
const ENDINGS: Partial<Record<RecordingResult['endedBy'], string>> = {
  full: ' (it was full and ended early)',
  'thing-stopped': ' (the Thing stopped, which ended the recording early)',
};

export function describeRecording(r: RecordingResult): string {
  const inputs = r.timeline.filter((e) => 'input' in e).length;
  const outputs = r.timeline.length - inputs;
  const seconds = Math.round((r.endedAt - r.startedAt) / 1000);
  return `${inputs} input${inputs === 1 ? '' : 's'} (device reports, commands, mode changes, calls) and ${outputs} thing${outputs === 1 ? '' : 's'} the app did, over ${seconds} s${ENDINGS[r.endedBy] ?? ''}`;
}
