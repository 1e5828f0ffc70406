/**
 * VS Code's own JSON language service (vscode-json-languageservice, the library inside VS Code's
 * JSON extension), set up as an editor that applies our published schemas by file name would set
 * it up (the extension itself no longer does: our files have their own language, served by our
 * server alone): relative `$ref`s read from disk, nothing downloaded (our schemas' https ids are
 * not served anywhere yet, and this machine is offline). Tests use it to see that the schemas read
 * well in another editor.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getLanguageService, type LanguageService } from 'vscode-json-languageservice';

const ROOT = path.resolve(__dirname, '..', '..');

export interface JsonValidation {
  fileMatch: string[];
  url: string;
}

/** The association by file name: the *-by-name wrappers leave other tools' app.json and manifest.json alone. */
export const SCHEMAS_BY_NAME: readonly JsonValidation[] = [
  { fileMatch: ['app.json', '**/app.json'], url: './schemas/app-by-name.schema.json' },
  { fileMatch: ['manifest.json', '**/manifest.json'], url: './schemas/manifest-by-name.schema.json' },
  { fileMatch: ['*.load.json', '**/*.load.json'], url: './schemas/load-action.schema.json' },
];

export function vscodeJsonService(): LanguageService {
  const service = getLanguageService({
    schemaRequestService: (uri) =>
      uri.startsWith('file:') ? Promise.resolve(readFileSync(fileURLToPath(uri), 'utf8')) : Promise.reject(new Error(`${uri} cannot be downloaded here`)),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  service.configure({
    validate: true,
    allowComments: false,
    schemas: SCHEMAS_BY_NAME.map((e) => ({ uri: pathToFileURL(path.join(ROOT, e.url)).href, fileMatch: e.fileMatch })),
  });
  return service;
}
