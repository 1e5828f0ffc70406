/**
 * The broker credentials of a fleet's Things, kept in a file only its owner can read (mode 0600),
 * written atomically: they are shown once at enrolment, and a fleet that restarts needs them.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export type CredentialFile = Record<string, { secret: string; shell: string }>;

export function readCredentials(file: string): CredentialFile {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CredentialFile;
  } catch (e) {
    throw new Error(`${file}: the fleet's Thing credentials cannot be read (${(e as Error).message}); remove the file and the fleet's Things from the platform (DELETE /api/things/ID) to enrol them again`);
  }
}

/** Writes a JSON file of secrets: owner-only, atomically. */
export function writeCredentials(file: string, creds: object): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(creds), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
