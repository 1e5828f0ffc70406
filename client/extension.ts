/**
 * The extension's entry: builds the context, registers commands, and hands off. The language
 * server and the Testing view start only once the workspace holds a SmartPlug app (an app.json of
 * Expo or Heroku does not count), found now or later.
 */
import type * as vscode from 'vscode';
import { AppPresence } from './activation/app-presence';
import { registerCommands } from './commands';
import { SmartPlugContext } from './context';
import { createScenarioTesting } from './testing/scenario-testing';

let current: SmartPlugContext | undefined;

export function activate(extension: vscode.ExtensionContext): SmartPlugContext {
  const started = performance.now();
  const ctx = (current = new SmartPlugContext(extension));
  ctx.pushExtCleanup(...registerCommands(ctx));
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
  await current?.dispose();
  current = undefined;
}
