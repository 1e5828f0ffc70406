/**
 * The SmartPlug view container's trees: the App Store (apps, then their versions), the Things (a
 * live status icon, their own apps, inherited apps marked with their Template) and the Templates
 * (their apps and their Things). They read the connection's LivePlatform and follow its events,
 * which come from the broker: no polling. Nodes are kept by id, so a Thing whose status changed is
 * redrawn alone.
 */
import * as vscode from 'vscode';
import type { LivePlatform } from '../../platform/remote/live-platform';
import type { PlatformConnection } from './connection';
import { endpointItem, storeAppItem, templateAppItem, templateItem, thingAppItem, thingItem, versionItem, groupItem } from './tree-items';

export const APP_STORE_VIEW = 'smartplug.appStore';
export const THINGS_VIEW = 'smartplug.things';
export const TEMPLATES_VIEW = 'smartplug.templates';

export type PlatformNode =
  | { kind: 'app'; id: string; appId: number }
  | { kind: 'version'; id: string; appId: number; version: string }
  | { kind: 'thing'; id: string; thingId: string }
  | { kind: 'thingApp'; id: string; thingId: string; installationId: number; inherited: boolean }
  | { kind: 'endpoint'; id: string; thingId: string; installationId: number; route: string }
  | { kind: 'template'; id: string; templateId: string }
  | { kind: 'templateGroup'; id: string; templateId: string; group: 'apps' | 'things' }
  | { kind: 'templateApp'; id: string; templateId: string; installationId: number }
  | { kind: 'rollout'; id: string; rolloutId: string }
  | { kind: 'rolloutBatch'; id: string; rolloutId: string; batch: number }
  | { kind: 'rolloutThing'; id: string; rolloutId: string; thingId: string };

/** What a tree follows of the LivePlatform. */
export type LiveKind = 'apps' | 'things' | 'templates' | 'rollouts';

/** Redraws gathered over this long go out as one (a rollout's acknowledgements arrive in bursts). */
const REDRAW_MS = 100;

/** What the trees share: the node cache, and redraws gathered and sent together. */
export abstract class PlatformTree implements vscode.TreeDataProvider<PlatformNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PlatformNode | PlatformNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, PlatformNode>();
  private pending: Set<PlatformNode> | 'all' | undefined;
  private timer: NodeJS.Timeout | undefined;
  private detach: (() => void) | undefined;
  private attachedTo: LivePlatform | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(protected readonly connection: PlatformConnection) {
    this.subscription = connection.onDidChange(() => this.follow());
    this.follow();
  }

  protected get live(): LivePlatform | undefined {
    return this.connection.live;
  }

  /** The same object for the same id, as VS Code needs to redraw one element. */
  protected node<N extends PlatformNode>(made: N): N {
    const known = this.nodes.get(made.id);
    if (known && JSON.stringify(known) === JSON.stringify(made)) return known as N;
    this.nodes.set(made.id, made);
    return made;
  }

  protected known(id: string): PlatformNode | undefined {
    return this.nodes.get(id);
  }

  /** Subscribes to the LivePlatform of the moment (a new connection brings a new one). */
  private follow(): void {
    const live = this.live;
    if (live === this.attachedTo) {
      // The same platform, another status (connected, degraded): the icons may say so.
      this.redraw();
      return;
    }
    this.detach?.();
    this.detach = undefined;
    this.attachedTo = live;
    if (live) {
      const apps = () => this.onLive('apps');
      const templates = () => this.onLive('templates');
      const things = (ids: string[] | undefined) => this.onLive('things', ids);
      const rollouts = (ids: string[] | undefined) => this.onLive('rollouts', ids);
      live.on('apps', apps).on('templates', templates).on('things', things).on('rollouts', rollouts);
      this.detach = () => live.off('apps', apps).off('templates', templates).off('things', things).off('rollouts', rollouts);
    }
    this.nodes.clear();
    this.redraw();
  }

  /** A change of the model: redraw what it touches. */
  protected abstract onLive(kind: LiveKind, ids?: string[]): void;

  /** Redraws these nodes (none given: the whole tree), gathered for a moment. */
  protected redraw(nodes?: Iterable<PlatformNode>): void {
    if (!nodes) this.pending = 'all';
    else if (this.pending !== 'all') {
      this.pending ??= new Set();
      for (const n of nodes) this.pending.add(n);
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const pending = this.pending;
      this.pending = undefined;
      if (pending === 'all') this.changed.fire(undefined);
      else if (pending && pending.size > 0) this.changed.fire([...pending]);
    }, REDRAW_MS);
  }

  abstract getChildren(node?: PlatformNode): PlatformNode[] | Promise<PlatformNode[]>;
  abstract getTreeItem(node: PlatformNode): vscode.TreeItem;

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.detach?.();
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export class AppStoreTree extends PlatformTree {
  protected onLive(kind: LiveKind): void {
    if (kind === 'apps') this.redraw();
  }

  getChildren(node?: PlatformNode): PlatformNode[] {
    const live = this.live;
    if (!live) return [];
    if (!node) return [...live.apps].sort((a, b) => a.name.localeCompare(b.name)).map((a) => this.node({ kind: 'app', id: `app/${a.appId}`, appId: a.appId }));
    if (node.kind !== 'app') return [];
    const app = live.apps.find((a) => a.appId === node.appId);
    return [...(app?.versions ?? [])].reverse().map((v) => this.node({ kind: 'version', id: `app/${node.appId}/${v.version}`, appId: node.appId, version: v.version }));
  }

  getTreeItem(node: PlatformNode): vscode.TreeItem {
    const app = this.live?.apps.find((a) => 'appId' in node && a.appId === node.appId);
    if (!app) return new vscode.TreeItem('(gone)');
    if (node.kind === 'version') return versionItem(app, app.versions.find((v) => v.version === node.version), node.id);
    return storeAppItem(app, node.id, this.live!.things);
  }
}

export class ThingsTree extends PlatformTree {
  protected onLive(kind: LiveKind, ids?: string[]): void {
    if (kind !== 'things') return;
    if (!ids) return this.redraw();
    // A Thing's own node is redrawn, and its apps (they are fetched again when it is expanded).
    const nodes = ids.map((id) => this.known(`thing/${id}`));
    if (nodes.some((n) => !n)) this.redraw();
    else this.redraw(nodes as PlatformNode[]);
  }

  getChildren(node?: PlatformNode): PlatformNode[] {
    const live = this.live;
    if (!live) return [];
    if (!node) return live.things.sort((a, b) => a.thingId.localeCompare(b.thingId, undefined, { numeric: true })).map((t) => this.node({ kind: 'thing', id: `thing/${t.thingId}`, thingId: t.thingId }));
    const thing = 'thingId' in node ? live.thing(node.thingId) : undefined;
    if (!thing) return [];
    if (node.kind === 'thingApp') {
      // A web-service app's routes, each reachable through the platform.
      const app = [...thing.apps, ...thing.inherited].find((a) => a.installation_id === node.installationId);
      const endpoints = app?.status.state === 'running' ? (app.status.endpoints ?? []) : [];
      return endpoints.map((route) => this.node({ kind: 'endpoint', id: `${node.id}/${route}`, thingId: thing.thingId, installationId: node.installationId, route }));
    }
    if (node.kind !== 'thing') return [];
    return [...thing.apps, ...thing.inherited].map((a) =>
      this.node({ kind: 'thingApp', id: `thing/${thing.thingId}/${a.installation_id}`, thingId: thing.thingId, installationId: a.installation_id, inherited: a.source.kind === 'template' }),
    );
  }

  getTreeItem(node: PlatformNode): vscode.TreeItem {
    const live = this.live;
    const thing = live && 'thingId' in node ? live.thing(node.thingId) : undefined;
    if (!live || !thing) return new vscode.TreeItem('(gone)');
    if (node.kind === 'thing') return thingItem(thing, node.id);
    if (node.kind !== 'thingApp' && node.kind !== 'endpoint') return new vscode.TreeItem('?');
    const app = [...thing.apps, ...thing.inherited].find((a) => a.installation_id === node.installationId);
    if (!app) return new vscode.TreeItem('(gone)');
    if (node.kind === 'endpoint') return endpointItem(thing, app, node.route, live.api.url, node.id);
    return thingAppItem(thing, app, live.apps.find((s) => s.appId === app.app_id), node.id);
  }
}

export class TemplatesTree extends PlatformTree {
  protected onLive(kind: LiveKind, ids?: string[]): void {
    if (kind === 'templates' || (kind === 'things' && !ids)) return this.redraw();
    if (kind !== 'things' || !ids) return;
    // A Thing's feedback: its row under its Template, and the Template's count of running Things
    // (not the whole tree: during a rollout of 1,000 Things that is 1,000 rows a moment).
    const live = this.live;
    const nodes = new Set<PlatformNode>();
    for (const id of ids) {
      const templateId = live?.thing(id)?.templateId;
      if (!templateId) continue;
      for (const key of [`template/${templateId}`, `template/${templateId}/things/${id}`]) {
        const node = this.known(key);
        if (node) nodes.add(node);
      }
    }
    if (nodes.size) this.redraw(nodes);
  }

  getChildren(node?: PlatformNode): PlatformNode[] {
    const live = this.live;
    if (!live) return [];
    if (!node) return [...live.templates].sort((a, b) => a.templateId.localeCompare(b.templateId)).map((t) => this.node({ kind: 'template', id: `template/${t.templateId}`, templateId: t.templateId }));
    if (node.kind === 'template') {
      return (['apps', 'things'] as const).map((group) => this.node({ kind: 'templateGroup', id: `template/${node.templateId}/${group}`, templateId: node.templateId, group }));
    }
    if (node.kind !== 'templateGroup') return [];
    const template = live.templates.find((t) => t.templateId === node.templateId);
    if (!template) return [];
    if (node.group === 'apps') return template.apps.map((a) => this.node({ kind: 'templateApp', id: `template/${template.templateId}/apps/${a.installation_id}`, templateId: template.templateId, installationId: a.installation_id }));
    return live.thingsOf(template.templateId).map((t) => this.node({ kind: 'thing', id: `template/${template.templateId}/things/${t.thingId}`, thingId: t.thingId }));
  }

  getTreeItem(node: PlatformNode): vscode.TreeItem {
    const live = this.live;
    if (!live) return new vscode.TreeItem('(gone)');
    if (node.kind === 'thing') {
      const thing = live.thing(node.thingId);
      return thing ? thingItem(thing, node.id) : new vscode.TreeItem('(gone)');
    }
    const template = 'templateId' in node ? live.templates.find((t) => t.templateId === node.templateId) : undefined;
    if (!template) return new vscode.TreeItem('(gone)');
    if (node.kind === 'template') return templateItem(template, live.thingsOf(template.templateId), node.id);
    if (node.kind === 'templateGroup') {
      const count = node.group === 'apps' ? template.apps.length : live.thingsOf(template.templateId).length;
      return groupItem(node.group === 'apps' ? 'Apps' : 'Things', count, node.id);
    }
    if (node.kind === 'templateApp') {
      const app = template.apps.find((a) => a.installation_id === node.installationId);
      if (!app) return new vscode.TreeItem('(gone)');
      return templateAppItem(template, app, live.apps.find((s) => s.appId === app.app_id), node.id);
    }
    return new vscode.TreeItem('?');
  }
}
