/**
 * The IDE's connection to a SmartPlug platform: the workspace's local environment (`smartplug up`,
 * started here on VS Code's own Node) or a remote one (URLs in settings, its token in
 * SecretStorage). It owns the LivePlatform the views, the status bar and the commands read, and
 * sets the context keys the views' welcome content and menus follow.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { LivePlatform, type LiveState } from '../../platform/remote/live-platform';
import { ThingLogs } from '../../platform/remote/thing-logs';
import { testConnection, type ConnectionCheck } from '../../platform/remote/connection-test';
import { LocalEnvironmentProcess, readEndpoints } from './local-environment';

export type ConnectionKind = 'local' | 'remote';

export interface PlatformTarget {
  kind: ConnectionKind;
  platformUrl: string;
  brokerUrl: string;
  token: string;
  brokerCa?: Buffer;
}

/** What the status bar and the views show. */
export type ConnectionStatus = { state: 'none' } | { state: 'starting' } | (LiveState & { kind: ConnectionKind; platformUrl: string });

/** What a JS Shell needs to reach a Thing: the broker, a tool token, and the Thing's shell credential. */
export interface ShellAccess {
  brokerUrl: string;
  token: string;
  brokerCa?: Buffer;
  credential: string;
  /** where the credential came from: `typed` ones are kept in SecretStorage once the Thing answers */
  source: 'local' | 'stored' | 'typed';
}

const LAST_KIND = 'smartplug.platform.lastConnection';
const tokenKey = (platformUrl: string) => `smartplug.platform.token/${platformUrl}`;
const shellKey = (platformUrl: string, thingId: string) => `smartplug.platform.shell/${platformUrl}/${thingId}`;
const endpointKey = (platformUrl: string, thingId: string, installationId: number) => `smartplug.platform.endpoint/${platformUrl}/${thingId}/${installationId}`;

export class PlatformConnection implements vscode.Disposable {
  private liveModel: LivePlatform | undefined;
  private target: PlatformTarget | undefined;
  private local: LocalEnvironmentProcess | undefined;
  private starting = false;
  /** a stop under way: a start waits for it, so it does not join the environment that is going away */
  private stopping: Thenable<void> | undefined;
  private readonly changed = new vscode.EventEmitter<ConnectionStatus>();
  /** the connection's status changed, or another platform was connected */
  readonly onDidChange = this.changed.event;
  private readonly localLog: vscode.LogOutputChannel;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.localLog = vscode.window.createOutputChannel('SmartPlug Local Environment', { log: true });
    void this.setContext();
  }

  get live(): LivePlatform | undefined {
    return this.liveModel;
  }

  get status(): ConnectionStatus {
    if (this.starting) return { state: 'starting' };
    if (!this.liveModel || !this.target) return { state: 'none' };
    return { ...this.liveModel.state, kind: this.target.kind, platformUrl: this.target.platformUrl };
  }

  get localRunning(): boolean {
    return this.local?.owned === true;
  }

  /** The folder of the workspace's local environment: .smartplug in the first workspace folder. */
  localDir(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? path.join(folder.uri.fsPath, '.smartplug') : undefined;
  }

  /**
   * On activation: connect again to what this workspace used last, without starting anything (a
   * local environment is joined only if it already runs). Quietly: a failure here is only logged.
   */
  async restoreLast(): Promise<void> {
    const last = this.extension.workspaceState.get<ConnectionKind>(LAST_KIND);
    try {
      if (last === 'remote') {
        const target = await this.remoteTarget();
        if (target) await this.connect(target);
      } else if (last === 'local') {
        const dir = this.localDir();
        const endpoints = dir ? readEndpoints(dir) : undefined;
        if (endpoints) await this.connect({ kind: 'local', platformUrl: endpoints.platform, brokerUrl: endpoints.broker, token: endpoints.token });
      }
    } catch (e) {
      this.log.info(`Did not reconnect to the last SmartPlug platform: ${(e as Error).message}`);
      await this.disconnect(false);
    }
  }

  /** "SmartPlug: Start Local Environment": `smartplug up` for this workspace, with progress, then connected. */
  async startLocal(): Promise<boolean> {
    const dir = this.localDir();
    if (!dir) {
      void vscode.window.showErrorMessage('Open a folder first: the local environment keeps its store and secrets in the folder\'s .smartplug.');
      return false;
    }
    if (this.starting) return false;
    this.starting = true;
    this.fire();
    await this.stopping;
    try {
      const local = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'SmartPlug local environment', cancellable: false },
        async (progress) => {
          progress.report({ message: 'starting the broker, the platform and the simulated Things…' });
          await this.disconnect(false);
          return LocalEnvironmentProcess.start({
            execPath: process.execPath,
            cliPath: this.extension.asAbsolutePath(path.join('dist', 'platform', 'cli.js')),
            dir,
            things: vscode.workspace.getConfiguration('smartplug').get<number>('localEnvironment.things', 3),
            onLine: (line) => {
              this.localLog.info(line);
              if (/^(broker|platform) {2}|^platform: first start|^ready/.test(line)) progress.report({ message: line.replace(/\s+/g, ' ') });
            },
          });
        },
      );
      this.local = local;
      if (!local.owned) this.log.info(`Joined the local environment already running in ${dir}.`);
      void local.exited.then(() => {
        if (this.local !== local) return;
        this.local = undefined;
        this.localLog.info('The local environment stopped.');
        void this.setContext();
      });
      this.starting = false;
      await this.connect({ kind: 'local', platformUrl: local.endpoints.platform, brokerUrl: local.endpoints.broker, token: local.endpoints.token });
      return true;
    } catch (e) {
      this.starting = false;
      this.fire();
      const message = (e as Error).message;
      this.localLog.error(message);
      const choice = await vscode.window.showErrorMessage(`The local environment did not start: ${message.split('\n')[0]}`, 'Show Output');
      if (choice === 'Show Output') this.localLog.show();
      return false;
    }
  }

  /**
   * The JS Shell's access to a Thing. The local environment's Things have their shell credentials
   * in its folder (fleet-credentials.json); a remote Thing's is asked for once (it was shown when the
   * Thing was enrolled) and kept in SecretStorage after the Thing answered with it.
   */
  async shellAccess(thingId: string): Promise<ShellAccess | undefined> {
    const target = this.target;
    if (!target) return undefined;
    const base = { brokerUrl: target.brokerUrl, token: target.token, ...(target.brokerCa ? { brokerCa: target.brokerCa } : {}) };
    if (target.kind === 'local') {
      const dir = this.localDir();
      try {
        const creds = JSON.parse(readFileSync(path.join(dir ?? '', 'fleet-credentials.json'), 'utf8')) as Record<string, { shell?: string }>;
        const credential = creds[thingId]?.shell;
        if (credential) return { ...base, credential, source: 'local' };
      } catch {
        // Not there: asked for below, as for a remote Thing (a Thing enrolled by hand).
      }
    }
    const stored = await this.extension.secrets.get(shellKey(target.platformUrl, thingId));
    if (stored) return { ...base, credential: stored, source: 'stored' };
    const typed = await vscode.window.showInputBox({
      title: `JS Shell of ${thingId}`,
      prompt: `The shell credential of ${thingId}: it was shown once, beside its broker credential, when the Thing was enrolled. It is kept in VS Code's secret storage once ${thingId} answers.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Paste the shell credential'),
    });
    return typed ? { ...base, credential: typed.trim(), source: 'typed' } : undefined;
  }

  /**
   * A token for one installation's endpoints (and their base URL): the one kept in secret storage
   * for this platform, or a new one made through the API and kept there.
   */
  async endpointToken(thingId: string, installationId: number): Promise<{ secret: string; baseUrl: string; made: boolean }> {
    const live = this.live;
    if (!live || !this.target) throw new Error('not connected to a platform');
    const key = endpointKey(this.target.platformUrl, thingId, installationId);
    const path = `/things/${encodeURIComponent(thingId)}/apps/${installationId}`;
    const kept = await this.extension.secrets.get(key);
    if (kept) return { secret: kept, baseUrl: live.api.url + path, made: false };
    const answer = await live.api.endpointToken(thingId, installationId, `VS Code: endpoints of installation ${installationId} on ${thingId}`);
    await this.extension.secrets.store(key, answer.secret);
    return { secret: answer.secret, baseUrl: live.api.url + answer.path, made: true };
  }

  /** Keeps a Thing's shell credential that worked, for the next JS Shell of the same platform. */
  async keepShellCredential(thingId: string, credential: string): Promise<void> {
    if (this.target) await this.extension.secrets.store(shellKey(this.target.platformUrl, thingId), credential);
  }

  /** "SmartPlug: Stop Local Environment". */
  async stopLocal(): Promise<void> {
    const local = this.local;
    if (!local?.owned) {
      void vscode.window.showInformationMessage('No local environment started by VS Code is running (one started in a terminal stops with Ctrl-C there).');
      return;
    }
    if (this.target?.kind === 'local') await this.disconnect(false);
    this.stopping = vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Stopping the SmartPlug local environment…' }, () => local.stop());
    try {
      await this.stopping;
    } finally {
      this.stopping = undefined;
      this.local = undefined;
      await this.setContext();
    }
  }

  /** "SmartPlug: Connect to Remote Platform": asks for what the settings lack, keeps the token in SecretStorage. */
  async connectRemote(): Promise<boolean> {
    const config = vscode.workspace.getConfiguration('smartplug.platform');
    const platformUrl = await vscode.window.showInputBox({
      title: 'Connect to a SmartPlug platform (1/3)', prompt: 'The platform\'s URL', value: config.get<string>('url') || 'https://', ignoreFocusOut: true, validateInput: urlProblem(['http:', 'https:']),
    });
    if (!platformUrl) return false;
    const brokerUrl = await vscode.window.showInputBox({
      title: 'Connect to a SmartPlug platform (2/3)', prompt: 'The MQTT broker\'s URL', value: config.get<string>('brokerUrl') || `mqtts://${new URL(platformUrl).hostname}:8883`, ignoreFocusOut: true, validateInput: urlProblem(['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    });
    if (!brokerUrl) return false;
    const known = await this.extension.secrets.get(tokenKey(platformUrl));
    const token = await vscode.window.showInputBox({
      title: 'Connect to a SmartPlug platform (3/3)', prompt: known ? 'An API token (leave it empty to keep the one stored for this platform)' : 'An API token with the read scope (and provision, deploy to change things); it is kept in VS Code\'s secret storage', password: true, ignoreFocusOut: true,
      validateInput: (v) => (v || known ? undefined : 'A token is needed: make one with POST /api/tokens on the platform, or ask its administrator'),
    });
    if (token === undefined) return false;
    await config.update('url', platformUrl, vscode.ConfigurationTarget.Global);
    await config.update('brokerUrl', brokerUrl, vscode.ConfigurationTarget.Global);
    if (token) await this.extension.secrets.store(tokenKey(platformUrl), token);
    const target = await this.remoteTarget();
    if (!target) return false;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${platformUrl}…` }, () => this.connect(target));
      return true;
    } catch (e) {
      await this.disconnect(false);
      await this.showChecks(await testConnection(target), `Could not connect to ${platformUrl}`);
      return false;
    }
  }

  /** "SmartPlug: Test Connection": every address of the current (or configured) platform, tried in turn. */
  async testConnection(): Promise<ConnectionCheck[] | undefined> {
    const target = this.target ?? (await this.remoteTarget());
    if (!target) {
      void vscode.window.showInformationMessage('There is no platform to test: start the local environment, or connect to a remote platform first.');
      return undefined;
    }
    const checks = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing the connection to ${target.platformUrl}…` }, () => testConnection(target));
    await this.showChecks(checks, `Connection to ${target.platformUrl}`);
    return checks;
  }

  /** Follows a Thing's logs on the connected platform's broker (the token stays in here). */
  followThingLogs(thingId: string): Promise<ThingLogs> {
    const target = this.target;
    if (!target) return Promise.reject(new Error('not connected to a platform'));
    return ThingLogs.follow({ brokerUrl: target.brokerUrl, token: target.token, thingId, brokerCa: target.brokerCa });
  }

  async disconnect(forget = true): Promise<void> {
    const live = this.liveModel;
    this.liveModel = undefined;
    this.target = undefined;
    if (forget) await this.extension.workspaceState.update(LAST_KIND, undefined);
    await live?.close();
    this.fire();
  }

  async dispose(): Promise<void> {
    await this.disconnect(false);
    await this.local?.stop();
    this.changed.dispose();
    this.localLog.dispose();
  }

  private async connect(target: PlatformTarget): Promise<void> {
    await this.disconnect(false);
    const live = new LivePlatform({ platformUrl: target.platformUrl, brokerUrl: target.brokerUrl, token: target.token, brokerCa: target.brokerCa });
    live.on('state', (s) => {
      if (this.liveModel !== live) return;
      if (s.state === 'degraded') this.log.warn(s.message);
      else if (s.state === 'connected') this.log.info(`Connected to the SmartPlug platform ${target.platformUrl} (broker ${target.brokerUrl}).`);
      this.fire();
    });
    live.on('refused', (message) => this.log.warn(`Ignored a malformed message: ${message}`));
    this.liveModel = live;
    this.target = target;
    this.fire();
    try {
      await live.start();
    } catch (e) {
      if (this.liveModel === live) await this.disconnect(false);
      throw e;
    }
    await this.extension.workspaceState.update(LAST_KIND, target.kind);
    this.fire();
  }

  private async remoteTarget(): Promise<PlatformTarget | undefined> {
    const config = vscode.workspace.getConfiguration('smartplug.platform');
    const platformUrl = config.get<string>('url');
    const brokerUrl = config.get<string>('brokerUrl');
    if (!platformUrl || !brokerUrl) return undefined;
    const token = (await this.extension.secrets.get(tokenKey(platformUrl))) ?? process.env.SMARTPLUG_TOKEN;
    if (!token) return undefined;
    const caFile = config.get<string>('brokerCaFile');
    return { kind: 'remote', platformUrl, brokerUrl, token, ...(caFile ? { brokerCa: readFileSync(caFile) } : {}) };
  }

  private async showChecks(checks: ConnectionCheck[], title: string): Promise<void> {
    for (const c of checks) (c.ok ? this.log.info : this.log.error).call(this.log, `${title}: ${c.step} ${c.ok ? 'ok' : `failed (${c.kind})`} in ${c.ms} ms: ${c.message}`);
    const failed = checks.find((c) => !c.ok);
    if (!failed) {
      void vscode.window.showInformationMessage(`${title}: all ${checks.length} checks passed. ${checks.map((c) => c.message).join('; ')}.`);
      return;
    }
    const choice = await vscode.window.showErrorMessage(`${title}: the ${failed.step} check failed (${failed.kind}). ${failed.message}`, 'Show Details', 'Connect to Remote Platform…');
    if (choice === 'Show Details') this.log.show();
    else if (choice) void vscode.commands.executeCommand('smartplug.connectRemote');
  }

  private fire(): void {
    this.changed.fire(this.status);
    void this.setContext();
  }

  private async setContext(): Promise<void> {
    const status = this.status;
    await vscode.commands.executeCommand('setContext', 'smartplug.platformState', status.state);
    await vscode.commands.executeCommand('setContext', 'smartplug.platformConnected', status.state === 'connected' || status.state === 'degraded');
    await vscode.commands.executeCommand('setContext', 'smartplug.localRunning', this.localRunning);
  }
}

function urlProblem(protocols: string[]): (value: string) => string | undefined {
  return (value) => {
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) return `Use ${protocols.map((p) => p + '//').join(' or ')}`;
      if (!url.hostname) return 'Give a host name';
      return undefined;
    } catch {
      return `Not a URL: give one such as ${protocols[0]}//platform.example.com`;
    }
  };
}
