/** Which language a document of ours has (see language-mode.ts). Pure: no vscode. */
import { documentKind, kindFromSchema } from '../../server/service/document-kind';

/** The language id contributed in package.json. */
export const SMARTPLUG_JSON = 'smartplug-json';

/** How much of a document is read to decide (the `$schema` and the tell-tale keys sit at the top). */
export const LANGUAGE_HEAD = 64 * 1024;

/** The language a document should have, when it is not the one it has. Pure. */
export function languageFor(path: string, head: string, languageId: string): string | undefined {
  if (languageId === SMARTPLUG_JSON) return documentKind(path, head) === undefined ? 'json' : undefined;
  if (languageId === 'json' && kindFromSchema(head) !== undefined) return SMARTPLUG_JSON;
  return undefined;
}

