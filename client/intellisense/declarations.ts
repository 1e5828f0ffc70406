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
    { path: path.join(dir, 'README.md'), content: DECLARATIONS_README },
  ];
}

/** Users found a folder they had not made in their app: it says what it is, and that it may go. */
export const DECLARATIONS_README = `# .smartplug/ — written by the SmartPlug Apps IDE

These files give \`app.js\` its IntelliSense (completion, hover and checks for the script API and
for this app's \`settings\`). The extension writes them when \`app.js\` or \`app.json\` is opened,
and again when \`app.json\` is saved; they are not part of the app and are never deployed.

- \`smartplug-api.d.ts\`: the script API (\`subscribe\`, \`runIn\`, \`state\`, device handles, …).
- \`settings.d.ts\`: this app's \`settings\`, made from the inputs of its \`app.json\`.

Safe to delete (they come back when needed) and to leave out of version control
(add \`.smartplug/\` to \`.gitignore\`). To stop them, turn off the setting
"SmartPlug › Script Declarations: Enable" (\`smartplug.scriptDeclarations.enable\`).
`;

/** Written only when the folder has none: a jsconfig.json of the user's is theirs. */
export function jsconfigFile(appFolder: string): GeneratedFile {
  const config = {
    compilerOptions: { lib: ['es2022'], checkJs: true },
    include: ['app.js', `${DECLARATIONS_DIR}/*.d.ts`],
  };
  // jsconfig.json is read as JSON with comments: the header says where the file came from.
  const header = '// Written by the SmartPlug Apps IDE so that VS Code gives app.js IntelliSense for the script API\n// and this app\'s settings (see .smartplug/README.md). Yours to change or delete; it is never rewritten.\n';
  return { path: path.join(appFolder, 'jsconfig.json'), content: header + JSON.stringify(config, null, 2) + '\n' };
}
