/**
 * VS Code's own JSON language service (vscode-json-languageservice, the library inside VS Code's
 * JSON extension), set up as VS Code sets it up for users of this extension: the schemas associated
 * through package.json's `jsonValidation`, their URLs relative to the extension, relative `$ref`s
 * read from disk, and nothing downloaded (our schemas' https ids are not served anywhere yet, and
 * this machine is offline). Tests use it to see what the editor shows beside the language server.
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

export function contributedJsonValidation(): JsonValidation[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation: JsonValidation[] } };
  return pkg.contributes.jsonValidation;
}

export function vscodeJsonService(): LanguageService {
  const service = getLanguageService({
    schemaRequestService: (uri) =>
      uri.startsWith('file:') ? Promise.resolve(readFileSync(fileURLToPath(uri), 'utf8')) : Promise.reject(new Error(`${uri} cannot be downloaded here`)),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  service.configure({
    validate: true,
    allowComments: false,
    schemas: contributedJsonValidation().map((e) => ({ uri: pathToFileURL(path.join(ROOT, e.url)).href, fileMatch: e.fileMatch })),
  });
  return service;
}
