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
export const FOREIGN_KEYS: Partial<Record<DocumentKind, readonly string[]>> = {
  app: ['expo', 'scripts', 'env', 'buildpacks', 'addons', 'formation', 'stack', 'environments'],
  manifest: ['manifest_version', 'icons', 'start_url', 'short_name', 'display', 'background_color', 'theme_color'],
};

export function isForeign(kind: DocumentKind, text: string): boolean {
  const keys = FOREIGN_KEYS[kind];
  if (!keys) return false;
  return keys.some((k) => topLevelKeys(text).has(k));
}

/**
 * The keys of the document's top-level object, read without building the document: one pass
 * over the characters that tracks nesting and skips strings (a few ms for 1 MB).
 */
function topLevelKeys(text: string): Set<string> {
  const keys = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      if (depth === 1 && expectKey) keys.add(text.slice(i + 1, j));
      expectKey = false;
      i = j;
    } else if (c === 123 || c === 91) {
      depth++;
      expectKey = c === 123 && depth === 1;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44 && depth === 1) expectKey = true;
  }
  return keys;
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
