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

export async function deployCommand(o: DeployOptions): Promise<number> {
  const bundle = await makeBundle(o.appDir);
  const recordFile = path.join(o.appDir, RECORD);
  const records = readRecords(recordFile);
  const before = records[o.platformUrl];
  if (before && before.name !== bundle.name && !o.asNewApp) {
    o.err(
      `smartplug deploy: ${o.appDir}: this app was deployed to ${o.platformUrl} as "${before.name}" (app ${before.appId}), and its app.json now names it "${bundle.name}". ` +
        `A deployed app cannot be renamed (seed 000: SmartApp scripts cannot be renamed once they are deployed). ` +
        `Put "name": "${before.name}" back in app.json, or deploy it as a new app with --as-new-app (the old one stays in the App Store).`,
    );
    return 1;
  }
  const response = await fetch(`${o.platformUrl}/api/apps`, { method: 'POST', headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/zip' }, body: bundle.bytes });
  const body = (await response.json().catch(() => ({}))) as { app?: { appId: number }; version?: { version: string; sha256: string }; error?: { message: string } };
  if (!response.ok) {
    o.err(`smartplug deploy: ${o.appDir}: ${body.error?.message ?? `HTTP ${response.status}`}`);
    return 1;
  }
  records[o.platformUrl] = { appId: body.app!.appId, name: bundle.name };
  mkdirSync(path.dirname(recordFile), { recursive: true });
  writeFileSync(recordFile, JSON.stringify(records, null, 2) + '\n');
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
