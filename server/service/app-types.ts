import * as path from 'node:path';
import type { AppTypesResult } from '../protocol';
import { apiDeclaration } from './api-declaration';
import { appJsonParse } from './parsed-document';
import { settingsDeclaration } from './settings-types';

/**
 * The answer to `smartplug/appTypes`: the script API and the app's own `settings` and `config`,
 * generated from the app.json beside the given app.js or app.json (its buffer when open).
 */
export function appTypes(filePath: string, readFile: (path: string) => string | undefined): AppTypesResult {
  const jsonPath = path.join(path.dirname(filePath), 'app.json');
  const text = readFile(jsonPath);
  const appJson = text === undefined ? undefined : appJsonParse(jsonPath, text).app?.appJson;
  return { api: apiDeclaration(), settings: appJson ? settingsDeclaration(appJson, path.basename(path.dirname(jsonPath))) : '' };
}
