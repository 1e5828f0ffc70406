/** Every command of package.json `contributes.commands`, registered for the extension's lifetime. */
import type * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';
import { registerNewApp } from './new-app';
import { registerPreviewGuide } from './preview-guide';
import { registerRunApp } from './run-app';
import { registerSimulatorCommands } from './simulator';
import { registerServerCommands } from './server-commands';
import { registerValidateWorkspace } from './validate-workspace';

export function registerCommands(ctx: SmartPlugContext): vscode.Disposable[] {
  return [...registerServerCommands(ctx), registerNewApp(ctx), registerValidateWorkspace(ctx), registerRunApp(ctx), registerPreviewGuide(ctx), ...registerSimulatorCommands()];
}
