/**
 * A throwaway mosquitto for tests: Debian's broker (package `mosquitto`) with its dynamic security
 * plugin, on free loopback ports, its configuration, dynsec accounts and persistence in a temporary
 * folder, deleted after. As root, mosquitto would drop privileges to the `mosquitto` user and then
 * could not write its files in our folder: the generated configuration says `user root` then.
 * Optionally a TLS listener too, with a CA and a server certificate for 127.0.0.1 and localhost
 * made with openssl in the folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import mqtt from 'mqtt';
import { accessRules, PLATFORM_USER } from '../../platform/broker/access';
import { freePort } from './free-port';
import { makeCertificates } from './certificates';

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

export interface TestMosquitto {
  /** mqtt://127.0.0.1:PORT */
  url: string;
  /** mqtts://127.0.0.1:PORT, when started with tls */
  tlsUrl?: string;
  /** the CA that signed the TLS listener's certificate (PEM) */
  ca?: Buffer;
  /** the dynamic security plugin's admin account (made by `mosquitto_ctrl dynsec init`) */
  adminUser: string;
  adminPassword: string;
  dir: string;
  /** the broker's own log so far */
  log(): string;
  /** stops the broker and deletes its folder */
  stop(): Promise<void>;
  /** the broker dies (SIGKILL, or SIGTERM for a clean stop) and starts again on the same ports and data */
  restart(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /**
   * With `accounts: 'files'`: the accounts (user name → password) the broker knows from now on; the
   * platform's account may do everything, any other is a Thing held to its own topics (access.ts's
   * rules as ACL file patterns). Resolves once the broker has read them again (SIGHUP).
   */
  writeAccounts(accounts: Record<string, string>): Promise<void>;
}

export interface MosquittoOptions {
  tls?: boolean;
  /**
   * Where the broker's accounts live: its dynamic security plugin (default), or a password file and
   * an ACL file (`writeAccounts`). Dynsec rewrites its whole file after every command, so making
   * n accounts costs O(n²) (10,000 Things' accounts would take about half an hour); the files hold
   * the same rules for Things with one `pattern` line each (%u: the user name).
   */
  accounts?: 'dynsec' | 'files';
}

export function mosquittoInstalled(): boolean {
  return existsSync(MOSQUITTO) && existsSync(DYNSEC_PLUGIN);
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<TestMosquitto> {
  if (!mosquittoInstalled()) throw new Error(`mosquitto or its dynamic security plugin is missing (${MOSQUITTO}, ${DYNSEC_PLUGIN}): install the Debian package \`mosquitto\` (.ci/run does)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-mosquitto-'));
  const adminUser = 'dynsec-admin';
  const adminPassword = randomBytes(18).toString('base64url');
  const dynsecFile = path.join(dir, 'dynamic-security.json');
  const logFile = path.join(dir, 'mosquitto.log');
  try {
    execFileSync('mosquitto_ctrl', ['dynsec', 'init', dynsecFile, adminUser, adminPassword], { stdio: 'pipe' });
    const port = await freePort();
    const tlsPort = options.tls ? await freePort() : undefined;
    const passwordFile = path.join(dir, 'passwords');
    const aclFile = path.join(dir, 'acl');
    const files = options.accounts === 'files';
    if (files) writeAccountFiles(passwordFile, aclFile, {});
    const lines = [
      'per_listener_settings false',
      'allow_anonymous false',
      'set_tcp_nodelay true',
      // A fleet's reports reach the platform in bursts: past this many queued QoS 1 messages a
      // client's messages are dropped (1000 by default; docs/scale-out.md).
      'max_queued_messages 100000',
      ...(userInfo().uid === 0 ? ['user root'] : []),
      'persistence true',
      `persistence_location ${dir}/`,
      ...(files ? [`password_file ${passwordFile}`, `acl_file ${aclFile}`] : [`plugin ${DYNSEC_PLUGIN}`, `plugin_opt_config_file ${dynsecFile}`]),
      'log_dest stdout',
      'log_type error',
      'log_type warning',
      'log_type notice',
      `listener ${port} 127.0.0.1`,
    ];
    let ca: Buffer | undefined;
    if (tlsPort !== undefined) {
      const files = makeCertificates(dir);
      ca = readFileSync(files.ca);
      lines.push(`listener ${tlsPort} 127.0.0.1`, `cafile ${files.ca}`, `certfile ${files.cert}`, `keyfile ${files.key}`);
    }
    const conf = path.join(dir, 'mosquitto.conf');
    writeFileSync(conf, lines.join('\n') + '\n');

    let child: ChildProcess | undefined;
    const killOnExit = () => child?.kill('SIGKILL');
    process.on('exit', killOnExit);
    const launch = async () => {
      const out = openSync(logFile, 'a');
      child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', out, out] });
      closeSync(out);
      await untilListening(port, child, logFile);
      if (tlsPort !== undefined) await untilListening(tlsPort, child, logFile);
    };
    const halt = async (signal: 'SIGKILL' | 'SIGTERM') => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
    };
    await launch();
    return {
      url: `mqtt://127.0.0.1:${port}`,
      ...(tlsPort !== undefined ? { tlsUrl: `mqtts://127.0.0.1:${tlsPort}`, ca } : {}),
      adminUser,
      adminPassword,
      dir,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      async stop() {
        await halt('SIGTERM');
        process.off('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true });
      },
      async restart(signal = 'SIGKILL') {
        await halt(signal);
        await launch();
      },
      async writeAccounts(accounts) {
        if (!files) throw new Error('writeAccounts: this mosquitto keeps its accounts in its dynamic security plugin (start it with accounts: "files")');
        writeAccountFiles(passwordFile, aclFile, accounts);
        child?.kill('SIGHUP');
        // Read again once the last account can connect.
        const [user, password] = Object.entries(accounts).pop() ?? [];
        if (user === undefined) return;
        let last: unknown;
        for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
          try {
            await (await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: user, password, clientId: user, reconnectPeriod: 0, connectTimeout: 5000 })).endAsync();
            return;
          } catch (e) {
            last = e;
          }
        }
        throw new Error(`mosquitto did not take the new accounts within 30 s (${String(last)}): ${readFileSync(logFile, 'utf8').slice(-2000)}`);
      },
    };
  } catch (e) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mosquitto did not start: ${(e as Error).message}${log ? `\n${log}` : ''}`);
  }
}

/** The password file (hashed by mosquitto_passwd) and the ACL file: the platform everything, each Thing its own topics (access.ts). */
function writeAccountFiles(passwordFile: string, aclFile: string, accounts: Record<string, string>): void {
  writeFileSync(passwordFile, Object.entries(accounts).map(([user, password]) => `${user}:${password}\n`).join(''), { mode: 0o600 });
  if (Object.keys(accounts).length) execFileSync('mosquitto_passwd', ['-U', passwordFile], { stdio: 'pipe' });
  const thing = accessRules({ kind: 'thing', thingId: '%u' });
  if (thing === 'everything') throw new Error('a Thing may not do everything');
  writeFileSync(aclFile, [
    `user ${PLATFORM_USER}`, 'topic readwrite #', '',
    ...thing.publish.map((t) => `pattern write ${t}`),
    ...thing.subscribe.map((t) => `pattern read ${t}`),
  ].join('\n') + '\n');
}

/** Resolves once the port accepts connections; rejects if the broker exits first or takes over 10 s. */
async function untilListening(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mosquitto exited (${child.exitCode ?? child.signalCode}): ${readFileSync(logFile, 'utf8')}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on port ${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

