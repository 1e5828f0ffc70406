import { pathToFileURL } from 'node:url';
import { getNodeValue } from 'jsonc-parser';
import { parseAppJson, type AppJsonParse } from '../../runtime/app/parse-app-json';
import { parseJsonDocument, type JsonDocument } from '../../runtime/app/json-tree';
import type { DocumentKind } from './document-kind';

/**
 * One document parsed once: every feature (diagnostics, completion, hover, navigation) reads this,
 * never the text again. The server keeps one per open document and version.
 *
 * The tree (with every position) is built on first use: a valid document's diagnostics need only
 * its value (JSON.parse) and the compiled schema (clean-app-json.ts), and positions are needed only
 * where there is a problem to report or a request about a place.
 */
export interface ParsedDocument {
  readonly uri: string;
  /** File-system path (or the URI when there is none): what problems name. */
  readonly path: string;
  readonly version: number;
  readonly kind: DocumentKind;
  readonly text: string;
  readonly json: JsonDocument;
  /** app.json only: the model, its problems and where each input and page is written. */
  readonly app?: AppJsonParse;
  /** The JSON value, recovered as far as the syntax allows. */
  readonly value: unknown;
  /** The value when the text is valid JSON (JSON.parse), without building the tree; undefined otherwise. */
  readonly strictValue: unknown;
}

export function parseDocument(uri: string, path: string, version: number, kind: DocumentKind, text: string): ParsedDocument {
  return new LazyParsedDocument(uri, path, version, kind, text);
}

const NOT_YET = Symbol('not computed yet');

class LazyParsedDocument implements ParsedDocument {
  private tree: { json: JsonDocument; app?: AppJsonParse } | undefined;
  private strict: unknown = NOT_YET;
  private recovered: unknown = NOT_YET;

  constructor(
    readonly uri: string,
    readonly path: string,
    readonly version: number,
    readonly kind: DocumentKind,
    readonly text: string,
  ) {}

  get json(): JsonDocument {
    return this.parsed().json;
  }

  get app(): AppJsonParse | undefined {
    return this.parsed().app;
  }

  get strictValue(): unknown {
    if (this.strict === NOT_YET) {
      try {
        this.strict = JSON.parse(this.text);
      } catch {
        this.strict = undefined;
      }
    }
    return this.strict;
  }

  get value(): unknown {
    if (this.recovered === NOT_YET) {
      // JSON.parse is ~10x faster than walking the tree on large files, and exact when the syntax is.
      const strict = this.strictValue;
      const root = strict === undefined ? this.json.root : undefined;
      this.recovered = root ? getNodeValue(root) : strict;
    }
    return this.recovered;
  }

  private parsed(): { json: JsonDocument; app?: AppJsonParse } {
    if (!this.tree) {
      if (this.kind === 'app') {
        const app = parseAppJson(this.text, this.path, { tolerant: true });
        this.tree = { json: app.doc, app };
      } else this.tree = { json: parseJsonDocument(this.text, this.path, { allowComments: false }) };
    }
    return this.tree;
  }
}

/**
 * The last parse of each app.json, by path: app.js's requests, its check and the app's type
 * declarations read the app.json beside it, and reuse this parse while its text is the same (the
 * server registers the parse of an open app.json's current version here too).
 */
const appJsonParses = new Map<string, ParsedDocument>();

export function appJsonParse(path: string, text: string): ParsedDocument {
  const cached = appJsonParses.get(path);
  if (cached && cached.text === text) return cached;
  const parsed = parseDocument(pathToFileURL(path).href, path, 0, 'app', text);
  appJsonParses.set(path, parsed);
  return parsed;
}

/** Makes an open app.json's parse the one appJsonParse gives for its text. */
export function rememberAppJsonParse(parsed: ParsedDocument): void {
  if (parsed.kind === 'app') appJsonParses.set(parsed.path, parsed);
}
