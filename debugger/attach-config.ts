/**
 * The `smartplug` debug type's attach configuration: a debugger attached to one app running on a
 * Thing of a platform, local (`smartplug up`) or remote, through the Thing's JS Shell. Declared
 * once: the adapter reads it, the extension's configuration provider fills it in (with the
 * credentials, which never go in launch.json), and package.json's schema describes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAppJson } from '../runtime/app/parse-app-json';
import { LaunchError } from './launch-config';

export interface SmartPlugAttachArguments {
  /** The app's folder in the workspace: its app.js is the one the Thing runs (the same version). */
  app: string;
  /** The Thing the app runs on. */
  thingId: string;
  /** The app's installation id on that Thing (the Things view shows it). */
  installation: number;
  /** The platform's broker, e.g. mqtt://127.0.0.1:1883 (default: $SMARTPLUG_BROKER_URL). */
  brokerUrl?: string;
  /** An API token (default: $SMARTPLUG_TOKEN). VS Code fills it in from SecretStorage. */
  token?: string;
  /** The Thing's JS Shell credential (default: $SMARTPLUG_SHELL_CREDENTIAL). VS Code fills it in. */
  shellCredential?: string;
  /** A CA certificate file for an mqtts:// broker with its own CA. */
  brokerCaFile?: string;
}

/** The properties an attach configuration may have (package.json's schema lists exactly these; a test checks). */
export const ATTACH_PROPERTIES = ['app', 'thingId', 'installation', 'brokerUrl', 'token', 'shellCredential', 'brokerCaFile'] as const satisfies readonly (keyof SmartPlugAttachArguments)[];

export interface ResolvedAttach {
  appDir: string;
  /** app.json's name and version, as the workspace has them */
  name: string;
  version: string;
  thingId: string;
  installation: number;
  brokerUrl: string;
  token: string;
  credential: string;
  brokerCa?: Buffer;
}

export function resolveAttach(args: SmartPlugAttachArguments, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ResolvedAttach {
  if (typeof args.app !== 'string' || !args.app) throw new LaunchError('attach: "app" is missing: set it to the folder of the app running on the Thing (the one holding app.json), e.g. "${workspaceFolder}"');
  const appDir = path.resolve(cwd, args.app);
  const appJsonFile = path.join(appDir, 'app.json');
  if (!existsSync(appJsonFile)) throw new LaunchError(`attach: "app": ${appDir} holds no app.json; set "app" to the folder of the app running on the Thing`);
  const appJson = parseAppJson(readFileSync(appJsonFile, 'utf8'), appJsonFile).appJson;
  if (typeof args.thingId !== 'string' || !args.thingId) throw new LaunchError('attach: "thingId" is missing: set it to the id of the Thing the app runs on (as the Things view lists it)');
  if (!Number.isInteger(args.installation) || args.installation < 1) throw new LaunchError(`attach: "installation": ${JSON.stringify(args.installation)} is not an installation id; set it to the app's installation id on ${args.thingId} (a positive integer; the Things view shows it)`);
  const brokerUrl = args.brokerUrl ?? env.SMARTPLUG_BROKER_URL;
  const token = args.token ?? env.SMARTPLUG_TOKEN;
  const credential = args.shellCredential ?? env.SMARTPLUG_SHELL_CREDENTIAL;
  if (!brokerUrl) throw new LaunchError('attach: "brokerUrl" is missing: set it (e.g. "mqtt://127.0.0.1:1883") or $SMARTPLUG_BROKER_URL');
  if (!token) throw new LaunchError('attach: there is no API token: set $SMARTPLUG_TOKEN (VS Code fills it in when it is connected to the platform); keep it out of launch.json');
  if (!credential) throw new LaunchError(`attach: there is no JS Shell credential for ${args.thingId}: set $SMARTPLUG_SHELL_CREDENTIAL (VS Code fills it in: the local environment's, or the one it keeps in SecretStorage); keep it out of launch.json`);
  let brokerCa: Buffer | undefined;
  if (args.brokerCaFile !== undefined) {
    const file = path.resolve(cwd, args.brokerCaFile);
    try {
      brokerCa = readFileSync(file);
    } catch (e) {
      throw new LaunchError(`attach: "brokerCaFile": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
    }
  }
  return { appDir, name: appJson?.name ?? path.basename(appDir), version: appJson?.version ?? '', thingId: args.thingId, installation: args.installation, brokerUrl, token, credential, ...(brokerCa ? { brokerCa } : {}) };
}
