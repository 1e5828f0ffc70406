/** Where the example app is, and its instance config. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** examples/door-light, beside the package (dist/platform/ or platform/up/ both lie two levels down). */
export function exampleAppDir(): string {
  for (const candidate of [path.resolve(__dirname, '..', '..', 'examples', 'door-light'), path.resolve(__dirname, '..', '..', '..', 'examples', 'door-light')]) {
    if (existsSync(path.join(candidate, 'app.json'))) return candidate;
  }
  throw new Error(`the example app (examples/door-light) is missing beside ${__dirname}; reinstall the package`);
}

export function readInstanceFile(file: string): { name: string; config: Record<string, unknown> } {
  const o = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; config?: Record<string, unknown> };
  return { name: o.name ?? 'example', config: o.config ?? {} };
}
