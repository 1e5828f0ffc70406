/**
 * The local environment's own secrets (the admin token, the platform's broker password), made on
 * first start and kept in `--dir` only, readable by its owner alone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeCredentials } from '../fleet/fleet-credentials';

export interface LocalSecrets {
  adminToken: string;
  platformPassword: string;
}

export const SECRETS_FILE = 'secrets.json';

export function localSecrets(dir: string): LocalSecrets {
  const file = path.join(dir, SECRETS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets: LocalSecrets = { adminToken: `spt_${randomBytes(24).toString('base64url')}`, platformPassword: randomBytes(24).toString('base64url') };
  writeCredentials(file, secrets);
  return secrets;
}
