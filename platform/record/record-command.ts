/**
 * `smartplug record THING [--minutes N]`: records what one app of a Thing really sees and does and
 * writes it as a scenario file that `smartplug test` replays (issue 19). The app is the one whose
 * name is the app.json name of --app DIR (then the scenario goes into DIR/tests/ and replays
 * against DIR), the installation --installation ID, or the Thing's only app; without --app, the
 * version the Thing runs is downloaded from the App Store beside the scenario. Ctrl-C ends the
 * recording early and keeps what it has.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ShellAppInfo } from '../protocol';
import { PlatformApi } from '../remote/platform-api';
import { readAccess } from '../shell/shell-command';
import { ShellClient } from '../shell/shell-client';
import { describeRecording, recordThing, writeScenario } from './record-scenario';

type Print = (line: string) => void;

export async function recordCommand(args: string[], out: Print, err: Print): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { minutes: { type: 'string', default: '5' }, app: { type: 'string' }, installation: { type: 'string' }, out: { type: 'string' }, dir: { type: 'string', default: '.smartplug' }, broker: { type: 'string' }, platform: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    err('smartplug record: give one Thing, e.g. smartplug record thing-1 --minutes 10 --app examples/door-light');
    return 2;
  }
  const thingId = positionals[0];
  const minutes = Number(values.minutes);
  if (!(minutes > 0 && minutes <= 60)) {
    err(`smartplug record: --minutes is from 0.1 to 60, not "${values.minutes}"`);
    return 2;
  }
  const access = readAccess(thingId, values.dir!, values.broker);
  if ('error' in access) {
    err(`smartplug record: ${access.error}`);
    return 2;
  }
  let wantedName: string | undefined;
  if (values.app) {
    const appJson = path.join(values.app, 'app.json');
    if (!existsSync(appJson)) {
      err(`smartplug record: ${values.app} is not an app folder (it has no app.json)`);
      return 2;
    }
    wantedName = (JSON.parse(readFileSync(appJson, 'utf8')) as { name?: string }).name;
  }
  const client = await ShellClient.connect({ brokerUrl: access.broker, token: access.token, timeoutMs: 10_000 });
  let onSignal: (() => void) | undefined;
  try {
    const listed = await client.request(thingId, access.credential, 'apps').final;
    if (listed.error) throw new Error(listed.error.message);
    const apps = listed.result as ShellAppInfo[];
    const chosen = values.installation ? apps.filter((a) => String(a.installation_id) === values.installation) : wantedName ? apps.filter((a) => a.app === wantedName) : apps;
    const list = apps.map((a) => `${a.installation_id} ${a.name} (${a.app} ${a.version})`).join(', ') || 'none';
    if (chosen.length !== 1) {
      err(`smartplug record: ${chosen.length === 0 ? 'no' : 'more than one'} app of ${thingId} ${values.installation ? `has installation ${values.installation}` : wantedName ? `is "${wantedName}"` : 'to choose from'}; its apps: ${list}. Choose one with --installation ID`);
      return 2;
    }
    const app = chosen[0];
    out(`recording ${app.name} (${app.app} ${app.version}, installation ${app.installation_id}) on ${thingId} for ${minutes} min; Ctrl-C ends it now and keeps what it has`);
    const abort = new AbortController();
    // Ctrl-C ends the recording. Once it has ended (by time, or the Thing's stop) the scenario is
    // being written: a Ctrl-C then is not taken for "stop now" and loses nothing; a second one does stop.
    let ended = false;
    let warned = false;
    onSignal = () => {
      if (!ended) abort.abort();
      else if (!warned) {
        warned = true;
        err('smartplug record: writing the scenario; Ctrl-C again stops without it');
      } else process.exit(130);
    };
    process.on('SIGINT', onSignal);
    const recording = await recordThing(client, thingId, access.credential, app.installation_id, Math.round(minutes * 60), abort.signal);
    ended = true;
    const platformUrl = values.platform ?? access.platform;
    const api = platformUrl ? new PlatformApi({ url: platformUrl, token: access.token }) : undefined;
    const written = await writeScenario(recording, { ...(values.app ? { appDir: values.app } : {}), ...(values.out ? { outFile: values.out } : {}), ...(api ? { api } : {}) });
    out(`recorded ${describeRecording(recording)}`);
    if (!values.app) out(`the app as ${thingId} ran it: ${path.relative('.', written.appDir) || '.'}`);
    out(`wrote ${path.relative('.', written.file)}; replay it with: smartplug test ${path.relative('.', written.file)}`);
    return 0;
  } catch (e) {
    err(`smartplug record: ${(e as Error).message}`);
    return 1;
  } finally {
    await client.close();
    if (onSignal) process.off('SIGINT', onSignal);
  }
}
