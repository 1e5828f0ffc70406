/** The App Store's version rules: semantic versions that only go up, and scripts that keep their names. */
import * as semver from 'semver';
import { StoreError } from './errors';

export function checkVersion(version: string): string {
  const v = semver.valid(version);
  if (!v || v !== version) throw new StoreError('bad_input', `"${version}" is not a semantic version (MAJOR.MINOR.PATCH, e.g. "1.0.0"): set "version" in app.json to one`);
  return v;
}

/** Refuses a version that is not above the highest one ever deployed (removed versions count too). */
export function checkVersionAbove(appName: string, version: string, highest: string): void {
  if (!semver.gt(version, highest)) {
    throw new StoreError('conflict', `app "${appName}" already has version ${highest}: versions only go up, so deploy ${semver.inc(highest, 'patch')} or higher (raise "version" in app.json)`);
  }
}

/**
 * Seed 000: "SmartApp scripts cannot be renamed once they are deployed." A new version that drops
 * a script of the latest one while adding another has renamed it, and is refused.
 */
export function checkNoRenamedScript(appName: string, latestVersion: string, latest: readonly string[], next: readonly string[]): void {
  const gone = latest.filter((s) => !next.includes(s));
  const added = next.filter((s) => !latest.includes(s));
  if (gone.length && added.length) {
    throw new StoreError(
      'conflict',
      `app "${appName}" would rename ${gone.map((s) => `"${s}"`).join(', ')} (version ${latestVersion}) to ${added.map((s) => `"${s}"`).join(', ')}: a deployed script cannot be renamed; keep the old name, or deploy the renamed app as a new app under a new name`,
    );
  }
}

export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}
