/**
 * The Testing view's tree: app → scenario file → scenario, kept current as files are added,
 * changed (on disk or in an editor, unsaved) and deleted — a folder too: deleting or renaming an
 * app's folder takes its scenarios along. A file that stops parsing (the user is typing) keeps the
 * scenarios it had, with the problem shown on the file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { appFolderDescription, EXCLUDE_GLOB, isInNodeModules } from '../activation/app-detection';
import { groupByApp, hasSyntaxError, readScenarioFile, SCENARIO_GLOB, SCENARIO_SUFFIX, scenarioIds, type ScenarioFileEntry } from './discovery';

export type ItemData =
  | { kind: 'app'; folder: string | undefined }
  | { kind: 'file'; file: string; app: string | undefined }
  | { kind: 'scenario'; file: string; app: string | undefined; name: string; line: number };

/** Scenario files are small; one of many megabytes is not parsed on the extension host. */
const MAX_SCENARIO_FILE_BYTES = 2 * 1024 * 1024;
const EDIT_DELAY_MS = 300;

export class ScenarioTree implements vscode.Disposable {
  private readonly files = new Map<string, ScenarioFileEntry>();
  private readonly appFolders = new Set<string>();
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly editTimers = new Map<string, NodeJS.Timeout>();

  constructor(readonly controller: vscode.TestController) {
    const scenarios = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB);
    const apps = vscode.workspace.createFileSystemWatcher('**/app.json', false, true, false);
    // A deleted folder is one event for the folder, which neither glob above matches.
    const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.disposables.push(
      scenarios,
      apps,
      deletions,
      deletions.onDidDelete((uri) => this.forgetUnder(uri.fsPath)),
      // What the user does in VS Code (Explorer, refactorings), whether or not the disk watcher reports it.
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.forgetUnder(uri.fsPath))),
      vscode.workspace.onDidRenameFiles((e) => {
        for (const { oldUri, newUri } of e.files) {
          this.forgetUnder(oldUri.fsPath);
          void this.discoverUnder(newUri);
        }
      }),
      vscode.workspace.onDidCreateFiles((e) => e.files.forEach((uri) => void this.discoverUnder(uri))),
      scenarios.onDidCreate((uri) => void this.readFromDisk(uri)),
      scenarios.onDidChange((uri) => void this.readFromDisk(uri)),
      scenarios.onDidDelete((uri) => this.forget(uri.fsPath)),
      apps.onDidCreate((uri) => this.setApp(uri.fsPath, true)),
      apps.onDidDelete((uri) => this.setApp(uri.fsPath, false)),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)),
      // Closing without saving drops the edits: back to the file on disk.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (isScenarioUri(d.uri)) void this.readFromDisk(d.uri);
      }),
    );
    controller.refreshHandler = () => this.discover();
  }

  /** Finds every app and scenario file of the workspace. */
  async discover(): Promise<void> {
    const [apps, scenarioFiles] = await Promise.all([
      vscode.workspace.findFiles('**/app.json', EXCLUDE_GLOB),
      vscode.workspace.findFiles(SCENARIO_GLOB, EXCLUDE_GLOB),
    ]);
    this.appFolders.clear();
    for (const a of apps) this.appFolders.add(path.dirname(a.fsPath));
    this.files.clear();
    await Promise.all(scenarioFiles.map((uri) => this.readFromDisk(uri, false)));
    this.render();
  }

  /** Adds the apps and scenario files at or under a new or renamed file or folder. */
  private async discoverUnder(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || isInNodeModules(uri.fsPath)) return;
    let isFolder = false;
    try {
      isFolder = ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
    } catch {
      return; // gone again
    }
    if (!isFolder) {
      if (path.basename(uri.fsPath) === 'app.json') this.setApp(uri.fsPath, true);
      else await this.readFromDisk(uri);
      return;
    }
    const [apps, scenarioFiles] = await Promise.all([
      vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/app.json'), EXCLUDE_GLOB),
      vscode.workspace.findFiles(new vscode.RelativePattern(uri, SCENARIO_GLOB), EXCLUDE_GLOB),
    ]);
    for (const a of apps) this.appFolders.add(path.dirname(a.fsPath));
    await Promise.all(scenarioFiles.map((f) => this.readFromDisk(f, false)));
    this.render();
  }

  dataOf(item: vscode.TestItem): ItemData | undefined {
    return this.data.get(item);
  }

  fileItem(file: string): vscode.TestItem | undefined {
    for (const [, app] of this.controller.items) {
      const found = app.children.get(fileId(file));
      if (found) return found;
    }
    return undefined;
  }

  private edited(document: vscode.TextDocument): void {
    if (!isScenarioUri(document.uri)) return;
    const file = document.uri.fsPath;
    clearTimeout(this.editTimers.get(file));
    this.editTimers.set(
      file,
      setTimeout(() => {
        this.editTimers.delete(file);
        this.update(readScenarioFile(file, document.getText()));
      }, EDIT_DELAY_MS),
    );
  }

  private async readFromDisk(uri: vscode.Uri, render = true): Promise<void> {
    if (!isScenarioUri(uri)) return;
    // An editor with unsaved changes is newer than the disk.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.isDirty);
    if (open) return this.update(readScenarioFile(uri.fsPath, open.getText()), render);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_SCENARIO_FILE_BYTES) {
        const message = `larger than ${MAX_SCENARIO_FILE_BYTES / 1024 / 1024} MB: not read for the Testing view (it still runs)`;
        return this.update({ file: uri.fsPath, scenarios: [], problems: [{ message, line: 0, column: 0 }] }, render);
      }
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      this.update(readScenarioFile(uri.fsPath, text), render);
    } catch {
      this.forget(uri.fsPath);
    }
  }

  private update(entry: ScenarioFileEntry, render = true): void {
    const previous = this.files.get(entry.file);
    this.files.set(entry.file, hasSyntaxError(entry) && previous ? { ...entry, scenarios: previous.scenarios } : entry);
    if (render) this.render();
  }

  private forget(file: string): void {
    if (this.files.delete(file)) this.render();
  }

  /** Forgets a deleted file, or everything under a deleted folder. */
  private forgetUnder(deleted: string): void {
    const within = (p: string) => p === deleted || p.startsWith(deleted + path.sep);
    let changed = false;
    for (const file of [...this.files.keys()]) if (within(file)) changed = this.files.delete(file) || changed;
    for (const folder of [...this.appFolders]) if (within(folder)) changed = this.appFolders.delete(folder) || changed;
    if (path.basename(deleted) === 'app.json') changed = this.appFolders.delete(path.dirname(deleted)) || changed;
    if (changed) this.render();
  }

  private setApp(appJson: string, present: boolean): void {
    if (isInNodeModules(appJson)) return;
    const folder = path.dirname(appJson);
    if (present) this.appFolders.add(folder);
    else this.appFolders.delete(folder);
    this.render();
  }

  /** Rebuilds the tree, reusing items that keep their place so the view keeps their results. */
  private render(): void {
    const { controller } = this;
    const apps = groupByApp(this.files.values(), this.appFolders).map((group) => {
      const id = group.folder ? `app:${group.folder}` : 'app:none';
      const label = group.folder ? path.basename(group.folder) : 'Scenarios without an app';
      const appItem = this.item(controller.items, id, label, group.folder ? vscode.Uri.file(path.join(group.folder, 'app.json')) : undefined, { kind: 'app', folder: group.folder });
      appItem.description = group.folder ? appFolderDescription(vscode.workspace.asRelativePath(group.folder), label) : undefined;
      appItem.children.replace(
        group.files.map((entry) => {
          const rel = group.folder ? path.relative(group.folder, entry.file).split(path.sep).join('/') : vscode.workspace.asRelativePath(entry.file);
          const fileItem = this.item(appItem.children, fileId(entry.file), rel, vscode.Uri.file(entry.file), { kind: 'file', file: entry.file, app: group.folder });
          fileItem.error = entry.problems.length ? entry.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)).join('\n') : undefined;
          const ids = scenarioIds(entry.scenarios);
          fileItem.children.replace(
            entry.scenarios.map((s, i) => {
              const item = this.item(fileItem.children, ids[i], s.name, vscode.Uri.file(entry.file), { kind: 'scenario', file: entry.file, app: group.folder, name: s.name, line: s.line });
              item.range = new vscode.Range(s.line - 1, 0, s.line - 1, 0);
              item.sortText = String(s.line).padStart(8, '0');
              return item;
            }),
          );
          return fileItem;
        }),
      );
      return appItem;
    });
    controller.items.replace(apps);
  }

  private item(siblings: vscode.TestItemCollection, id: string, label: string, uri: vscode.Uri | undefined, data: ItemData): vscode.TestItem {
    let item = siblings.get(id);
    if (!item || item.uri?.toString() !== uri?.toString()) item = this.controller.createTestItem(id, label, uri);
    item.label = label;
    this.data.set(item, data);
    return item;
  }

  dispose(): void {
    for (const t of this.editTimers.values()) clearTimeout(t);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function fileId(file: string): string {
  return `file:${file}`;
}

function isScenarioUri(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && uri.fsPath.endsWith(SCENARIO_SUFFIX) && !isInNodeModules(uri.fsPath);
}
