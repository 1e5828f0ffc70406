/**
 * Waits for a SmartPlug app: the extension activates on any app.json, manifest.json or *.load.json
 * by name, but starts the language server only once one of them is ours (an Expo or Heroku
 * app.json is not). Looks at open documents and the workspace once, then watches files and editors
 * until one appears, and fires once.
 */
import * as vscode from 'vscode';
import { appJsonBeside, EXCLUDE_GLOB, isInNodeModules, isOwnFile, isScriptPath, OWN_FILES_GLOB } from './app-detection';
import { SMARTPLUG_JSON } from '../language-client/language-id';
import { documentHead, headOf, readHead } from './read-head';

export class AppPresence implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires once, with the first file found to be ours. */
  readonly onDidFindApp = this.emitter.event;
  private readonly watching: vscode.Disposable[] = [];
  private found: vscode.Uri | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get app(): vscode.Uri | undefined {
    return this.found;
  }

  async start(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher(OWN_FILES_GLOB, false, false, true);
    this.watching.push(
      watcher,
      watcher.onDidCreate((uri) => void this.checkFile(uri)),
      watcher.onDidChange((uri) => void this.checkFile(uri)),
      vscode.workspace.onDidOpenTextDocument((d) => void this.checkDocument(d)),
    );
    for (const d of vscode.workspace.textDocuments) await this.checkDocument(d);
    if (this.found) return;
    const uris = await vscode.workspace.findFiles(OWN_FILES_GLOB, EXCLUDE_GLOB);
    for (const uri of uris) {
      if (this.found) return;
      await this.checkFile(uri);
    }
    if (!this.found) this.log.info(`No SmartPlug app in the workspace (${uris.length} candidate file(s)); the language server starts when one appears.`);
  }

  private async checkDocument(document: vscode.TextDocument): Promise<void> {
    if (this.found || document.uri.scheme !== 'file') return;
    const path = document.uri.fsPath;
    if (isScriptPath(path)) {
      const appJson = vscode.Uri.file(appJsonBeside(path));
      const head = await headOf(appJson);
      if (head !== undefined && isOwnFile({ path: appJson.fsPath, head })) this.foundAt(document.uri);
      return;
    }
    if (document.languageId !== 'json' && document.languageId !== 'jsonc' && document.languageId !== SMARTPLUG_JSON) return;
    if (isOwnFile({ path, head: documentHead(document) })) this.foundAt(document.uri);
  }

  private async checkFile(uri: vscode.Uri): Promise<void> {
    if (this.found || isInNodeModules(uri.fsPath)) return;
    const head = await readHead(uri);
    if (head !== undefined && isOwnFile({ path: uri.fsPath, head })) this.foundAt(uri);
  }

  private foundAt(uri: vscode.Uri): void {
    if (this.found) return;
    this.found = uri;
    this.log.info(`SmartPlug app found: ${vscode.workspace.asRelativePath(uri)}`);
    this.stopWatching();
    this.emitter.fire(uri);
  }

  private stopWatching(): void {
    for (const d of this.watching.splice(0)) d.dispose();
  }

  dispose(): void {
    this.stopWatching();
    this.emitter.dispose();
  }
}
