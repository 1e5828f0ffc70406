/**
 * "SmartPlug: Preview Configuration Guide": the app's guide in a webview beside app.json, as a
 * user installing the app will see it. One panel per app folder. It follows app.json as it is
 * typed (the editor's buffer, not the saved file), devices.json and the notification outputs as
 * they change on disk, and carries out what the page asks: Save, Save As, Run, Debug, and seed
 * 003's "add a new output".
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { guidePageHtml } from '../../guide/page-html';
import { guidePageAssets } from './page-assets';
import { type ExtensionMessage, type InstanceObject, isPageMessage, type PageAction, type PageMessage } from '../../guide/messages';
import { type AppSurroundings, type DevicesRead, appMessage, notificationIds, readInstance, readSurroundings } from './app-sources';
import { addNotificationOutput, NOTIFICATION_OUTPUTS_FILE, withReferencedOutputs } from './notification-outputs';
import { type GuideActionHost, performGuideAction } from './guide-actions';

export const GUIDE_VIEW_TYPE = 'smartplug.configurationGuide';

/** What the panels' page offers (Install asks to start or connect a platform when there is none). */
const ACTIONS: PageAction[] = ['save', 'saveAs', 'run', 'debug', 'install'];

export class GuidePanel implements vscode.Disposable {
  private static readonly open = new Map<string, GuidePanel>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The instance file the values come from and Save writes to. */
  private instanceFile: string;
  /** Notification output ids the instance file selects (offered even when no outputs file lists them). */
  private referenced: (string | number)[] = [];
  /** devices.json and the outputs, kept between keystrokes in app.json (re-read when their files change). */
  private surroundings: AppSurroundings;
  /** A Thing's devices the user chose instead of devices.json ("Change…" on the page). */
  private thingDevices: DevicesRead | undefined;

  /** Opens the guide of `appDir` beside the active editor, or shows the one already open. */
  static show(appDir: string, extensionUri: vscode.Uri, host: GuideActionHost): GuidePanel {
    const existing = GuidePanel.open.get(appDir);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(GUIDE_VIEW_TYPE, `Guide: ${path.basename(appDir)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      // The page loads only the codicon font (its code and styles are inline).
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'guide')],
    });
    const guide = new GuidePanel(panel, appDir, extensionUri, host);
    GuidePanel.open.set(appDir, guide);
    return guide;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly appDir: string,
    extensionUri: vscode.Uri,
    private readonly host: GuideActionHost,
  ) {
    this.instanceFile = path.join(appDir, 'instance.json');
    this.surroundings = readSurroundings(appDir);
    const webview = panel.webview;
    const distGuide = vscode.Uri.joinPath(extensionUri, 'dist', 'guide');
    const assets = guidePageAssets(distGuide.fsPath, webview.asWebviewUri(vscode.Uri.joinPath(distGuide, 'codicon.ttf')).toString());
    // The guide travels in the page itself: it is drawn as the page loads, with no round trip.
    const app = this.appMessage();
    const instance = readInstance(this.instanceFile, app.appJson);
    this.referenced = instance && app.appJson ? notificationIds(app.appJson, instance.config) : [];
    app.notificationOutputs = withReferencedOutputs(app.notificationOutputs, this.referenced);
    const initial: ExtensionMessage[] = instance ? [app, { type: 'instance', instance, file: path.basename(this.instanceFile) }] : [app];
    webview.html = guidePageHtml({ resourceOrigin: webview.cspSource, nonce: randomBytes(18).toString('base64'), ...assets, title: `Configuration guide: ${path.basename(appDir)}`, initial });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => {
        // A webview's messages are input like any other: only the declared ones are acted on.
        if (isPageMessage(m)) void this.receive(m);
      }),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === 'file' && e.document.uri.fsPath === this.appJsonPath) this.sendApp();
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(appDir), `{app.json,devices.json,${NOTIFICATION_OUTPUTS_FILE}}`));
    const changed = (uri: vscode.Uri) => {
      if (path.basename(uri.fsPath) !== 'app.json') this.surroundings = readSurroundings(appDir);
      this.sendApp();
    };
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
  }

  private get appJsonPath(): string {
    return path.join(this.appDir, 'app.json');
  }

  /** app.json as the user sees it: the open editor's text (saved or not), else the file. */
  private appJsonText(): string {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === this.appJsonPath);
    if (doc) return doc.getText();
    return existsSync(this.appJsonPath) ? readFileSync(this.appJsonPath, 'utf8') : '';
  }

  post(message: ExtensionMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private appMessage(): Extract<ExtensionMessage, { type: 'app' }> {
    const around = this.thingDevices ? { ...this.surroundings, devices: this.thingDevices } : this.surroundings;
    const msg = appMessage(this.appDir, this.appJsonText(), ACTIONS, around);
    msg.notificationOutputs = withReferencedOutputs(msg.notificationOutputs, this.referenced);
    msg.devicesChoosable = true;
    return msg;
  }

  /**
   * Sends what the guide is built from (the page keeps its values; renamed inputs keep theirs).
   * One posted while the page loads may not reach it: the page's "ready" brings it again.
   */
  sendApp(): void {
    this.post(this.appMessage());
  }

  private async receive(m: PageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        // The page (new, or shown again after being hidden) has the guide it was made with; app.json may have changed since.
        this.sendApp();
        return;
      case 'addNotificationOutput':
        try {
          const output = addNotificationOutput(this.appDir, m.name);
          this.post({ type: 'outputAdded', path: m.path, output });
        } catch (e) {
          void vscode.window.showErrorMessage(`SmartPlug: ${e instanceof Error ? e.message : String(e)}`);
        }
        return;
      case 'action':
        await this.act(m.action, m.instance);
        return;
      case 'chooseDevices': {
        const choice = await this.host.chooseDevices(this.appMessage().appName);
        if (!choice) return;
        this.thingDevices = choice.kind === 'thing' ? { devices: choice.devices, from: choice.from } : undefined;
        this.sendApp();
        return;
      }
    }
  }

  private async act(action: PageAction, instance: InstanceObject): Promise<void> {
    try {
      const result = await performGuideAction(action, { appDir: this.appDir, instanceFile: this.instanceFile, instance }, this.host);
      if (result.instanceFile && result.instanceFile !== this.instanceFile) {
        this.instanceFile = result.instanceFile;
        this.post({ type: 'instance', instance, file: path.basename(this.instanceFile) });
      }
      this.post({ type: 'done', action, ok: result.ok, message: result.message });
    } catch (e) {
      this.post({ type: 'done', action, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  }

  dispose(): void {
    GuidePanel.open.delete(this.appDir);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
