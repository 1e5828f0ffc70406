/**
 * An app folder's instance file (instance.json or a named *.instance.json), read and checked by the
 * runtime's own reader against the folder's app.json: what `smartplug up` provisions its example
 * with, and what the IDE provisions a dropped app with.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadAppFolder } from '../../runtime/app/load-app';
import { parseInstanceFile } from '../../runtime/app/instance-file';
import { SourceError } from '../../runtime/errors';

/** An app folder's instance file, read and checked by the runtime's own reader against the folder's app.json. */
export function readInstanceFile(file: string): { name: string; config: Record<string, unknown> } {
  const { appJson } = loadAppFolder(path.dirname(file));
  const instance = parseInstanceFile(readFileSync(file, 'utf8'), file, appJson);
  const errors = instance.problems.filter((p) => p.severity === 'error');
  if (errors.length || !instance.config) throw new SourceError(errors.length ? errors : instance.problems);
  return { name: instance.name ?? appJson.name ?? 'example', config: instance.config };
}
