/** The extension's settings (contributed in package.json `contributes.configuration`), read in one place. */
import * as vscode from 'vscode';

export const JS_INTELLISENSE = 'smartplug.javascriptIntelliSense';

/** Whether to write the declarations that give app.js IntelliSense (default true). */
export function javascriptIntelliSense(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('smartplug', scope).get<boolean>('javascriptIntelliSense', true);
}
