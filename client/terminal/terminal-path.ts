/**
 * Puts `smartplug` on the PATH of VS Code's integrated terminal (Test Results and app.js's comments
 * tell users to type it there): a launcher in the extension's global storage, prepended to PATH
 * through the extension's environment variable collection. New terminals get it; VS Code offers to
 * relaunch the open ones.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { writeLauncher } from './launcher';

export function putCliOnTerminalPath(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const dir = path.join(extension.globalStorageUri.fsPath, 'bin');
  try {
    writeLauncher({ dir, execPath: process.execPath, cliPath: extension.asAbsolutePath(path.join('dist', 'runtime', 'cli.js')) });
  } catch (e) {
    log.warn(`The smartplug command could not be put on the terminal's PATH: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const env = extension.environmentVariableCollection;
  env.description = 'Puts the `smartplug` command (scenario tests, run, validate) on the PATH.';
  env.prepend('PATH', dir + path.delimiter);
}
