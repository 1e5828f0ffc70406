/** Where the example app is. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** examples/door-light, beside the package (dist/platform/ or platform/up/ both lie two levels down). */
export function exampleAppDir(): string {
  for (const candidate of [path.resolve(__dirname, '..', '..', 'examples', 'door-light'), path.resolve(__dirname, '..', '..', '..', 'examples', 'door-light')]) {
    if (existsSync(path.join(candidate, 'app.json'))) return candidate;
  }
  throw new Error(`the example app (examples/door-light) is missing beside ${__dirname}; reinstall the package`);
}
