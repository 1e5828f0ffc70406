/**
 * Where app.js's JavaScript IntelliSense comes from: the script API and the app's `settings`
 * declarations (the server's `smartplug/appTypes` answer) written into `<app>/.smartplug/`, and a
 * jsconfig.json that puts app.js and those declarations in one project for VS Code's TypeScript
 * support. Pure (no vscode): paths and texts only.
 */
import * as path from 'node:path';
import type { AppTypesResult } from '../../server/protocol';

export const DECLARATIONS_DIR = '.smartplug';

export interface GeneratedFile {
  /** Absolute path. */
  path: string;
  content: string;
}

/** The app folder of an app.js or app.json, or undefined for any other file. */
export function appFolderOfDocument(file: string): string | undefined {
  const base = path.basename(file);
  return base === 'app.js' || base === 'app.json' ? path.dirname(file) : undefined;
}

export function declarationFiles(appFolder: string, types: AppTypesResult): GeneratedFile[] {
  const dir = path.join(appFolder, DECLARATIONS_DIR);
  return [
    { path: path.join(dir, 'smartplug-api.d.ts'), content: types.api },
    { path: path.join(dir, 'settings.d.ts'), content: types.settings },
  ];
}

/** Written only when the folder has none: a jsconfig.json of the user's is theirs. */
export function jsconfigFile(appFolder: string): GeneratedFile {
  const config = {
    compilerOptions: { lib: ['es2022'], checkJs: true },
    include: ['app.js', `${DECLARATIONS_DIR}/*.d.ts`],
  };
  return { path: path.join(appFolder, 'jsconfig.json'), content: JSON.stringify(config, null, 2) + '\n' };
}
