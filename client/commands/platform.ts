/**
 * The platform's commands: start and stop the local environment, connect to a remote platform,
 * test the connection, disconnect, the status bar's quick pick, and removing an app from a Thing
 * (refused for an inherited one, with the seed's reason).
 */
import * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';
import type { PlatformConnection } from '../platform/connection';
import { deployApp, ensureConnected } from '../platform/deploy';
import { installInstance } from '../platform/provision';
import { chooseGuideDevices } from '../platform/guide-devices';
import { attachDebugger } from '../platform/attach-debugger';
import type { ThingLogChannels } from '../platform/thing-logs-channel';
import { openJsShell } from '../platform/js-shell/shell-terminal';
import { sendLoadAction } from '../platform/send-load';
import { recordScenario } from '../platform/record-scenario';
import { curlLine, endpointUrl } from '../../platform/remote/endpoint-url';
import { isActive } from '../../platform/remote/live-rollouts';
import { rolloutProgress, rolloutTitle } from '../platform/rollouts-tree';
import { THINGS_VIEW, type PlatformNode } from '../platform/platform-trees';

interface Action extends vscode.QuickPickItem {
  command: string;
}

export interface PlatformCommandDeps {
  ctx: SmartPlugContext;
  connection: PlatformConnection;
  appFolders: () => Promise<vscode.Uri[]>;
  revealTemplate: (templateId: string) => Promise<void>;
  revealApp: (appId: number) => Promise<void>;
  thingLogs: ThingLogChannels;
}

export function registerPlatformCommands({ ctx, connection, appFolders, revealTemplate, revealApp, thingLogs }: PlatformCommandDeps): vscode.Disposable[] {
  return [
    // From a Thing (a filter is picked), an app of a Thing (that app), or the palette (a Thing, then a filter).
    vscode.commands.registerCommand('smartplug.showThingLogs', async (node?: PlatformNode) => {
      const live = connection.live;
      if (!live) return void vscode.window.showInformationMessage('Connect to a platform first: start the local environment, or connect to a remote one.');
      let thingId = node && 'thingId' in node ? node.thingId : undefined;
      if (!thingId) {
        const pick = await vscode.window.showQuickPick(live.things.map((t) => ({ label: t.thingId, description: t.connected ? 'online' : 'offline' })), { title: 'Show the logs of which Thing?' });
        thingId = pick?.label;
      }
      const thing = thingId ? live.thing(thingId) : undefined;
      if (!thing) return;
      let app: string | undefined;
      if (node?.kind === 'thingApp') app = [...thing.apps, ...thing.inherited].find((a) => a.installation_id === node.installationId)?.name;
      else {
        const names = [...new Set([...thing.apps, ...thing.inherited].map((a) => a.name))];
        const pick = await vscode.window.showQuickPick([{ label: 'Every app and the agent', app: undefined as string | undefined }, ...names.map((n) => ({ label: n, description: 'this app only', app: n as string | undefined }))], { title: `Logs of ${thing.thingId}` });
        if (!pick) return;
        app = pick.app;
      }
      try {
        await thingLogs.show(thing.thingId, app);
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not follow ${thing.thingId}'s logs: ${(e as Error).message}`);
      }
    }),
    // From a Thing or an app of a Thing in the Things view, or the palette.
    vscode.commands.registerCommand('smartplug.recordScenario', (node?: PlatformNode) => recordScenario(connection, appFolders, ctx.log, node)),
    // From an endpoint of a web-service app in the Things view: a curl line, with a token for that app's endpoints only.
    vscode.commands.registerCommand('smartplug.copyEndpointCurl', async (node?: PlatformNode) => {
      if (node?.kind !== 'endpoint') return void vscode.window.showInformationMessage('Pick an endpoint under a web-service app of a Thing, in the Things view.');
      try {
        const { secret, baseUrl, made } = await connection.endpointToken(node.thingId, node.installationId);
        const { method, url } = endpointUrl(baseUrl.slice(0, baseUrl.indexOf('/things/')), node.thingId, node.installationId, node.route);
        await vscode.env.clipboard.writeText(curlLine(url, method, secret));
        const token = made ? ' It carries a new token for this app\'s endpoints only, kept in VS Code\'s secret storage.' : '';
        void vscode.window.showInformationMessage(`Copied a curl line for ${node.route} on ${node.thingId}.${url.includes('{') ? ' Fill in the {…} parts of its URL.' : ''}${token}`);
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not make a token for the endpoints of installation ${node.installationId} on ${node.thingId}: ${(e as Error).message}`);
      }
    }),
    // From a *.load.json (its editor title, the Explorer), a Thing of the Things view, or the palette.
    vscode.commands.registerCommand('smartplug.sendLoadAction', (from?: vscode.Uri | PlatformNode) => sendLoadAction(connection, ctx.log, from)),
    // From a Thing (its shell context), an app of a Thing (that app's sandbox), or the palette (a Thing).
    vscode.commands.registerCommand('smartplug.openJsShell', async (node?: PlatformNode) => {
      const live = connection.live;
      if (!live) return void vscode.window.showInformationMessage('Connect to a platform first: start the local environment, or connect to a remote one.');
      let thingId = node && 'thingId' in node ? node.thingId : undefined;
      if (!thingId) {
        const pick = await vscode.window.showQuickPick(live.things.map((t) => ({ label: t.thingId, description: t.connected ? 'online' : 'offline (its shell does not answer)' })), { title: 'Open the JS Shell of which Thing?' });
        thingId = pick?.label;
      }
      if (!thingId) return;
      await openJsShell(connection, thingId, node?.kind === 'thingApp' ? node.installationId : undefined);
    }),
    // From an app of a Thing (that app), or the palette (a Thing, then an app: the attach configuration asks).
    vscode.commands.registerCommand('smartplug.attachDebugger', (node?: PlatformNode) => attachDebugger(node?.kind === 'thingApp' ? { thingId: node.thingId, installation: node.installationId } : {})),
    // From a rollout in the Rollouts view, or the palette (a rollout under way).
    vscode.commands.registerCommand('smartplug.pauseRollout', (node?: PlatformNode) => rolloutCommand(connection, 'pause', node)),
    vscode.commands.registerCommand('smartplug.resumeRollout', (node?: PlatformNode) => rolloutCommand(connection, 'resume', node)),
    vscode.commands.registerCommand('smartplug.cancelRollout', (node?: PlatformNode) => rolloutCommand(connection, 'cancel', node)),
    // From the palette, an app folder's context menu (a Uri) or an app file's editor title (a Uri).
    vscode.commands.registerCommand('smartplug.deployApp', (target?: vscode.Uri) => deployApp({ ctx, connection, appFolders, reveal: revealApp }, target instanceof vscode.Uri ? target : undefined)),
    // The configuration guide's Install (its page's button): the instance it made, on Things picked here.
    vscode.commands.registerCommand('smartplug.installInstance', async (appDir: string, instance: { name: string; config: Record<string, unknown> }) => {
      const live = await ensureConnected(connection);
      if (!live) return { ok: false, message: 'Not installed: there is no platform connected.' };
      return installInstance(live, appDir, instance, ctx.log);
    }),
    // The configuration guide's "Change…" beside where its devices come from.
    vscode.commands.registerCommand('smartplug.chooseGuideDevices', (appName: string) => chooseGuideDevices(connection, appName)),
    vscode.commands.registerCommand('smartplug.startLocal', () => connection.startLocal()),
    vscode.commands.registerCommand('smartplug.stopLocal', () => connection.stopLocal()),
    vscode.commands.registerCommand('smartplug.connectRemote', () => connection.connectRemote()),
    vscode.commands.registerCommand('smartplug.disconnect', () => connection.disconnect()),
    vscode.commands.registerCommand('smartplug.testConnection', () => connection.testConnection()),
    vscode.commands.registerCommand('smartplug.refreshPlatform', () => connection.live?.readAll()),
    vscode.commands.registerCommand('smartplug.platformActions', async () => {
      const pick = await vscode.window.showQuickPick(actionsFor(connection), { title: 'SmartPlug platform', placeHolder: statusLine(connection) });
      if (pick) await vscode.commands.executeCommand(pick.command);
    }),
    vscode.commands.registerCommand('smartplug.removeThingApp', async (node?: PlatformNode) => {
      const live = connection.live;
      if (!live || node?.kind !== 'thingApp') return;
      const thing = live.thing(node.thingId);
      const app = [...(thing?.apps ?? []), ...(thing?.inherited ?? [])].find((a) => a.installation_id === node.installationId);
      if (!thing || !app) return;
      if (app.source.kind === 'template') {
        // Seed 000: apps provisioned through a Production Template cannot be deleted from the Thing.
        const templateId = app.source.templateId;
        const choice = await vscode.window.showWarningMessage(
          `"${app.name}" cannot be removed from ${thing.thingId}: it is inherited from its Production Template "${templateId}". Applications provisioned through a Production Template can only be removed from the Template, which must then be saved for the change to take effect.`,
          { modal: true },
          'Show Template',
        );
        if (choice) await revealTemplate(templateId);
        return;
      }
      const sure = await vscode.window.showWarningMessage(`Remove "${app.name}" from ${thing.thingId}? The Thing stops it and forgets its state.`, { modal: true }, 'Remove');
      if (sure !== 'Remove') return;
      try {
        await vscode.window.withProgress({ location: { viewId: THINGS_VIEW }, title: `Removing ${app.name}` }, () => live.api.removeThingApp(thing.thingId, app.installation_id));
      } catch (e) {
        void vscode.window.showErrorMessage(`"${app.name}" was not removed from ${thing.thingId}: ${(e as Error).message}`);
      }
    }),
  ];
}

function statusLine(connection: PlatformConnection): string {
  const s = connection.status;
  if (s.state === 'none') return 'Not connected';
  if (s.state === 'starting') return 'Starting the local environment…';
  if (s.state === 'degraded') return s.message;
  if (s.state === 'connected' || s.state === 'connecting') return `${s.state === 'connected' ? 'Connected to' : 'Connecting to'} ${s.platformUrl} (${s.kind})`;
  return 'Disconnected';
}

function actionsFor(connection: PlatformConnection): Action[] {
  const s = connection.status;
  const connected = s.state !== 'none' && s.state !== 'starting' && s.state !== 'closed';
  const actions: Action[] = [];
  if (!connection.localRunning) actions.push({ label: '$(vm-running) Start Local Environment', detail: 'A broker, the platform and simulated Things on this machine, in the folder\'s .smartplug', command: 'smartplug.startLocal' });
  else actions.push({ label: '$(debug-stop) Stop Local Environment', command: 'smartplug.stopLocal' });
  actions.push({ label: '$(cloud) Connect to Remote Platform…', detail: 'A platform URL, a broker URL and an API token (kept in secret storage)', command: 'smartplug.connectRemote' });
  if (connected) {
    actions.push({ label: '$(pulse) Test Connection', detail: 'Try the platform, the token and the broker in turn', command: 'smartplug.testConnection' });
    actions.push({ label: '$(refresh) Read Everything Again', command: 'smartplug.refreshPlatform' });
    actions.push({ label: '$(debug-disconnect) Disconnect', command: 'smartplug.disconnect' });
  }
  actions.push({ label: '$(list-tree) Show the SmartPlug Views', command: `${THINGS_VIEW}.focus` });
  return actions;
}

/** Pause, Resume or Cancel Rollout: on the rollout of the view's item, or one picked among those it applies to. */
async function rolloutCommand(connection: PlatformConnection, command: 'pause' | 'resume' | 'cancel', node: PlatformNode | undefined): Promise<void> {
  const live = connection.live;
  if (!live) return void vscode.window.showInformationMessage('Connect to a platform first: start the local environment, or connect to a remote one.');
  let rolloutId = node?.kind === 'rollout' ? node.rolloutId : undefined;
  if (!rolloutId) {
    const candidates = live.rollouts.all.filter((r) => (command === 'pause' ? r.state === 'running' : command === 'resume' ? r.state === 'paused' : isActive(r)));
    if (candidates.length === 0) return void vscode.window.showInformationMessage(`No rollout to ${command}: none is ${command === 'resume' ? 'paused' : 'under way'}.`);
    const templateName = (id: string) => live.templates.find((t) => t.templateId === id)?.name;
    const pick = await vscode.window.showQuickPick(
      candidates.map((r) => ({ label: rolloutTitle(r, templateName), description: rolloutProgress(r, live.rollouts.detail(r.rolloutId)), rolloutId: r.rolloutId })),
      { title: `${command[0].toUpperCase()}${command.slice(1)} which rollout?` },
    );
    rolloutId = pick?.rolloutId;
  }
  if (!rolloutId) return;
  if (command === 'cancel') {
    const sure = await vscode.window.showWarningMessage(`Cancel rollout ${rolloutId}?`, { modal: true, detail: 'It stops where it is. A Template rollout gives the Template its previous apps back, and every Thing of it returns to them.' }, 'Cancel Rollout');
    if (sure !== 'Cancel Rollout') return;
  }
  try {
    await live.api.rolloutCommand(rolloutId, command);
  } catch (e) {
    void vscode.window.showErrorMessage(`Rollout ${rolloutId} was not ${command === 'cancel' ? 'cancelled' : `${command}d`}: ${(e as Error).message}`);
  }
}
