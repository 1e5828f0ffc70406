/**
 * The "SmartPlug Apps" view in the Explorer: the workspace's apps (folders whose app.json is ours),
 * each with its files. When there is none, the view's welcome content offers "New SmartPlug App"
 * (package.json `viewsWelcome`); the context key `smartplug.appsScanned` tells it the first look
 * is over, so it never says "no app" before it has looked.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { appFolderDescription, isOwnFile } from '../activation/app-detection';
import { readHead } from '../activation/read-head';

export const APPS_VIEW = 'smartplug.apps';
const SCANNED_KEY = 'smartplug.appsScanned';
const APP_FOLDERS_KEY = 'smartplug.appFolders';
const APP_JSON_GLOB = '**/app.json';
const EXCLUDE = '**/node_modules/**';
/** The files of an app folder worth a click, in this order; scenarios follow. */
const APP_FILES = ['app.js', 'app.json', 'manifest.json', 'devices.json', 'instance.json'];

type Node = { kind: 'app'; folder: vscode.Uri; title: string } | { kind: 'file'; uri: vscode.Uri };

export class AppTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private apps: Promise<Node[]> | undefined;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(APP_JSON_GLOB);
    const refresh = () => this.refresh();
    this.disposables.push(watcher, watcher.onDidCreate(refresh), watcher.onDidDelete(refresh), watcher.onDidChange(refresh), vscode.workspace.onDidChangeWorkspaceFolders(refresh));
  }

  refresh(): void {
    this.apps = undefined;
    this.changed.fire(undefined);
  }

  /** The apps found (for the commands that act on "the app"), in the view's order. */
  async appFolders(): Promise<vscode.Uri[]> {
    return (await this.findApps()).flatMap((n) => (n.kind === 'app' ? [n.folder] : []));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.findApps();
    if (node.kind === 'file') return [];
    return filesOf(node.folder);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'app') {
      const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.Collapsed);
      // The title is app.json's name; the description says which folder it is.
      const name = path.basename(node.folder.fsPath);
      const parent = appFolderDescription(vscode.workspace.asRelativePath(node.folder), name);
      item.description = parent ? `${parent}/${name}` : name;
      item.tooltip = new vscode.MarkdownString(`**${node.title}**\n\n${node.folder.fsPath}`);
      item.iconPath = new vscode.ThemeIcon('plug');
      item.contextValue = 'smartplug.app';
      item.resourceUri = node.folder;
      item.command = { title: 'Open App Script', command: 'smartplug.openAppScript', arguments: [node.folder] };
      return item;
    }
    const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.None);
    item.command = { title: 'Open', command: 'vscode.open', arguments: [node.uri] };
    return item;
  }

  private findApps(): Promise<Node[]> {
    this.apps ??= scanApps()
      .then((apps) => {
        // The Explorer's folder menu offers app commands (Deploy App to Store) on these folders only.
        void vscode.commands.executeCommand('setContext', APP_FOLDERS_KEY, apps.flatMap((a) => (a.kind === 'app' ? [a.folder.fsPath, a.folder.path] : [])));
        return apps;
      })
      .finally(() => void vscode.commands.executeCommand('setContext', SCANNED_KEY, true));
    return this.apps;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.changed.dispose();
  }
}

async function scanApps(): Promise<Node[]> {
  const found = await vscode.workspace.findFiles(APP_JSON_GLOB, EXCLUDE);
  const apps: Node[] = [];
  for (const uri of found) {
    const head = await readHead(uri);
    // Only ours: an Expo or Heroku app.json is not an app.
    if (head === undefined || !isOwnFile({ path: uri.fsPath, head })) continue;
    const folder = vscode.Uri.joinPath(uri, '..');
    apps.push({ kind: 'app', folder, title: appTitle(head) ?? path.basename(folder.fsPath) });
  }
  return apps.sort((a, b) => (a.kind === 'app' && b.kind === 'app' ? a.folder.fsPath.localeCompare(b.folder.fsPath) : 0));
}

/** The app's `name` from app.json, when the file parses; the folder's name otherwise. */
function appTitle(head: string): string | undefined {
  try {
    const name = (JSON.parse(head) as { name?: unknown }).name;
    return typeof name === 'string' && name.trim() ? name.trim() : undefined;
  } catch {
    return undefined;
  }
}

async function filesOf(folder: vscode.Uri): Promise<Node[]> {
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  const names = new Set(entries.filter(([, t]) => t === vscode.FileType.File).map(([n]) => n));
  const files: Node[] = APP_FILES.filter((n) => names.has(n)).map((n) => ({ kind: 'file', uri: vscode.Uri.joinPath(folder, n) }));
  const scenarios = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.scenario.json'), EXCLUDE);
  scenarios.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  return [...files, ...scenarios.map((uri): Node => ({ kind: 'file', uri }))];
}
