/**
 * "SmartPlug: New App": asks a name and a folder, writes a small working app with a passing
 * scenario test there (client/new-app/templates.ts), and opens its app.js.
 */
import * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';
import { newAppFiles, validateAppName } from '../new-app/templates';
import { exists } from '../workspace-files';

export function registerNewApp(ctx: SmartPlugContext): vscode.Disposable {
  return vscode.commands.registerCommand('smartplug.newApp', async () => {
    const name = await vscode.window.showInputBox({
      title: 'SmartPlug: New App',
      prompt: 'Name of the new app (its folder name)',
      placeHolder: 'door-switch',
      validateInput: (value) => validateAppName(value) ?? null,
    });
    if (name === undefined) return;
    const picked = await vscode.window.showOpenDialog({
      title: `SmartPlug: New App — the folder to create "${name}" in`,
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Create App Here',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!picked || picked.length === 0) return;
    const dir = vscode.Uri.joinPath(picked[0], name);
    if (await exists(dir)) {
      void vscode.window.showErrorMessage(`${dir.fsPath} already exists: choose another name or folder.`);
      return;
    }
    try {
      for (const file of newAppFiles(name)) {
        const uri = vscode.Uri.joinPath(dir, ...file.path.split('/'));
        await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
        await vscode.workspace.fs.writeFile(uri, Buffer.from(file.content, 'utf8'));
      }
    } catch (e) {
      const message = `Could not create the app in ${dir.fsPath}: ${e instanceof Error ? e.message : String(e)}`;
      ctx.log.error(message);
      void vscode.window.showErrorMessage(message);
      return;
    }
    ctx.log.info(`Created the app ${dir.fsPath}.`);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(dir, 'app.js'));
  });
}
