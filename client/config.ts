/** The extension's settings (contributed in package.json `contributes.configuration`), read in one place. */
import * as vscode from 'vscode';

export const SCRIPT_DECLARATIONS = 'smartplug.scriptDeclarations.enable';
/** The first release's name of the same setting; still honoured when a user set it. */
const SCRIPT_DECLARATIONS_BEFORE = 'smartplug.javascriptIntelliSense';

/** Whether to write the declarations that give app.js IntelliSense (default true). */
export function scriptDeclarationsEnabled(scope?: vscode.Uri): boolean {
  const config = vscode.workspace.getConfiguration(undefined, scope);
  const now = config.inspect<boolean>(SCRIPT_DECLARATIONS);
  const setNow = now?.workspaceFolderValue ?? now?.workspaceValue ?? now?.globalValue;
  if (setNow !== undefined) return setNow;
  return config.get<boolean>(SCRIPT_DECLARATIONS_BEFORE, true);
}

export function affectsScriptDeclarations(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SCRIPT_DECLARATIONS) || e.affectsConfiguration(SCRIPT_DECLARATIONS_BEFORE);
}
