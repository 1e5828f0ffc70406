/**
 * Attaching the debugger to an app running on a Thing of the connected platform: "Attach
 * Debugger" on an app of a Thing in the Things view, or an `attach` configuration in launch.json.
 * What the configuration leaves out is filled in here: the Thing and the app (quick picks), the
 * app's folder in the workspace (by its app.json name), the broker, and the credentials: the
 * platform's token and the Thing's JS Shell credential, in memory only (never in launch.json). A
 * shell credential typed for it is kept in SecretStorage once the Thing has accepted it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppListing, ThingView } from '../../platform/protocol/api-types';
import type { PlatformConnection } from './connection';
import { ensureConnected } from './deploy';

const DEBUG_TYPE = 'smartplug';

interface AppOnThing {
  installation_id: number;
  name: string;
  app: string;
  version: string;
}

/** A Thing's apps, each with its App Store name. */
function appsOf(thing: ThingView, store: readonly AppListing[]): AppOnThing[] {
  return [...thing.apps, ...thing.inherited].map((a) => ({ installation_id: a.installation_id, name: a.name, app: store.find((s) => s.appId === a.app_id)?.name ?? `app ${a.app_id}`, version: a.version }));
}

/** app.json's name and version of a folder, if it is an app. */
function appJsonOf(dir: string): { name?: string; version?: string } | undefined {
  const file = path.join(dir, 'app.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  } catch {
    return undefined;
  }
}

export class AttachConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** Shell credentials typed for an attach, kept once the Thing accepts them (see trackAttach). */
  private readonly typed = new Map<string, string>();

  constructor(
    private readonly connection: PlatformConnection,
    private readonly appFolders: () => Promise<vscode.Uri[]>,
  ) {}

  async resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (config.type !== DEBUG_TYPE || config.request !== 'attach') return config;
    const live = await ensureConnected(this.connection);
    if (!live) return undefined;
    let thingId = typeof config.thingId === 'string' && config.thingId ? config.thingId : undefined;
    if (!thingId) {
      const things = [...live.things].sort((a, b) => a.thingId.localeCompare(b.thingId, undefined, { numeric: true }));
      const pick = await vscode.window.showQuickPick(things.map((t) => ({ label: t.thingId, description: `${t.connected ? 'online' : 'offline'} · ${t.apps.length + t.inherited.length} app(s)`, thingId: t.thingId })), { title: 'Attach the debugger to an app of which Thing?' });
      thingId = pick?.thingId;
    }
    const thing = thingId ? live.thing(thingId) : undefined;
    if (!thing) {
      if (thingId) void vscode.window.showErrorMessage(`SmartPlug: the connected platform has no Thing "${thingId}".`);
      return undefined;
    }
    if (!thing.connected) {
      void vscode.window.showErrorMessage(`SmartPlug: ${thing.thingId} is offline: a debugger attaches to an app while its Thing runs.`);
      return undefined;
    }
    const apps = appsOf(thing, live.apps);
    let app = apps.find((a) => a.installation_id === config.installation);
    if (!app) {
      const pick = await vscode.window.showQuickPick(apps.map((a) => ({ label: a.name, description: `${a.app} ${a.version} · installation ${a.installation_id}`, app: a })), { title: `Attach the debugger to which app of ${thing.thingId}?` });
      app = pick?.app;
    }
    if (!app) return undefined;
    const appDir = typeof config.app === 'string' && config.app ? config.app : await this.folderOf(app.app);
    if (!appDir) {
      void vscode.window.showErrorMessage(`SmartPlug: no folder of this workspace holds the app "${app.app}" (an app.json with that name): open its folder, so the debugger has its app.js.`);
      return undefined;
    }
    const local = appJsonOf(appDir);
    if (local?.version && local.version !== app.version) {
      const go = await vscode.window.showWarningMessage(`${thing.thingId} runs ${app.app} ${app.version}; the workspace has ${local.version}. Breakpoints are set in the workspace's app.js, and may land on other lines.`, 'Attach Anyway');
      if (go !== 'Attach Anyway') return undefined;
    }
    const access = await this.connection.shellAccess(thing.thingId);
    if (!access) return undefined;
    if (access.source === 'typed') this.typed.set(thing.thingId, access.credential);
    const caFile = vscode.workspace.getConfiguration('smartplug.platform').get<string>('brokerCaFile');
    return {
      ...config,
      name: config.name ?? `Attach to ${app.name} on ${thing.thingId}`,
      app: appDir,
      thingId: thing.thingId,
      installation: app.installation_id,
      brokerUrl: access.brokerUrl,
      token: access.token,
      shellCredential: access.credential,
      ...(this.connection.status.state !== 'none' && 'kind' in this.connection.status && this.connection.status.kind === 'remote' && caFile ? { brokerCaFile: caFile } : {}),
    };
  }

  /** Keeps a typed shell credential once the adapter says the attach succeeded. */
  trackAttach(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const { thingId, request } = session.configuration;
    const credential = typeof thingId === 'string' ? this.typed.get(thingId) : undefined;
    if (request !== 'attach' || !credential) return undefined;
    return {
      onDidSendMessage: (m: { type?: string; command?: string; success?: boolean }) => {
        if (m.type === 'response' && m.command === 'attach' && m.success) {
          this.typed.delete(thingId);
          void this.connection.keepShellCredential(thingId, credential);
        }
      },
    };
  }

  private async folderOf(appName: string): Promise<string | undefined> {
    for (const folder of await this.appFolders()) if (appJsonOf(folder.fsPath)?.name === appName) return folder.fsPath;
    return undefined;
  }
}

/** The provider, the tracker, and "Attach Debugger" on an app of a Thing. */
export function registerAttach(connection: PlatformConnection, appFolders: () => Promise<vscode.Uri[]>): vscode.Disposable[] {
  const provider = new AttachConfigurationProvider(connection, appFolders);
  return [
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, { createDebugAdapterTracker: (session) => provider.trackAttach(session) }),
  ];
}

/** Starts an attach (to one app of a Thing, when given; the provider asks for the rest and fills it in). */
export async function attachDebugger(to: { thingId?: string; installation?: number }): Promise<boolean> {
  return vscode.debug.startDebugging(undefined, { type: DEBUG_TYPE, request: 'attach', name: to.thingId ? `Attach to ${to.thingId}` : 'Attach to an app on a Thing', ...to });
}
