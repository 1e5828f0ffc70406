/** "SmartPlug: Run App": the app of the active editor (or the workspace's) in a Run App terminal. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { appFolderOf } from '../../debugger/default-launch';
import type { SmartPlugContext } from '../context';
import { runApp } from '../run-app/run-app-terminal';

export const RUN_APP = 'smartplug.runApp';

/** The app to run: the one of the file given or in the editor, else one of the workspace's (asked when several). */
export async function pickAppFolder(uri?: vscode.Uri): Promise<string | undefined> {
  const file = uri ?? vscode.window.activeTextEditor?.document.uri;
  const own = file?.scheme === 'file' ? appFolderOf(file.fsPath) : undefined;
  if (own) return own;
  const found = await vscode.workspace.findFiles('**/app.json', '**/node_modules/**', 50);
  const dirs = found.map((u) => path.dirname(u.fsPath));
  if (dirs.length <= 1) return dirs[0];
  const picked = await vscode.window.showQuickPick(dirs.map((d) => ({ label: path.basename(d), description: vscode.workspace.asRelativePath(d), dir: d })), { placeHolder: 'Which app?' });
  return picked?.dir;
}

export function registerRunApp(ctx: SmartPlugContext): vscode.Disposable {
  return vscode.commands.registerCommand('smartplug.runApp' satisfies typeof RUN_APP, async (uri?: vscode.Uri) => {
    const dir = await pickAppFolder(uri);
    if (!dir) {
      void vscode.window.showErrorMessage('SmartPlug: there is no app to run here: open a file of an app (a folder with app.json), or create one with "SmartPlug: New App".');
      return;
    }
    runApp(dir, ctx.asAbsolutePath(path.join('dist', 'runtime', 'cli.js')));
  });
}
