/** "SmartPlug: Restart Language Server" and "SmartPlug: Show Output". */
import * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';

export function registerServerCommands(ctx: SmartPlugContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('smartplug.restartServer', async () => {
      try {
        await ctx.restartServer();
        ctx.log.info('The SmartPlug language server is running.');
      } catch (e) {
        const message = `The SmartPlug language server did not start: ${e instanceof Error ? e.message : String(e)}`;
        ctx.log.error(message);
        void vscode.window.showErrorMessage(message, 'Show Output').then((c) => c && ctx.log.show());
      }
    }),
    vscode.commands.registerCommand('smartplug.showOutput', () => ctx.log.show()),
  ];
}
