/**
 * The extension's entry: builds the context, registers commands and the SmartPlug Apps view, and
 * hands off. The language server and the Testing view start only once the workspace holds a
 * SmartPlug app (an app.json of Expo or Heroku does not count), found now or later.
 */
import * as vscode from 'vscode';
import { AppPresence } from './activation/app-presence';
import * as path from 'node:path';
import { registerDebugging } from './debug/debug-registration';
import { registerSimulatorView } from './debug/simulator-view';
import { registerCommands } from './commands';
import { registerOnboarding } from './commands/onboarding';
import { SmartPlugContext } from './context';
import { followDocumentLanguages } from './language-client/language-mode';
import { putCliOnTerminalPath } from './terminal/terminal-path';
import { createScenarioTesting } from './testing/scenario-testing';
import { APPS_VIEW, AppTree } from './views/app-tree';
import { registerPlatform } from './platform';
import type { PlatformConnection } from './platform/connection';

let current: SmartPlugContext | undefined;
let platform: PlatformConnection | undefined;

export function activate(extension: vscode.ExtensionContext): SmartPlugContext {
  const started = performance.now();
  const ctx = (current = new SmartPlugContext(extension));
  ctx.pushExtCleanup(...registerCommands(ctx));
  ctx.pushExtCleanup(...registerDebugging(ctx.asAbsolutePath(path.join('dist', 'runtime', 'cli.js'))), ...registerSimulatorView());
  putCliOnTerminalPath(extension, ctx.log);
  // The Explorer's "SmartPlug Apps" view: the apps, or "New SmartPlug App" when there is none.
  const apps = new AppTree();
  ctx.pushExtCleanup(apps, vscode.window.registerTreeDataProvider(APPS_VIEW, apps), ...registerOnboarding(apps));
  ctx.pushExtCleanup(followDocumentLanguages(ctx.log));
  // The platform's views and status bar item; the last connection comes back after activation.
  const platformUi = registerPlatform(ctx, () => apps.appFolders());
  platform = platformUi.connection;
  ctx.pushExtCleanup(...platformUi.disposables);
  setTimeout(() => void platformUi.connection.restoreLast(), 0);
  const presence = new AppPresence(ctx.log);
  ctx.pushExtCleanup(presence);
  presence.onDidFindApp(() => {
    ctx.pushExtCleanup(createScenarioTesting(ctx));
    ctx.ensureServer().catch((e) => ctx.log.error(`The SmartPlug language server did not start: ${e instanceof Error ? e.message : String(e)}`));
  });
  presence.start().catch((e) => ctx.log.error(`Looking for SmartPlug apps failed: ${e instanceof Error ? e.message : String(e)}`));
  // The extension's own work; the language server starts after, in its own process.
  ctx.log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
  return ctx;
}

export async function deactivate(): Promise<void> {
  // A local environment VS Code started stops with it (Ctrl-C, as in a terminal).
  await Promise.all([current?.dispose(), platform?.dispose()]);
  current = undefined;
  platform = undefined;
}
