/**
 * `smartplug deploy APPDIR`: checks and bundles the app folder, deploys it to the App Store, and
 * remembers in the folder's `.smartplug/deployed.json` under which name it went to which platform.
 * A deployed script cannot be renamed (seed 000): a later deploy of the folder under another name
 * is refused here, with what to do, before anything is sent.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeBundle } from '../bundle';

/** platform URL → what was deployed there from this folder */
type DeployRecords = Record<string, { appId: number; name: string }>;

const RECORD = path.join('.smartplug', 'deployed.json');

export interface DeployOptions {
  appDir: string;
  platformUrl: string;
  token: string;
  /** deploy under a new name as a new app, leaving the old one in the store */
  asNewApp: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Why deploying the folder under `name` would rename an app already deployed from it to this
 * platform (seed 000 forbids it), or undefined when it would not. The IDE asks this too.
 */
export function renameRefusal(appDir: string, platformUrl: string, name: string, newAppHint = 'deploy it as a new app with --as-new-app'): string | undefined {
  const before = readRecords(path.join(appDir, RECORD))[platformUrl];
  if (!before || before.name === name) return undefined;
  return (
    `this app was deployed to ${platformUrl} as "${before.name}" (app ${before.appId}), and its app.json now names it "${name}". ` +
    `A deployed app cannot be renamed (seed 000: SmartApp scripts cannot be renamed once they are deployed). ` +
    `Put "name": "${before.name}" back in app.json, or ${newAppHint} (the old one stays in the App Store).`
  );
}

/** Remembers under which name and id the folder went to this platform. */
export function recordDeploy(appDir: string, platformUrl: string, appId: number, name: string): void {
  const recordFile = path.join(appDir, RECORD);
  const records = readRecords(recordFile);
  records[platformUrl] = { appId, name };
  mkdirSync(path.dirname(recordFile), { recursive: true });
  writeFileSync(recordFile, JSON.stringify(records, null, 2) + '\n');
}

export async function deployCommand(o: DeployOptions): Promise<number> {
  const bundle = await makeBundle(o.appDir);
  const refusal = o.asNewApp ? undefined : renameRefusal(o.appDir, o.platformUrl, bundle.name);
  if (refusal) {
    o.err(`smartplug deploy: ${o.appDir}: ${refusal}`);
    return 1;
  }
  const response = await fetch(`${o.platformUrl}/api/apps`, { method: 'POST', headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/zip' }, body: bundle.bytes });
  const body = (await response.json().catch(() => ({}))) as { app?: { appId: number }; version?: { version: string; sha256: string }; error?: { message: string } };
  if (!response.ok) {
    o.err(`smartplug deploy: ${o.appDir}: ${body.error?.message ?? `HTTP ${response.status}`}`);
    return 1;
  }
  recordDeploy(o.appDir, o.platformUrl, body.app!.appId, bundle.name);
  o.out(`deployed ${bundle.name} ${body.version!.version} as app ${body.app!.appId} (sha256 ${body.version!.sha256})`);
  return 0;
}

function readRecords(file: string): DeployRecords {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DeployRecords;
  } catch {
    return {};
  }
}
