/**
 * The status bar item of the platform connection: where it stands at a glance (local or remote,
 * connected, degraded with the part that failed, starting, none), and a click opens the quick pick
 * of what can be done from here.
 */
import * as vscode from 'vscode';
import type { ConnectionStatus, PlatformConnection } from './connection';

export function createStatusItem(connection: PlatformConnection): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('smartplug.platform', vscode.StatusBarAlignment.Left, 50);
  item.name = 'SmartPlug Platform';
  item.command = 'smartplug.platformActions';
  const show = (status: ConnectionStatus) => {
    const look = describe(status, connection.live?.things.length ?? 0);
    item.text = look.text;
    item.tooltip = new vscode.MarkdownString(look.tooltip + '\n\n_Click for the platform\'s actions._');
    item.backgroundColor = look.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.accessibilityInformation = { label: look.tooltip };
    item.show();
  };
  show(connection.status);
  const subscription = connection.onDidChange(show);
  return vscode.Disposable.from(item, subscription);
}

function describe(status: ConnectionStatus, things: number): { text: string; tooltip: string; warning?: boolean } {
  switch (status.state) {
    case 'none':
      return { text: '$(debug-disconnect) SmartPlug', tooltip: 'Not connected to a SmartPlug platform.' };
    case 'starting':
      return { text: '$(loading~spin) SmartPlug: starting', tooltip: 'Starting the local environment…' };
    case 'connecting':
      return { text: '$(loading~spin) SmartPlug: connecting', tooltip: `Connecting to ${status.platformUrl}…` };
    case 'connected':
      return { text: `$(${status.kind === 'local' ? 'vm-running' : 'cloud'}) SmartPlug: ${status.kind} · ${things} Thing${things === 1 ? '' : 's'}`, tooltip: `Connected to the ${status.kind} platform ${status.platformUrl}; updates arrive live.` };
    case 'degraded':
      return { text: `$(warning) SmartPlug: ${status.part} unreachable`, tooltip: `${status.message}\n\nThe views show what was last read.`, warning: true };
    case 'closed':
      return { text: '$(debug-disconnect) SmartPlug', tooltip: 'Disconnected.' };
  }
}
