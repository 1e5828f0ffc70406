/**
 * The JSON Schemas of schemas/, bundled into the server (nothing is fetched or read at run time).
 * The same files are published for other editors (app.json and manifest.json also through the
 * *-by-name wrappers, which leave other tools' files of those names alone); in VS Code the server
 * applies them itself (docs/language-server.md).
 */
import appSchema from '../../schemas/app.schema.json';
import loadCommonSchema from '../../schemas/load-common.schema.json';
import loadActionSchema from '../../schemas/load-action.schema.json';
import manifestSchema from '../../schemas/manifest.schema.json';
import type { DocumentKind } from './document-kind';

export type JsonSchema = { $id: string; [key: string]: unknown };

export const SCHEMAS: { all: Record<string, JsonSchema>; idOf: Record<DocumentKind, string> } = {
  all: {
    app: appSchema as JsonSchema,
    manifest: manifestSchema as JsonSchema,
    load: loadActionSchema as JsonSchema,
    common: loadCommonSchema as JsonSchema,
  },
  idOf: {
    app: (appSchema as JsonSchema).$id,
    manifest: (manifestSchema as JsonSchema).$id,
    load: (loadActionSchema as JsonSchema).$id,
  },
};
