/**
 * Keeps each app's IntelliSense declarations current: when an app.js or app.json is opened, or
 * app.json saved, asks the server for `smartplug/appTypes` and writes the answer into
 * `<app>/.smartplug/` (plus a jsconfig.json when the folder has none). Files are rewritten only
 * when their text changes, so VS Code's TypeScript support does not reload for nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient/node';
import { AppTypesRequest } from '../../server/protocol';
import { isOwnFile } from '../activation/app-detection';
import { headOf } from '../activation/read-head';
import { affectsScriptDeclarations, scriptDeclarationsEnabled } from '../config';
import { appFolderOfDocument, declarationFiles, jsconfigFile, type GeneratedFile } from './declarations';
import { exists } from '../workspace-files';

export class AppTypesWriter implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** One update per app folder at a time; a request during one runs once after it. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (path.basename(d.uri.fsPath) === 'app.json') this.schedule(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsScriptDeclarations(e)) this.scheduleOpen();
      }),
    );
    this.scheduleOpen();
  }

  private scheduleOpen(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d.uri);
  }

  private schedule(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    const folder = appFolderOfDocument(uri.fsPath);
    if (!folder || !scriptDeclarationsEnabled(uri)) return;
    if (this.running.has(folder)) {
      this.again.add(folder);
      return;
    }
    const work = this.update(folder, uri)
      .catch((e) => this.log.warn(`JavaScript IntelliSense for ${folder}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.running.delete(folder);
        if (this.again.delete(folder)) this.schedule(uri);
      });
    this.running.set(folder, work);
  }

  private async update(folder: string, uri: vscode.Uri): Promise<void> {
    // Only SmartPlug apps: an Expo project's app.json gets no .smartplug folder.
    const appJson = vscode.Uri.file(path.join(folder, 'app.json'));
    const head = await headOf(appJson);
    if (head === undefined || !isOwnFile({ path: appJson.fsPath, head })) return;
    const types = await this.client.sendRequest(AppTypesRequest.type, { uri: uri.toString() });
    let written = 0;
    for (const file of declarationFiles(folder, types)) if (await writeIfChanged(file)) written++;
    const jsconfig = jsconfigFile(folder);
    if (!(await exists(vscode.Uri.file(jsconfig.path)))) {
      await writeIfChanged(jsconfig);
      written++;
    }
    if (written) this.log.info(`Wrote JavaScript IntelliSense declarations for ${vscode.workspace.asRelativePath(folder)}.`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

async function writeIfChanged(file: GeneratedFile): Promise<boolean> {
  const uri = vscode.Uri.file(file.path);
  try {
    if (Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') === file.content) return false;
  } catch {
    /* not there yet */
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(file.path)));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(file.content, 'utf8'));
  return true;
}
