/**
 * Which of our formats a document is: by its file name, or by the `$schema` it names (so a file
 * called anything can opt in).
 */
export type DocumentKind = 'app' | 'manifest' | 'load';

const SCHEMA_IDS: Record<string, DocumentKind> = {
  'app.schema.json': 'app',
  'manifest.schema.json': 'manifest',
  'load-action.schema.json': 'load',
};

/**
 * Other tools use the same file names: Expo and Heroku (app.json), web apps and browser extensions
 * (manifest.json). A file with one of their top-level keys is theirs, and left alone.
 */
const FOREIGN_KEYS: Partial<Record<DocumentKind, readonly string[]>> = {
  app: ['expo', 'scripts', 'env', 'buildpacks', 'addons', 'formation', 'stack', 'environments'],
  manifest: ['manifest_version', 'icons', 'start_url', 'short_name', 'display', 'background_color', 'theme_color'],
};

export function isForeign(kind: DocumentKind, text: string): boolean {
  const keys = FOREIGN_KEYS[kind];
  if (!keys) return false;
  // Top-level keys sit at one indentation level in practice; a cheap scan, no parse needed.
  return keys.some((k) => new RegExp(`^\\s{0,4}"${k}"\\s*:`, 'm').test(text));
}

export function kindFromName(path: string): DocumentKind | undefined {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (base === 'app.json') return 'app';
  if (base === 'manifest.json') return 'manifest';
  if (base.endsWith('.load.json')) return 'load';
  return undefined;
}

/** `"$schema": "…/app.schema.json"` near the top of the text. */
export function kindFromSchema(text: string): DocumentKind | undefined {
  const m = /"\$schema"\s*:\s*"([^"]*)"/.exec(text.slice(0, 4096));
  if (!m) return undefined;
  const name = m[1].slice(m[1].lastIndexOf('/') + 1);
  return SCHEMA_IDS[name];
}

export function documentKind(path: string, text: string): DocumentKind | undefined {
  const schema = kindFromSchema(text);
  if (schema) return schema;
  const byName = kindFromName(path);
  return byName && !isForeign(byName, text) ? byName : undefined;
}
