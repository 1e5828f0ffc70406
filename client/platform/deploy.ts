/**
 * "SmartPlug: Deploy App to Store": the app folder is validated by the language server first (an
 * app with errors is refused, with its problems one click away), a deployed app is never renamed
 * (seed 000), a version the App Store already passed is offered its bump, and the bundle goes up
 * with progress. The bundle is made and read here exactly as `smartplug deploy` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import * as vscode from 'vscode';
import { applyEdits, modify } from 'jsonc-parser';
import { makeBundle } from '../../platform/bundle';
import { recordDeploy, renameRefusal } from '../../platform/deploy/deploy-command';
import { parseAppJson } from '../../runtime/app/parse-app-json';
import { ValidateFilesRequest } from '../../server/protocol';
import type { SmartPlugContext } from '../context';
import type { PlatformConnection } from './connection';

export interface DeployDeps {
  ctx: SmartPlugContext;
  connection: PlatformConnection;
  /** the workspace's app folders, for the quick pick when no folder is given */
  appFolders: () => Promise<vscode.Uri[]>;
  /** shows the deployed app in the App Store view */
  reveal: (appId: number) => Promise<void>;
}

/** What was deployed, for the caller (and the tests). */
export interface Deployed {
  appId: number;
  name: string;
  version: string;
}

export async function deployApp(deps: DeployDeps, target?: vscode.Uri): Promise<Deployed | undefined> {
  const appDir = await chooseAppFolder(deps, target);
  if (!appDir) return undefined;
  const live = await ensureConnected(deps.connection);
  if (!live) return undefined;
  const appJsonFile = path.join(appDir, 'app.json');
  // Unsaved edits would not be in the bundle: save the app's files first, as a build would.
  for (const doc of vscode.workspace.textDocuments) if (doc.isDirty && path.dirname(doc.uri.fsPath) === appDir) await doc.save();

  // 1. Validate, with the editor's own rules.
  const files = ['app.json', 'app.js', 'manifest.json'].map((f) => path.join(appDir, f)).filter((f) => existsSync(f));
  const client = await deps.ctx.ensureServer();
  const checked = await client.sendRequest(ValidateFilesRequest.type, { uris: files.map((f) => vscode.Uri.file(f).toString()) });
  if (checked.errors > 0) {
    const choice = await vscode.window.showErrorMessage(`Deploy refused: ${path.basename(appDir)} has ${checked.errors} error${checked.errors === 1 ? '' : 's'} (${files.map((f) => path.basename(f)).join(', ')}). Fix them, then deploy again.`, 'Show Problems');
    if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }

  // 2. The name: a deployed app is never renamed (seed 000).
  const text = readFileSync(appJsonFile, 'utf8');
  const appJson = parseAppJson(text, appJsonFile).appJson;
  const name = appJson?.name;
  let version = appJson?.version;
  if (!name || !version) {
    void vscode.window.showErrorMessage(`Deploy refused: ${appJsonFile} needs a "name" and a "version" to deploy.`);
    return undefined;
  }
  const refusal = renameRefusal(appDir, live.api.url, name, 'deploy it as a new app');
  if (refusal) {
    const choice = await vscode.window.showErrorMessage(`Deploy refused: ${refusal}`, { modal: true }, 'Deploy as a New App');
    if (choice !== 'Deploy as a New App') return undefined;
  }

  // 3. The version: one the App Store already has, or passed, is offered its bump.
  const inStore = live.apps.find((a) => a.name === name);
  if (inStore && semver.valid(version) && !semver.gt(version, inStore.latestVersion)) {
    const bumps = (['patch', 'minor', 'major'] as const).map((kind) => ({ kind, version: semver.inc(inStore.latestVersion, kind)! }));
    const pick = await vscode.window.showQuickPick(
      bumps.map((b) => ({ label: b.version, description: b.kind, detail: `app.json says ${version}; the App Store has ${inStore.latestVersion}, and versions only go up` })),
      { title: `Deploy ${name}: choose its new version`, placeHolder: `The App Store already has ${name} ${inStore.latestVersion}` },
    );
    if (!pick) return undefined;
    version = pick.label;
    await setVersion(appJsonFile, version);
  }

  // 4. Deploy, with progress.
  try {
    const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deploying ${name} ${version} to ${live.api.url}` }, async (progress) => {
      progress.report({ message: 'bundling…' });
      const bundle = await makeBundle(appDir);
      progress.report({ message: `uploading ${(bundle.bytes.length / 1024).toFixed(1)} KB…` });
      return live.api.deploy(bundle.bytes);
    });
    recordDeploy(appDir, live.api.url, answer.app.appId, answer.app.name);
    deps.ctx.log.info(`Deployed ${answer.app.name} ${answer.version.version} as app ${answer.app.appId} (sha256 ${answer.version.sha256}) to ${live.api.url}.`);
    void vscode.window.showInformationMessage(`Deployed ${answer.app.name} ${answer.version.version} to the App Store. Drag it onto a Thing or a Template to provision it.`, 'Show in App Store').then((c) => c && deps.reveal(answer.app.appId));
    return { appId: answer.app.appId, name: answer.app.name, version: answer.version.version };
  } catch (e) {
    void vscode.window.showErrorMessage(`Deploy of ${name} ${version} failed: ${(e as Error).message}`);
    return undefined;
  }
}

async function chooseAppFolder(deps: DeployDeps, target?: vscode.Uri): Promise<string | undefined> {
  const candidates = [target, vscode.window.activeTextEditor?.document.uri].filter((u): u is vscode.Uri => u?.scheme === 'file');
  for (const uri of candidates) {
    const dir = existsSync(path.join(uri.fsPath, 'app.json')) ? uri.fsPath : path.dirname(uri.fsPath);
    if (existsSync(path.join(dir, 'app.json'))) return dir;
  }
  const folders = await deps.appFolders();
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('There is no SmartPlug app in this workspace to deploy: an app is a folder with app.json and app.js.');
    return undefined;
  }
  if (folders.length === 1) return folders[0].fsPath;
  const pick = await vscode.window.showQuickPick(folders.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), folder: f })), { title: 'Deploy which app to the App Store?' });
  return pick?.folder.fsPath;
}

/** The connected platform; when there is none, offers to start the local one (or connect) first. */
export async function ensureConnected(connection: PlatformConnection): Promise<PlatformConnection['live']> {
  if (connection.live && connection.status.state !== 'none') return connection.live;
  const choice = await vscode.window.showWarningMessage('Not connected to a SmartPlug platform.', 'Start Local Environment', 'Connect to Remote Platform…');
  if (choice === 'Start Local Environment') await connection.startLocal();
  else if (choice) await connection.connectRemote();
  return connection.live;
}

/** Writes the new version into app.json, through the editor when it is open (undo works), else on disk. */
async function setVersion(file: string, version: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(file);
  const text = doc.getText();
  const edited = applyEdits(text, modify(text, ['version'], version, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), edited);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}
