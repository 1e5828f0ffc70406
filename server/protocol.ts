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

/**
 * What the client says of its editor when it starts the server (LSP `initializationOptions`).
 * VS Code's own JSON language features apply the JSON Schemas to our files (the extension
 * contributes them through `jsonValidation`); the server then leaves that layer to the editor, so
 * nothing appears twice. Other clients, and `smartplug validate`, get everything from the server.
 */
export interface SmartPlugInitializationOptions {
  /** The editor reports schema errors, JSON syntax errors and duplicate keys itself: publish only the rules. */
  editorValidatesSchemas?: boolean;
  /** The editor completes and hovers from the schemas itself: offer only what comes from the app (its inputs, devices, values). */
  editorOffersSchemaItems?: boolean;
}

/** Reads the options leniently: a client may send anything, or nothing. */
export function initializationOptionsOf(raw: unknown): Required<SmartPlugInitializationOptions> {
  const options = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return { editorValidatesSchemas: options.editorValidatesSchemas === true, editorOffersSchemaItems: options.editorOffersSchemaItems === true };
}
