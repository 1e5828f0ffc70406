/**
 * The language client: starts `dist/server/main.js` in its own Node process over IPC (so parsing a
 * file of many megabytes never blocks the editor) and sends it the JSON files and app.js files of
 * the workspace; the server decides which are its own.
 */
import { LanguageClient, RevealOutputChannelOn, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type * as vscode from 'vscode';
import { SERVER_NODE_FLAGS } from '../../server/node-flags';
import { clientOutputChannel, isCleanExit } from './client-log';
import { documentSyncMiddleware } from './document-sync';
import { SMARTPLUG_JSON } from './language-id';

export interface ClientSetup {
  /** Absolute path of the bundled server, `<extension>/dist/server/main.js`. */
  serverModule: string;
  log: vscode.LogOutputChannel;
  errorHandler: ErrorHandler;
}

/**
 * The library's own error notifications (a start or restart that failed, a failed initialize) go
 * to the output only. The error handler restarts a server that stops and, when it gives up, shows
 * the one notification, with Restart and Show Output; without this a server that cannot start
 * shows three cryptic notifications ("Pending response rejected since connection got disposed").
 */
class SmartPlugLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    // The library reports every exit of the server as an error; exit code 0 is a server that was
    // asked to stop (a restart, a reload), which is no error at all.
    if (isCleanExit(message)) {
      super.info(message, data, false);
      return;
    }
    super.error(message, data, false);
  }
}

export function createLanguageClient(setup: ClientSetup): LanguageClient {
  const node = { module: setup.serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } };
  const serverOptions: ServerOptions = { run: node, debug: node };
  let client: LanguageClient | undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: SMARTPLUG_JSON },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'file', pattern: '**/app.js' },
    ],
    outputChannel: clientOutputChannel(setup.log),
    // Problems go to the Problems panel; the output is there for whoever asks (Show Output).
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: setup.errorHandler,
    // A server that dies while starting is restarted by the error handler (closed()); nothing to ask here.
    initializationFailedHandler: (error: unknown) => {
      setup.log.error(`The SmartPlug language server failed to initialize: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
    middleware: documentSyncMiddleware(() => client),
  };
  client = new SmartPlugLanguageClient('smartplug', 'SmartPlug Language Server', serverOptions, clientOptions);
  return client;
}
