/** Where the example app is, and its instance config. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadAppFolder } from '../../runtime/app/load-app';
import { parseInstanceFile } from '../../runtime/app/instance-file';
import { SourceError } from '../../runtime/errors';

/** examples/door-light, beside the package (dist/platform/ or platform/up/ both lie two levels down). */
export function exampleAppDir(): string {
  for (const candidate of [path.resolve(__dirname, '..', '..', 'examples', 'door-light'), path.resolve(__dirname, '..', '..', '..', 'examples', 'door-light')]) {
    if (existsSync(path.join(candidate, 'app.json'))) return candidate;
  }
  throw new Error(`the example app (examples/door-light) is missing beside ${__dirname}; reinstall the package`);
}

/** An app folder's instance file, read and checked by the runtime's own reader against the folder's app.json. */
export function readInstanceFile(file: string): { name: string; config: Record<string, unknown> } {
  const { appJson } = loadAppFolder(path.dirname(file));
  const instance = parseInstanceFile(readFileSync(file, 'utf8'), file, appJson);
  const errors = instance.problems.filter((p) => p.severity === 'error');
  if (errors.length || !instance.config) throw new SourceError(errors.length ? errors : instance.problems);
  return { name: instance.name ?? appJson.name ?? 'example', config: instance.config };
}
