/**
 * The language server's figures, measured server-side (the service, without the wire): time to
 * diagnostics for a typical app.json and a 1 MB one, completion latency, and the same documents
 * validated by vscode-json-languageservice with the same schemas, as the anchor.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'vscode-json-languageservice';
import { doComplete } from '../server/features/completion';
import { parseDocument } from '../server/service/parsed-document';
import { schemaAccepts } from '../server/service/schema-validation';
import { SCHEMAS } from '../server/service/schemas';
import { validateDocument } from '../server/service/validation';
import { fmt, medianMs, type Row } from './table';

const ROOT = path.resolve(__dirname, '..', '..');

/** An app.json of about `bytes` bytes: many inputs of every kind, each on a guide page. */
export function largeAppJson(bytes: number): string {
  const input: Record<string, unknown> = {};
  const pages: { id: string; title: string; input_fields: string[] }[] = [];
  let i = 0;
  let text = '';
  while (text.length < bytes) {
    const batch: string[] = [];
    for (let k = 0; k < 50; k++, i++) {
      const name = `input_${i}`;
      input[name] = i % 3 === 0
        ? { type: 'single_function_selector', name: `Function ${i}`, description: 'A function the app reads or writes.', filter: { type: 'temperature' }, value: true }
        : i % 3 === 1
          ? { type: 'number', name: `Number ${i}`, description: 'A number of minutes.', default: i }
          : { type: 'text', name: `Text ${i}`, description: 'Letters only.', validator: '[a-zA-Z]*', default: 'abc', on_error: 'Letters only' };
      batch.push(name);
    }
    pages.push({ id: `page_${pages.length}`, title: `Page ${pages.length}`, input_fields: batch });
    if (pages.length % 20 === 0) text = JSON.stringify({ name: 'Large', input, guide: pages }, null, 2);
  }
  return JSON.stringify({ name: 'Large', input, guide: pages }, null, 2);
}

function ours(text: string): () => void {
  return () => {
    validateDocument(parseDocument('file:///bench/app.json', '/bench/app.json', 1, 'app', text));
  };
}

/** What any checker of a valid document pays: its value, and the compiled schema run on it. */
function floor(text: string): () => void {
  return () => {
    schemaAccepts('app', JSON.parse(text));
  };
}

function anchor(text: string): () => Promise<void> {
  const ls = getLanguageService({ schemaRequestService: () => Promise.reject(new Error('no fetching')) });
  ls.configure({
    validate: true,
    schemas: Object.values(SCHEMAS.all).map((schema) => ({ uri: schema.$id, fileMatch: schema === SCHEMAS.all.app ? ['app.json'] : [], schema })),
  });
  const doc = TextDocument.create('file:///bench/app.json', 'json', 1, text);
  return async () => {
    const json = ls.parseJSONDocument(doc);
    await ls.doValidation(doc, json);
  };
}

async function medianAsyncMs(fn: () => Promise<void>, runs: number): Promise<number> {
  // As many warm-up runs as ours get in proportion: the service compiles its schemas and JITs lazily.
  for (let i = 0; i < Math.max(3, runs / 4); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function languageBench(rows: Row[]): Promise<void> {
  const typical = readFileSync(path.join(ROOT, 'examples', 'door-light', 'app.json'), 'utf8');
  const large = largeAppJson(1024 * 1024);
  // Side by side for each size, so a busy machine slows each of them alike.
  const typicalAnchorCold = await medianAsyncMs(anchor(typical), 200);
  const typicalFloor = medianMs(floor(typical), 200);
  const typicalMs = medianMs(ours(typical), 200);
  const largeAnchor = await medianAsyncMs(anchor(large), 15);
  const largeFloor = medianMs(floor(large), 15);
  const largeMs = medianMs(ours(large), 15);
  // The service is several times faster on a small document once the large runs have warmed it
  // (0.2 against 2 ms here): it is compared at its best.
  const typicalAnchor = Math.min(typicalAnchorCold, await medianAsyncMs(anchor(typical), 200));
  rows.push({ figure: `diagnostics, typical app.json (${typical.split('\n').length} lines)`, value: `${fmt(typicalMs, 3)} ms`, target: '< 2 ms', ok: typicalMs < 2 });
  rows.push({ figure: '  vscode-json-languageservice, same schemas', value: `${fmt(typicalAnchor, 3)} ms (ours ${fmt(typicalAnchor / typicalMs, 1)}× faster)`, target: '≥ 5×', ok: typicalAnchor / typicalMs >= 5 });
  rows.push({ figure: '  floor: JSON.parse + the compiled schema', value: `${fmt(typicalFloor, 3)} ms (ours ${fmt(typicalMs / typicalFloor, 1)}× the floor)`, target: '' });
  rows.push({ figure: `diagnostics, 1 MB app.json (${fmt(large.length / 1024, 0)} KB)`, value: `${fmt(largeMs, 1)} ms`, target: '≤ 20 ms', ok: largeMs <= 20 });
  rows.push({ figure: '  vscode-json-languageservice, same schemas', value: `${fmt(largeAnchor, 1)} ms (ours ${fmt(largeAnchor / largeMs, 1)}× faster)`, target: '≥ 8×', ok: largeAnchor / largeMs >= 8 });
  rows.push({ figure: '  floor: JSON.parse + the compiled schema', value: `${fmt(largeFloor, 1)} ms (ours ${fmt(largeMs / largeFloor, 1)}× the floor)`, target: '' });

  const at = typical.indexOf('"input_fields": [') + '"input_fields": ['.length;
  const parsed = parseDocument('file:///bench/app.json', '/bench/app.json', 1, 'app', typical);
  const document = TextDocument.create('file:///bench/app.json', 'json', 1, typical);
  const ctx = { document, readFile: () => undefined };
  const completionMs = medianMs(() => doComplete(parsed, at, ctx), 500);
  rows.push({ figure: 'completion in input_fields, typical app.json', value: `${fmt(completionMs * 1000, 0)} µs`, target: '' });
  const largeParsed = parseDocument('file:///bench/app.json', '/bench/app.json', 1, 'app', large);
  const largeDoc = TextDocument.create('file:///bench/app.json', 'json', 1, large);
  const largeAt = large.indexOf('"input_fields": [') + '"input_fields": ['.length;
  const largeCompletionMs = medianMs(() => doComplete(largeParsed, largeAt, { document: largeDoc, readFile: () => undefined }), 15);
  rows.push({ figure: 'completion in input_fields, 1 MB app.json', value: `${fmt(largeCompletionMs, 1)} ms`, target: '' });
}
