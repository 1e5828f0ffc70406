/**
 * The platform in the editor: the connection, its status bar item, the App Store, Things,
 * Templates and Rollouts views with drag and drop between them, and their commands, registered
 * together.
 */
import * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';
import { registerPlatformCommands } from '../commands/platform';
import { PlatformConnection } from './connection';
import { AppStoreDrag, ProvisionDrop } from './drag-drop';
import { APP_STORE_VIEW, AppStoreTree, TEMPLATES_VIEW, THINGS_VIEW, TemplatesTree, ThingsTree, type PlatformNode } from './platform-trees';
import { provisionDrop, type DropTarget, type DroppedApp } from './provision';
import { createStatusItem } from './status-item';
import { ThingLogChannels } from './thing-logs-channel';
import { ROLLOUTS_VIEW, RolloutsTree } from './rollouts-tree';
import { registerAttach } from './attach-debugger';

export interface PlatformUi {
  connection: PlatformConnection;
  disposables: vscode.Disposable[];
}

export function registerPlatform(ctx: SmartPlugContext, appFolders: () => Promise<vscode.Uri[]>): PlatformUi {
  const connection = new PlatformConnection(ctx.extension, ctx.log);
  const appStore = new AppStoreTree(connection);
  const things = new ThingsTree(connection);
  const templates = new TemplatesTree(connection);
  const rollouts = new RolloutsTree(connection);
  const provision = async (dropped: DroppedApp, target: DropTarget) => {
    const live = connection.live;
    if (live) await provisionDrop(live, dropped, target, appFolders, ctx.log);
  };
  const appStoreView = vscode.window.createTreeView(APP_STORE_VIEW, { treeDataProvider: appStore, showCollapseAll: true, dragAndDropController: new AppStoreDrag() });
  const thingsView: vscode.TreeView<PlatformNode> = vscode.window.createTreeView(THINGS_VIEW, {
    treeDataProvider: things, showCollapseAll: true, canSelectMany: true, dragAndDropController: new ProvisionDrop(() => thingsView.selection, provision),
  });
  const templatesView = vscode.window.createTreeView(TEMPLATES_VIEW, { treeDataProvider: templates, showCollapseAll: true, dragAndDropController: new ProvisionDrop(() => [], provision) });
  const rolloutsView = vscode.window.createTreeView(ROLLOUTS_VIEW, { treeDataProvider: rollouts, showCollapseAll: true });
  const reveal = async (view: vscode.TreeView<PlatformNode>, nodes: PlatformNode[], match: (n: PlatformNode) => boolean) => {
    const node = nodes.find(match);
    if (node) await view.reveal(node, { select: true, focus: true, expand: true });
  };
  const thingLogs = new ThingLogChannels(connection);
  const disposables = [
    appStore, things, templates, rollouts, appStoreView, thingsView, templatesView, rolloutsView, thingLogs,
    createStatusItem(connection),
    ...registerAttach(connection, appFolders),
    ...registerPlatformCommands({
      ctx, connection, appFolders,
      revealTemplate: (id) => reveal(templatesView, templates.getChildren(), (n) => n.kind === 'template' && n.templateId === id),
      revealApp: (id) => reveal(appStoreView, appStore.getChildren(), (n) => n.kind === 'app' && n.appId === id),
      thingLogs,
    }),
  ];
  return { connection, disposables };
}
