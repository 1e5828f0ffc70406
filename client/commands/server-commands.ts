/** "SmartPlug: Restart Language Server", "Show Output", and the status item's choice of the two. */
import * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';
import { SERVER_STATE_TEXT } from '../language-client/server-status';

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
    vscode.commands.registerCommand('smartplug.serverActions', async () => {
      const state = ctx.serverState;
      const picked = await vscode.window.showQuickPick(
        [
          { label: '$(debug-restart) Restart Language Server', command: 'smartplug.restartServer' },
          { label: '$(output) Show Output', command: 'smartplug.showOutput' },
        ],
        { title: `SmartPlug Language Server: ${state ? SERVER_STATE_TEXT[state] : 'not started'}` },
      );
      if (picked) await vscode.commands.executeCommand(picked.command);
    }),
  ];
}
