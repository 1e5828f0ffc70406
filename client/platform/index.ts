/**
 * The platform in the editor: the connection, its status bar item, the App Store, Things and
 * Templates views, and their commands, registered together.
 */
import * as vscode from 'vscode';
import { PlatformConnection } from './connection';
import { registerPlatformCommands } from '../commands/platform';
import { APP_STORE_VIEW, AppStoreTree, TEMPLATES_VIEW, THINGS_VIEW, TemplatesTree, ThingsTree } from './platform-trees';
import { createStatusItem } from './status-item';

export interface PlatformUi {
  connection: PlatformConnection;
  disposables: vscode.Disposable[];
}

export function registerPlatform(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): PlatformUi {
  const connection = new PlatformConnection(extension, log);
  const appStore = new AppStoreTree(connection);
  const things = new ThingsTree(connection);
  const templates = new TemplatesTree(connection);
  const templatesView = vscode.window.createTreeView(TEMPLATES_VIEW, { treeDataProvider: templates, showCollapseAll: true });
  const revealTemplate = async (templateId: string) => {
    const node = templates.getChildren().find((n) => n.kind === 'template' && n.templateId === templateId);
    if (node) await templatesView.reveal(node, { select: true, focus: true, expand: true });
  };
  const disposables = [
    appStore, things, templates, templatesView,
    vscode.window.createTreeView(APP_STORE_VIEW, { treeDataProvider: appStore, showCollapseAll: true }),
    vscode.window.createTreeView(THINGS_VIEW, { treeDataProvider: things, showCollapseAll: true, canSelectMany: true }),
    createStatusItem(connection),
    ...registerPlatformCommands(connection, revealTemplate),
  ];
  return { connection, disposables };
}
