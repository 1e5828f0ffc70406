/**
 * The server's own LSP messages, beyond the standard protocol. Each is declared once here with its
 * method name, its types and who sends it; the client (client/) imports the same declarations.
 */
import { RequestType } from 'vscode-languageserver-protocol';

export interface AppTypesParams {
  /** The app.json or app.js of an app. */
  uri: string;
}

export interface AppTypesResult {
  /** The script API declaration (the same text as schemas/smartplug-api.d.ts). */
  api: string;
  /** `settings` and `config` of this app, generated from its app.json; empty when it cannot be read. */
  settings: string;
}

/**
 * Sent from the client to the server: the TypeScript declarations that give app.js IntelliSense.
 * The client writes them where VS Code's JavaScript support finds them (beside app.js) and asks
 * again when app.json changes.
 */
export namespace AppTypesRequest {
  export const method = 'smartplug/appTypes';
  export const type = new RequestType<AppTypesParams, AppTypesResult, void>(method);
}
