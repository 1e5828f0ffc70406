/**
 * Drag and drop between the platform's views: an app or a version of the App Store dragged onto a
 * Thing (or onto one of several selected Things: all of them, as one bulk action) or onto a
 * Template. The drag carries the app as JSON of our own type, so nothing else can be dropped.
 */
import * as vscode from 'vscode';
import type { PlatformNode } from './platform-trees';
import type { DropTarget, DroppedApp } from './provision';

/** What an App Store drag carries: {appId, version?}. */
export const APP_MIME = 'application/vnd.smartplug.app+json';

export class AppStoreDrag implements vscode.TreeDragAndDropController<PlatformNode> {
  readonly dragMimeTypes = [APP_MIME];
  readonly dropMimeTypes: string[] = [];

  handleDrag(source: readonly PlatformNode[], data: vscode.DataTransfer): void {
    const node = source.find((n) => n.kind === 'app' || n.kind === 'version');
    if (!node || (node.kind !== 'app' && node.kind !== 'version')) return;
    const dropped: DroppedApp = node.kind === 'version' ? { appId: node.appId, version: node.version } : { appId: node.appId };
    data.set(APP_MIME, new vscode.DataTransferItem(JSON.stringify(dropped)));
  }
}

/** The Things or Templates view as a drop target. */
export class ProvisionDrop implements vscode.TreeDragAndDropController<PlatformNode> {
  readonly dragMimeTypes: string[] = [];
  readonly dropMimeTypes = [APP_MIME];

  constructor(
    /** the view's selection, when the drop lands on one of several selected Things */
    private readonly selection: () => readonly PlatformNode[],
    private readonly provision: (dropped: DroppedApp, target: DropTarget) => Promise<unknown>,
  ) {}

  async handleDrop(target: PlatformNode | undefined, data: vscode.DataTransfer): Promise<void> {
    if (!target) return;
    // The workbench also puts an empty item of each drag type on the transfer: take the one with the app.
    const items: vscode.DataTransferItem[] = [];
    data.forEach((item, mime) => {
      if (mime === APP_MIME) items.push(item);
    });
    let dropped: DroppedApp | undefined;
    for (const item of items) dropped ??= parseDropped(await item.asString());
    const where = dropTarget(target, this.selection());
    if (dropped && where) await this.provision(dropped, where);
  }
}

function parseDropped(text: string): DroppedApp | undefined {
  try {
    const v = JSON.parse(text) as Partial<DroppedApp>;
    if (!Number.isInteger(v.appId)) return undefined;
    return { appId: v.appId!, ...(typeof v.version === 'string' ? { version: v.version } : {}) };
  } catch {
    return undefined;
  }
}

/** Where a drop on `node` provisions: its Template, its Thing, or every selected Thing when it is one of them. */
export function dropTarget(node: PlatformNode, selection: readonly PlatformNode[]): DropTarget | undefined {
  if (node.kind === 'template' || node.kind === 'templateGroup' || node.kind === 'templateApp') return { kind: 'template', templateId: node.templateId };
  if (node.kind !== 'thing' && node.kind !== 'thingApp') return undefined;
  const selected = selection.flatMap((n) => (n.kind === 'thing' ? [n.thingId] : []));
  if (selected.length > 1 && selected.includes(node.thingId)) return { kind: 'things', thingIds: selected };
  return { kind: 'things', thingIds: [node.thingId] };
}
