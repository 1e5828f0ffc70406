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

export interface ValidateFilesParams {
  /** file: URIs of app.json, manifest.json and *.load.json files (and app.js files beside an app.json). */
  uris: string[];
}

export interface ValidateFilesResult {
  files: number;
  errors: number;
  warnings: number;
}

/**
 * Sent from the client to the server: check these files (the editor's buffer when open, else the
 * disk) and publish their diagnostics, so the Problems panel shows the whole workspace. The client
 * sends the workspace's files in batches to show progress.
 */
export namespace ValidateFilesRequest {
  export const method = 'smartplug/validateFiles';
  export const type = new RequestType<ValidateFilesParams, ValidateFilesResult, void>(method);
}
