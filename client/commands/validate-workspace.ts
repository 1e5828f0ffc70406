/**
 * "SmartPlug: Validate Workspace": every app.json, manifest.json and *.load.json of the workspace
 * (and each app's app.js), checked by the server from disk with their diagnostics in the Problems
 * panel — without opening them. Sent in batches so progress shows and cancelling stops between
 * batches.
 */
import * as vscode from 'vscode';
import { ValidateFilesRequest, type ValidateFilesResult } from '../../server/protocol';
import { EXCLUDE_GLOB, OWN_FILES_GLOB } from '../activation/app-detection';
import type { SmartPlugContext } from '../context';
import { offerNewApp } from './onboarding';

const BATCH = 20;

interface Outcome extends ValidateFilesResult {
  cancelled: boolean;
}

export function registerValidateWorkspace(ctx: SmartPlugContext): vscode.Disposable {
  return vscode.commands.registerCommand('smartplug.validateWorkspace', async () => {
    let outcome: Outcome | undefined;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'SmartPlug: Validating the workspace', cancellable: true },
        (progress, token) => validate(ctx, progress, token),
      );
    } catch (e) {
      const message = `SmartPlug: Validate Workspace failed: ${e instanceof Error ? e.message : String(e)}`;
      ctx.log.error(message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((c) => c && ctx.log.show());
      return;
    }
    if (!outcome) {
      void offerNewApp('there is no app.json, manifest.json or *.load.json in this workspace to validate.');
      return;
    }
    const summary = `${outcome.files} file(s) checked: ${outcome.errors} error(s), ${outcome.warnings} warning(s)${outcome.cancelled ? ' (cancelled before the end)' : ''}.`;
    ctx.log.info(`Validate Workspace: ${summary}`);
    // Not awaited: the command is done; the message stays until the user closes it.
    void vscode.window.showInformationMessage(`SmartPlug: ${summary}`, ...(outcome.errors + outcome.warnings > 0 ? ['Show Problems'] : [])).then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  });
}

async function validate(
  ctx: SmartPlugContext,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<Outcome | undefined> {
  const found = await vscode.workspace.findFiles(OWN_FILES_GLOB, EXCLUDE_GLOB, undefined, token);
  const outcome: Outcome = { files: 0, errors: 0, warnings: 0, cancelled: false };
  if (token.isCancellationRequested) return { ...outcome, cancelled: true };
  if (found.length === 0) return undefined;
  // app.js is checked against its app.json (settings.X); the server skips one that is not there.
  const scripts = found.filter((u) => u.path.endsWith('/app.json')).map((u) => vscode.Uri.joinPath(u, '..', 'app.js'));
  const uris = [...found, ...scripts].map((u) => u.toString());
  const client = await ctx.ensureServer();
  for (let i = 0; i < uris.length; i += BATCH) {
    if (token.isCancellationRequested) break;
    const batch = uris.slice(i, i + BATCH);
    progress.report({ message: `${Math.min(i + BATCH, uris.length)} of ${uris.length} files`, increment: (batch.length / uris.length) * 100 });
    try {
      const r = await client.sendRequest(ValidateFilesRequest.type, { uris: batch }, token);
      outcome.files += r.files;
      outcome.errors += r.errors;
      outcome.warnings += r.warnings;
    } catch (e) {
      if (token.isCancellationRequested) break;
      throw e;
    }
  }
  outcome.cancelled = token.isCancellationRequested;
  return outcome;
}
