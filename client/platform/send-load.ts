/**
 * "SmartPlug: Send Load Action to Thing" (issue 19): a *.load.json file (seed 002) is sent to a
 * Thing of the connected platform, or to one of its devices, as a CMS does: the file is checked
 * first by the language server's rules, the platform shows what the url holds (the image's
 * manifest: version, issuer, description, readme) and asks to proceed, then the load's completion
 * is shown, naming the stage that failed if one did.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeCompletion, describeInspection, readLoadFile } from '../../platform/load/load-command';
import type { LoadAnswer } from '../../platform/protocol/api-types';
import type { PlatformConnection } from './connection';
import { ensureConnected } from './deploy';
import type { PlatformNode } from './platform-trees';

/** The seconds the editor waits for a completion (the load goes on after it when it takes longer). */
const WAIT_S = 300;
/** The protocol segment of a simulated device's do topic. */
const DEVICE_PROTOCOL = 'sim';

export async function sendLoadAction(connection: PlatformConnection, log: vscode.LogOutputChannel, from?: vscode.Uri | PlatformNode): Promise<LoadAnswer | undefined> {
  const file = await chooseLoadFile(from instanceof vscode.Uri ? from : undefined);
  if (!file) return undefined;
  const doc = await vscode.workspace.openTextDocument(file);
  if (doc.isDirty) await doc.save();
  const read = readLoadFile(file.fsPath, doc.getText());
  if ('problems' in read) {
    const choice = await vscode.window.showErrorMessage(`${path.basename(file.fsPath)} cannot be sent: ${read.problems[0]}${read.problems.length > 1 ? ` (and ${read.problems.length - 1} more)` : ''}`, 'Show Problems');
    if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }
  const live = await ensureConnected(connection);
  if (!live) return undefined;
  let thingId = from && !(from instanceof vscode.Uri) && 'thingId' in from ? from.thingId : undefined;
  if (!thingId) {
    const things = [...live.things].sort((a, b) => Number(b.connected) - Number(a.connected));
    if (things.length === 0) return void vscode.window.showInformationMessage('The connected platform has no Things to load onto.');
    const pick = await vscode.window.showQuickPick(things.map((t) => ({ label: t.thingId, description: `${t.model}${t.connected ? '' : ' · offline'}` })), { title: `Send ${path.basename(file.fsPath)} to which Thing?` });
    thingId = pick?.label;
  }
  if (!thingId) return undefined;
  const device = await chooseTarget(live, thingId, String(read.args.method));
  if (device === null) return undefined;
  const target = device ? `device ${device} of ${thingId}` : thingId;

  let inspection;
  try {
    inspection = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${String(read.args.url)}…` }, () => live.api.inspectLoad(read.args));
  } catch (e) {
    void vscode.window.showErrorMessage(`The image cannot be loaded: ${(e as Error).message}`);
    return undefined;
  }
  const proceed = await vscode.window.showInformationMessage(`Load ${inspection.manifest?.image ?? inspection.name} onto ${target}?`, { modal: true, detail: describeInspection(inspection).join('\n') }, 'Load');
  if (proceed !== 'Load') return undefined;

  try {
    const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loading ${inspection.name} onto ${target}…`, cancellable: false }, () =>
      live.api.sendLoad(thingId!, read.args, { waitS: WAIT_S, ...(device ? { device } : {}) }),
    );
    if (!answer.completion) {
      void vscode.window.showInformationMessage(`${target} has not answered yet: ${answer.message ?? ''}`);
      return answer;
    }
    const line = `${target}: ${describeCompletion(answer.completion)}`;
    log.info(`Load of ${path.basename(file.fsPath)} onto ${target}: ${JSON.stringify(answer.completion)}`);
    if (answer.completion.error) void vscode.window.showErrorMessage(line);
    else void vscode.window.showInformationMessage(line);
    return answer;
  } catch (e) {
    void vscode.window.showErrorMessage(`The load action was not sent: ${(e as Error).message}`);
    return undefined;
  }
}

async function chooseLoadFile(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (uri?.fsPath.endsWith('.load.json')) return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.fsPath.endsWith('.load.json')) return active;
  const files = await vscode.workspace.findFiles('**/*.load.json', '**/node_modules/**', 200);
  if (files.length === 0) return void vscode.window.showInformationMessage('There is no load action file (*.load.json) in this workspace to send.');
  if (files.length === 1) return files[0];
  const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), file: f })), { title: 'Send which load action?' });
  return pick?.file;
}

/** The device to load onto ("protocol/handle"), '' for the Thing itself, or null when cancelled. */
async function chooseTarget(live: NonNullable<PlatformConnection['live']>, thingId: string, method: string): Promise<string | null> {
  // Only native images (and hybrids of them) go to a device; the others are for the Thing itself.
  if (method !== 'native' && method !== 'hybrid') return '';
  const devices = await live.devicesOf(thingId).then((d) => d.devices).catch(() => []);
  if (devices.length === 0) return '';
  const pick = await vscode.window.showQuickPick(
    [{ label: thingId, description: 'the Thing itself', device: '' }, ...devices.map((d) => ({ label: d.label, description: `device ${d.id}${d.type ? ` · ${d.type}` : ''}`, device: `${DEVICE_PROTOCOL}/${d.id}` }))],
    { title: `Load onto ${thingId}, or one of its devices?` },
  );
  return pick ? pick.device : null;
}
