/**
 * "SmartPlug: Record Scenario" on a Thing (or one of its apps) in the Things view (issue 19): what
 * the app really sees and does on the Thing is recorded for the time picked (or until the user
 * stops it) through the Thing's JS Shell, and written as a scenario file into the workspace's
 * folder of that app (its tests/), or beside the version the Thing runs, downloaded from the App
 * Store. The Testing view then runs it like any scenario. The same code as `smartplug record`.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeRecording, recordThing, writeScenario } from '../../platform/record/record-scenario';
import { ShellClient } from '../../platform/shell/shell-client';
import type { PlatformConnection } from './connection';
import type { PlatformNode } from './platform-trees';

const DURATIONS = [
  { label: '1 minute', seconds: 60 },
  { label: '5 minutes', seconds: 300 },
  { label: '15 minutes', seconds: 900 },
  { label: 'Until I stop it', description: 'at most an hour', seconds: 3600 },
];

export async function recordScenario(connection: PlatformConnection, appFolders: () => Promise<vscode.Uri[]>, log: vscode.LogOutputChannel, node?: PlatformNode): Promise<string | undefined> {
  const live = connection.live;
  if (!live) return void vscode.window.showInformationMessage('Connect to a platform first: start the local environment, or connect to a remote one.');
  let thingId = node && 'thingId' in node ? node.thingId : undefined;
  if (!thingId) {
    const pick = await vscode.window.showQuickPick(live.things.filter((t) => t.connected).map((t) => ({ label: t.thingId, description: t.model })), { title: 'Record a scenario on which Thing?' });
    thingId = pick?.label;
  }
  const thing = thingId ? live.thing(thingId) : undefined;
  if (!thing) return undefined;
  const apps = [...thing.apps, ...thing.inherited].filter((a) => a.status.state === 'running');
  let app = node?.kind === 'thingApp' ? apps.find((a) => a.installation_id === node.installationId) : apps.length === 1 ? apps[0] : undefined;
  if (!app) {
    const pick = await vscode.window.showQuickPick(apps.map((a) => ({ label: a.name, description: `${live.apps.find((s) => s.appId === a.app_id)?.name ?? a.app_id} ${a.version} · installation ${a.installation_id}`, app: a })), { title: `Record which app of ${thing.thingId}?` });
    app = pick?.app;
  }
  if (!app) return undefined;
  const storeName = live.apps.find((s) => s.appId === app!.app_id)?.name;
  const duration = await vscode.window.showQuickPick(DURATIONS, { title: `Record ${app.name} on ${thing.thingId} for how long?` });
  if (!duration) return undefined;
  // The workspace's folder of this app (by its app.json name), else the version the Thing runs.
  const folders = (await appFolders()).filter((f) => appName(f.fsPath) === storeName);
  const download = { label: `The version ${thing.thingId} runs (${storeName ?? app.app_id} ${app.version})`, description: 'downloaded from the App Store into recordings/', folder: undefined as string | undefined };
  const target = folders.length === 1 ? { folder: folders[0].fsPath } : await vscode.window.showQuickPick([...folders.map((f) => ({ label: vscode.workspace.asRelativePath(f), description: 'its tests/ folder', folder: f.fsPath as string | undefined })), download], { title: 'Replay the recording against which app folder?' });
  if (!target) return undefined;
  const access = await connection.shellAccess(thing.thingId);
  if (!access) return undefined;
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const client = await ShellClient.connect({ brokerUrl: access.brokerUrl, token: access.token, ...(access.brokerCa ? { brokerCa: access.brokerCa } : {}), timeoutMs: 10_000 });
  try {
    const recording = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Recording ${app.name} on ${thing.thingId}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: `for ${duration.label.toLowerCase()}; Cancel ends it now and keeps what it has` });
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return recordThing(client, thing.thingId, access.credential, app!.installation_id, duration.seconds, abort.signal);
      },
    );
    if (access.source === 'typed') await connection.keepShellCredential(thing.thingId, access.credential);
    const written = await writeScenario(recording, target.folder ? { appDir: target.folder } : { outDir: path.join(workspace ?? '.', 'recordings'), api: live.api });
    log.info(`Recorded ${app.name} on ${thing.thingId}: ${describeRecording(recording)}; wrote ${written.file}`);
    await vscode.window.showTextDocument(vscode.Uri.file(written.file), { preview: false });
    void vscode.window.showInformationMessage(`Recorded ${describeRecording(recording)}. The scenario replays it on a virtual clock (Testing view, or smartplug test).`);
    return written.file;
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not record ${app.name} on ${thing.thingId}: ${(e as Error).message}`);
    return undefined;
  } finally {
    await client.close();
  }
}

function appName(folder: string): string | undefined {
  const file = path.join(folder, 'app.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}
