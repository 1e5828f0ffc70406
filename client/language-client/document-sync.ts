/**
 * Middleware that sends the server only the documents it may serve (see served-documents.ts), so
 * a large unrelated JSON file is never copied into the server process. A document that starts
 * naming our schema while open (the user types `"$schema"`) is opened on the server then.
 */
import * as vscode from 'vscode';
import { DidOpenTextDocumentNotification, type BaseLanguageClient, type Middleware } from 'vscode-languageclient/node';
import { isServedDocument } from './served-documents';
import { documentHead } from '../activation/read-head';

/** `$schema` is looked for in the first 4 KB (as the server does). */
const SCHEMA_HEAD = 4096;

export function documentSyncMiddleware(client: () => BaseLanguageClient | undefined): Middleware {
  const served = new Set<string>();
  const isServed = (d: vscode.TextDocument) => isServedDocument(d.uri.fsPath, documentHead(d, SCHEMA_HEAD));
  return {
    didOpen: async (document, next) => {
      if (!isServed(document)) return;
      served.add(document.uri.toString());
      return next(document);
    },
    didChange: async (event, next) => {
      const key = event.document.uri.toString();
      if (served.has(key)) return next(event);
      const c = client();
      if (!c || !isServed(event.document)) return;
      served.add(key);
      await c.sendNotification(DidOpenTextDocumentNotification.type, c.code2ProtocolConverter.asOpenTextDocumentParams(event.document));
    },
    didSave: async (document, next) => (served.has(document.uri.toString()) ? next(document) : undefined),
    didClose: async (document, next) => (served.delete(document.uri.toString()) ? next(document) : undefined),
  };
}
