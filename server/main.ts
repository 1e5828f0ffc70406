/**
 * The language server process. The transport (--stdio, --node-ipc, --socket=N) is chosen from the
 * command line by vscode-languageserver; everything else is in server.ts.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { SmartPlugServer } from './server';

new SmartPlugServer(createConnection(ProposedFeatures.all)).start();
