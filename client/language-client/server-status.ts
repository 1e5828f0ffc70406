/**
 * The language status item of app.json, app.js, manifests, load actions and scenarios: says
 * whether the SmartPlug language server is starting, running, restarting or stopped, and opens
 * Restart / Show Output. A restart the user asked for is shown as one, in the status bar.
 */
import * as vscode from 'vscode';

/** Our documents, by name only: whichever language id the editor gives them. */
const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/app.json' },
  { scheme: 'file', pattern: '**/app.js' },
  { scheme: 'file', pattern: '**/manifest.json' },
  { scheme: 'file', pattern: '**/*.load.json' },
  { scheme: 'file', pattern: '**/*.scenario.json' },
  { scheme: 'file', pattern: '**/instance.json' },
  { scheme: 'file', pattern: '**/devices.json' },
];

export type ServerState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export const SERVER_STATE_TEXT: Record<ServerState, string> = {
  starting: 'Starting',
  running: 'Running',
  restarting: 'Restarting',
  stopped: 'Stopped',
  failed: 'Stopped after repeated failures',
};

export const SERVER_ACTIONS_COMMAND = 'smartplug.serverActions';

export class ServerStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('smartplug.server', SELECTOR);
  private state: ServerState = 'starting';

  constructor() {
    this.item.name = 'SmartPlug Language Server';
    this.item.command = { title: 'Restart or Show Output', command: SERVER_ACTIONS_COMMAND };
    void vscode.commands.executeCommand('setContext', 'smartplug.serverStarted', true);
    this.show('starting');
  }

  get current(): ServerState {
    return this.state;
  }

  show(state: ServerState, detail?: string): void {
    this.state = state;
    this.item.text = `SmartPlug: ${SERVER_STATE_TEXT[state]}`;
    this.item.detail = detail ?? (state === 'running' ? 'Language server' : undefined);
    this.item.busy = state === 'starting' || state === 'restarting';
    this.item.severity = state === 'failed' ? vscode.LanguageStatusSeverity.Error : state === 'stopped' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  }

  dispose(): void {
    this.item.dispose();
  }
}
