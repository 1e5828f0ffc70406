/**
 * The `smartplug` debug type in VS Code: the adapter runs inline in the extension host (the same
 * DAP session as over stdio, debugger/debug-session.ts), and F5 on app.js, app.json or a scenario
 * file just works, with no launch.json.
 */
import * as vscode from 'vscode';
import { defaultLaunchFor } from '../../debugger/default-launch';
import { SmartPlugDebugSession } from '../../debugger/debug-session';
import { runApp } from '../run-app/run-app-terminal';

export const DEBUG_TYPE = 'smartplug';

class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    // The session type is DAP's; VS Code's inline adapter only needs handleMessage/onDidSendMessage.
    return new vscode.DebugAdapterInlineImplementation(new SmartPlugDebugSession() as unknown as vscode.DebugAdapter);
  }
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** The configuration launch.json starts with: the workspace's app. */
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'Debug SmartPlug app', app: folder ? '${workspaceFolder}' : '${fileDirname}', stopOnEntry: false }];
  }

  constructor(private readonly cliPath: string) {}

  /** F5 without launch.json: the app of the file in the editor. Ctrl+F5 (no debugging): Run App. */
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const file = vscode.window.activeTextEditor?.document.uri;
    if (config.noDebug && !config.scenario) {
      const app = typeof config.app === 'string' && config.app ? config.app : file?.scheme === 'file' ? defaultLaunchFor(file.fsPath)?.app : undefined;
      if (app) {
        runApp(app, this.cliPath);
        // The terminal is the run: no debug session.
        return undefined;
      }
    }
    if (config.type && config.request) return config;
    const launch = file?.scheme === 'file' ? defaultLaunchFor(file.fsPath) : undefined;
    if (!launch) {
      void vscode.window.showErrorMessage('SmartPlug: open a file of a SmartPlug app (app.js, app.json or a scenario) to debug it, or add a "smartplug" configuration to launch.json.');
      return undefined;
    }
    return { ...launch, ...config, type: DEBUG_TYPE, request: 'launch', name: launch.name };
  }
}

/** Run and Debug's "SmartPlug..." list: the app of the file in the editor. */
class DynamicProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const file = vscode.window.activeTextEditor?.document.uri;
    const launch = file?.scheme === 'file' ? defaultLaunchFor(file.fsPath) : undefined;
    return launch ? [launch] : [];
  }
}

export function registerDebugging(cliPath: string): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider(cliPath), vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  ];
}
