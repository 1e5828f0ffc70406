/**
 * The platform's commands of `smartplug` (bin/smartplug.js sends them here): up, platform, fleet,
 * deploy, load, record and shell. Secrets come from the environment or from `--dir`, never from the command line (it shows
 * in process lists) and never go to the output.
 */
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { MqttClient } from 'mqtt';
import { PLATFORM_USER } from './broker/access';
import { MosquittoDynsecAccounts, setupMosquittoDynsec } from './broker/mosquitto-dynsec';
import { Fleet } from './fleet/fleet';
import { PlatformService } from './service/platform-service';
import { shellCommand } from './shell/shell-command';
import { PLATFORM_USAGE } from './usage';
import { deployCommand } from './deploy/deploy-command';
import { loadCommand } from './load/load-command';
import { recordCommand } from './record/record-command';
import { exampleAppDir } from './up/example-app';
import { ENDPOINTS_FILE, LocalEnvironment, type LocalEndpoints } from './up/local-environment';
import { SECRETS_FILE, type LocalSecrets } from './up/local-secrets';



export async function platformMain(command: string, rest: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  switch (command) {
    case 'up':
      return up(rest, out, err);
    case 'platform':
      return platform(rest, out, err);
    case 'fleet':
      return fleet(rest, out, err);
    case 'deploy':
      return deploy(rest, out, err);
    case 'shell':
      return shellCommand(rest, out, err);
    case 'load':
      return load(rest, out, err);
    case 'record':
      return recordCommand(rest, out, err);
    default:
      err(`smartplug: unknown command "${command}"\n\n${PLATFORM_USAGE}`);
      return 2;
  }
}

async function up(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: 'string', default: '.smartplug' }, things: { type: 'string', default: '3' }, port: { type: 'string', default: '0' }, 'broker-port': { type: 'string', default: '0' } } });
  const things = positiveInt(values.things!, '--things', err);
  if (things === undefined) return 2;
  const t0 = performance.now();
  out(`smartplug up: starting in ${path.resolve(values.dir!)}`);
  const env = await LocalEnvironment.start({ dir: values.dir!, things, port: Number(values.port), brokerPort: Number(values['broker-port']), exampleApp: exampleAppDir(), log: (line) => out(`platform: ${line}`) });
  for (const agent of env.fleet.agents) {
    agent.thing.on('log', (r) => out(`${agent.thingId} ${r.appLabel}: ${r.message}`));
  }
  out(`broker    ${env.endpoints.broker}`);
  out(`platform  ${env.endpoints.platform}`);
  out(`secrets   ${path.join(path.resolve(values.dir!), SECRETS_FILE)} (the admin token; keep it private)`);
  const stopped = untilSignal(); // listening before "ready" is printed, so a Ctrl-C right after it stops cleanly
  const converged = await env.fleet.converged(60_000);
  const running = env.fleet.agents.filter((a) => a.synced).length;
  out(`ready in ${Math.round(performance.now() - t0)} ms: ${running} of ${things} Things run their apps${converged ? '' : ' (the others are still syncing)'}; Ctrl-C stops`);
  await stopped;
  out('stopping…');
  await env.close();
  out('stopped');
  return 0;
}

async function platform(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { broker: { type: 'string' }, store: { type: 'string' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, 'public-url': { type: 'string' }, 'shared-group': { type: 'string' }, 'broker-accounts': { type: 'string' }, 'broker-ca': { type: 'string' } } });
  const adminToken = process.env.SMARTPLUG_ADMIN_TOKEN;
  const brokerPassword = process.env.SMARTPLUG_BROKER_PASSWORD;
  if (!values.broker || !values.store) {
    err('smartplug platform: give --broker mqtt://HOST:PORT and --store postgres://… or a folder');
    return 2;
  }
  const accountsKind = values['broker-accounts'];
  if (accountsKind !== undefined && accountsKind !== 'mosquitto-dynsec') {
    err(`smartplug platform: --broker-accounts is "mosquitto-dynsec" (or left out when the broker asks nobody, like smartplug up's), not "${accountsKind}"`);
    return 2;
  }
  const brokerCa = readCa(values['broker-ca'], 'platform', err);
  if (brokerCa === null) return 2;
  if (!adminToken || !brokerPassword) {
    err('smartplug platform: set SMARTPLUG_ADMIN_TOKEN (at least 16 characters) and SMARTPLUG_BROKER_PASSWORD in the environment');
    return 2;
  }
  const adminUser = process.env.SMARTPLUG_BROKER_ADMIN_USER;
  const adminPassword = process.env.SMARTPLUG_BROKER_ADMIN_PASSWORD;
  if (accountsKind && adminUser && adminPassword) {
    await setupMosquittoDynsec({ brokerUrl: values.broker, brokerCa, adminUser, adminPassword, platformPassword: brokerPassword });
    out(`broker accounts: mosquitto dynamic security set up (account ${PLATFORM_USER})`);
  }
  let accounts: MosquittoDynsecAccounts | undefined;
  const service = await PlatformService.start({
    store: values.store, brokerUrl: values.broker, brokerUsername: PLATFORM_USER, brokerPassword, brokerCa, port: Number(values.port), host: values.host,
    publicUrl: values['public-url'], adminToken, sharedGroup: values['shared-group'], log: (line) => out(line),
    ...(accountsKind ? { brokerAccounts: (mq: MqttClient) => (accounts = new MosquittoDynsecAccounts(mq)) } : {}),
  });
  try {
    await accounts?.check();
  } catch (e) {
    err(`smartplug platform: ${(e as Error).message}`);
    await service.close();
    return 1;
  }
  const stopped = untilSignal();
  out(`platform  ${service.url} (store: ${service.store.backend})`);
  out('ready');
  await stopped;
  await service.close();
  return 0;
}

async function fleet(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { broker: { type: 'string' }, platform: { type: 'string' }, things: { type: 'string', default: '10' }, template: { type: 'string' }, type: { type: 'string', default: 'home' }, prefix: { type: 'string', default: 'thing' }, credentials: { type: 'string', default: 'fleet-credentials.json' }, 'broker-ca': { type: 'string' }, 'things-per-worker': { type: 'string', default: '100' } } });
  const token = process.env.SMARTPLUG_TOKEN;
  const things = positiveInt(values.things!, '--things', err);
  const thingsPerWorker = positiveInt(values['things-per-worker']!, '--things-per-worker', err);
  if (things === undefined || thingsPerWorker === undefined) return 2;
  if (!values.broker || !values.platform || !token) {
    err('smartplug fleet: give --broker URL and --platform URL, and set SMARTPLUG_TOKEN (a token with the provision scope)');
    return 2;
  }
  const brokerCa = readCa(values['broker-ca'], 'fleet', err);
  if (brokerCa === null) return 2;
  const f = await Fleet.start({ brokerUrl: values.broker, brokerCa, platformUrl: values.platform, token, things, templateId: values.template, model: values.type, prefix: values.prefix, credentialsFile: values.credentials!, thingsPerWorker, log: (line) => out(line) });
  const stopped = untilSignal();
  out(`ready: ${things} Things`);
  await stopped;
  await f.close();
  return 0;
}

async function deploy(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { platform: { type: 'string' }, dir: { type: 'string', default: '.smartplug' }, 'as-new-app': { type: 'boolean', default: false } } });
  if (positionals.length !== 1) {
    err('smartplug deploy: give one app folder, e.g. smartplug deploy examples/door-light');
    return 2;
  }
  const platform = platformOf('deploy', values.platform, values.dir!, err);
  if (!platform) return 2;
  return deployCommand({ appDir: positionals[0], ...platform, asNewApp: values['as-new-app'] === true, out, err });
}

async function load(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { platform: { type: 'string' }, dir: { type: 'string', default: '.smartplug' }, device: { type: 'string' }, yes: { type: 'boolean', default: false }, wait: { type: 'string', default: '120' } } });
  if (positionals.length !== 2) {
    err('smartplug load: give a Thing and a load action file, e.g. smartplug load thing-1 firmware.load.json');
    return 2;
  }
  const waitS = Number(values.wait);
  if (!/^[0-9]+$/.test(values.wait!) || waitS > 900) {
    err(`smartplug load: --wait is the seconds to wait for the completion, 0 to 900, not "${values.wait}"`);
    return 2;
  }
  const platform = platformOf('load', values.platform, values.dir!, err);
  if (!platform) return 2;
  return loadCommand({ thingId: positionals[0], file: positionals[1], ...(values.device ? { device: values.device } : {}), yes: values.yes === true, waitS, ...platform, out, err });
}

/** The platform's URL and token: --platform and SMARTPLUG_TOKEN, or the local environment in --dir. */
function platformOf(command: string, url: string | undefined, dir: string, err: (line: string) => void): { platformUrl: string; token: string } | undefined {
  let platformUrl = url;
  let token = process.env.SMARTPLUG_TOKEN;
  const endpointsFile = path.join(dir, ENDPOINTS_FILE);
  if (!platformUrl && existsSync(endpointsFile)) platformUrl = (JSON.parse(readFileSync(endpointsFile, 'utf8')) as LocalEndpoints).platform;
  if (!token && existsSync(path.join(dir, SECRETS_FILE))) token = (JSON.parse(readFileSync(path.join(dir, SECRETS_FILE), 'utf8')) as LocalSecrets).adminToken;
  if (!platformUrl || !token) {
    err(`smartplug ${command}: no platform: start one with "smartplug up" (then ${endpointsFile} names it), or give --platform URL and set SMARTPLUG_TOKEN`);
    return undefined;
  }
  return { platformUrl, token };
}

/** The --broker-ca file's certificates; undefined when not given, null (after saying why) when unreadable. */
function readCa(file: string | undefined, command: string, err: (line: string) => void): Buffer | undefined | null {
  if (file === undefined) return undefined;
  try {
    const pem = readFileSync(file);
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('it holds no PEM certificate ("-----BEGIN CERTIFICATE-----")');
    return pem;
  } catch (e) {
    err(`smartplug ${command}: --broker-ca ${file}: ${(e as Error).message}; give the broker's CA certificate as a PEM file`);
    return null;
  }
}

function positiveInt(text: string, flag: string, err: (line: string) => void): number | undefined {
  if (/^[0-9]+$/.test(text) && Number(text) > 0 && Number(text) <= 100_000) return Number(text);
  err(`smartplug: ${flag} is a whole number from 1 to 100000, not "${text}"`);
  return undefined;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
