/** "SmartPlug: Preview Configuration Guide": the guide of the active app, beside its app.json. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';
import type { GuideActionHost, GuideActionResult } from '../guide/guide-actions';
import { GuidePanel } from '../guide/guide-panel';
import type { GuideDevicesChoice } from '../platform/guide-devices';
import { runApp } from '../run-app/run-app-terminal';
import { pickAppFolder } from './run-app';

export const PREVIEW_GUIDE = 'smartplug.previewGuide';

export function registerPreviewGuide(ctx: SmartPlugContext): vscode.Disposable {
  const cli = ctx.asAbsolutePath(path.join('dist', 'runtime', 'cli.js'));
  const host: GuideActionHost = {
    runApp: (appDir, file) => void runApp(appDir, cli, file),
    install: async (appDir, instance) => (await vscode.commands.executeCommand<GuideActionResult | undefined>('smartplug.installInstance', appDir, instance)) ?? { ok: false, message: 'Not installed.' },
    chooseDevices: async (appName) => vscode.commands.executeCommand<GuideDevicesChoice | undefined>('smartplug.chooseGuideDevices', appName),
    scratchDir: path.join(ctx.extension.globalStorageUri.fsPath, 'guide'),
  };
  return vscode.commands.registerCommand('smartplug.previewGuide' satisfies typeof PREVIEW_GUIDE, async (uri?: vscode.Uri) => {
    const dir = await pickAppFolder(uri);
    if (!dir) {
      void vscode.window.showErrorMessage('SmartPlug: there is no app here to show the guide of: open a file of an app (a folder with app.json), or create one with "SmartPlug: New App".');
      return;
    }
    GuidePanel.show(dir, ctx.extension.extensionUri, host);
  });
}
