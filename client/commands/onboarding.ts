/**
 * The commands the walkthrough's steps and the SmartPlug Apps view call: open the app's script,
 * run every scenario test. Each one, in a workspace with no app, offers to make one instead of
 * failing quietly.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppTree } from '../views/app-tree';

const NEW_APP = 'New SmartPlug App';

export function registerOnboarding(apps: AppTree): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('smartplug.openAppScript', async (folder?: vscode.Uri) => {
      const app = folder ?? (await pickApp(apps, 'Open the script of which app?'));
      if (!app) return;
      await vscode.window.showTextDocument(vscode.Uri.joinPath(app, 'app.js'));
    }),
    vscode.commands.registerCommand('smartplug.runAllScenarios', async () => {
      if ((await apps.appFolders()).length === 0) {
        await offerNewApp('There is no SmartPlug app to test in this workspace yet.');
        return;
      }
      await vscode.commands.executeCommand('workbench.view.testing.focus');
      await vscode.commands.executeCommand('testing.runAll');
    }),
    vscode.commands.registerCommand('smartplug.refreshApps', () => apps.refresh()),
  ];
}

/** The one app, or the user's pick among several; with none, offers to make one. */
async function pickApp(apps: AppTree, title: string): Promise<vscode.Uri | undefined> {
  const folders = await apps.appFolders();
  if (folders.length === 0) {
    await offerNewApp('There is no SmartPlug app in this workspace yet.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  const picked = await vscode.window.showQuickPick(
    folders.map((folder) => ({ label: path.basename(folder.fsPath), description: vscode.workspace.asRelativePath(folder), folder })),
    // Opened from a walkthrough button too: the page taking the focus back must not close the pick.
    { title, ignoreFocusOut: true },
  );
  return picked?.folder;
}

/** Says why nothing happened, with the one action that helps. */
export async function offerNewApp(message: string): Promise<void> {
  const text = `${message.charAt(0).toUpperCase()}${message.slice(1)}`;
  const choice = await vscode.window.showInformationMessage(`SmartPlug: ${text}`, NEW_APP);
  if (choice === NEW_APP) await vscode.commands.executeCommand('smartplug.newApp');
}
