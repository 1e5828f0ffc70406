/** A Thing's side of a bundle: check the download, unpack it safely in memory, read the app. */
import { createHash } from 'node:crypto';
import { parseAppJson } from '../../runtime/app/parse-app-json';
import { hasErrors, type SourceProblem } from '../../runtime/errors';
import { BundleError } from './bundle-error';
import { APP_JSON, APP_SCRIPT, MANIFEST } from './bundle-files';
import { readZip } from './read-zip';
import { DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNPACKED_BYTES, type BundleContents, type ReadBundleOptions } from './types';

const WANTED = new Set<string>([APP_JSON, APP_SCRIPT, MANIFEST]);

/**
 * Reads a bundle made by makeBundle, or refuses it with a BundleError (its `code` says why): the
 * checksum first, then every entry's name, type and inflated size, then app.json by the runtime's
 * own parser. Nothing is written to disk.
 */
export async function readBundle(bytes: Buffer, options: ReadBundleOptions): Promise<BundleContents> {
  const { label } = options;
  if (options.expectedSha256 !== undefined) checkSha256(bytes, options.expectedSha256, label);
  const zip = await readZip(bytes, {
    label,
    maxUnpackedBytes: options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
  }, (name) => WANTED.has(name));

  const appJsonBytes = zip.kept.get(APP_JSON);
  const scriptBytes = zip.kept.get(APP_SCRIPT);
  for (const [file, present] of [[APP_JSON, appJsonBytes], [APP_SCRIPT, scriptBytes]] as const) {
    if (!present) {
      throw new BundleError('no-app', label, `the bundle has no ${file} at its root`, `deploy the app folder holding ${APP_JSON} and ${APP_SCRIPT}`, file);
    }
  }
  const appJsonText = utf8(appJsonBytes as Buffer);
  // Problems name the file as "<label>/app.json", so a Thing's report says which bundle holds it.
  const appJsonName = `${label}/${APP_JSON}`;
  const parsed = parseAppJson(appJsonText, appJsonName);
  const appJson = parsed.appJson;
  if (!appJson || hasErrors(parsed.problems)) {
    throw badApp(label, 'app.json has errors', 'correct app.json in the app folder and deploy a new version', parsed.problems.filter((p) => p.severity === 'error'));
  }
  if (appJson.name === undefined || appJson.version === undefined) {
    throw badApp(label, `app.json has no "${appJson.name === undefined ? 'name' : 'version'}"`, 'deploy the app folder with a deploy, which requires both', []);
  }
  const contents: BundleContents = {
    appJsonText,
    appJson,
    script: utf8(scriptBytes as Buffer),
    scriptFile: APP_SCRIPT,
    name: appJson.name,
    version: appJson.version,
    files: zip.files,
  };
  const manifestBytes = zip.kept.get(MANIFEST);
  if (manifestBytes) contents.manifest = parseManifest(manifestBytes, label);
  return contents;
}

function checkSha256(bytes: Buffer, expected: string, label: string): void {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected.trim().toLowerCase()) {
    throw new BundleError('checksum', label, `the bytes' SHA-256 is ${actual}, not the ${expected} expected: the download is damaged or is another bundle`, 'download the bundle again; if it still differs, deploy the version again');
  }
}

function badApp(label: string, reason: string, fix: string, problems: SourceProblem[]): BundleError {
  return new BundleError('bad-app', label, reason, fix, APP_JSON, problems);
}

function parseManifest(bytes: Buffer, label: string): unknown {
  try {
    return JSON.parse(utf8(bytes));
  } catch (e) {
    throw new BundleError('bad-app', label, `manifest.json is not JSON (${(e as Error).message})`, 'correct manifest.json in the app folder and deploy a new version', MANIFEST);
  }
}

/** UTF-8 text without an editor's byte order mark, as the runtime's loader reads files. */
function utf8(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
