/**
 * The workspace's local environment: `smartplug up` run by VS Code's own Node (Electron's, as Node
 * through ELECTRON_RUN_AS_NODE), or the one already running in the same folder (started from a
 * terminal, or by another window). No vscode here: the tests start real ones with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from '../testing/results';

/** The files `smartplug up` keeps in its folder (platform/up/): where it listens, and its admin token. */
const ENDPOINTS_FILE = 'endpoints.json';
const SECRETS_FILE = 'secrets.json';

export interface LocalEndpoints {
  platform: string;
  broker: string;
  /** the admin token of this environment (from its secrets.json, readable by its owner only) */
  token: string;
}

export interface LocalStartOptions {
  /** the Node binary: in desktop VS Code, Electron's */
  execPath: string;
  /** dist/platform/cli.js */
  cliPath: string;
  /** the environment's folder (the workspace's .smartplug) */
  dir: string;
  things: number;
  /** each line the environment prints */
  onLine: (line: string) => void;
  /** gives up waiting for "ready" after this (default 120 s: a first start makes the store and enrols the fleet) */
  readyTimeoutMs?: number;
}

export class LocalEnvironmentProcess {
  private constructor(
    readonly endpoints: LocalEndpoints,
    /** undefined when we found it already running: then it is not ours to stop */
    private readonly child: ChildProcess | undefined,
    /** resolves when our process has exited */
    readonly exited: Promise<number | null>,
  ) {}

  get owned(): boolean {
    return this.child !== undefined;
  }

  /**
   * The environment of `dir`: the one already answering there, or a new one started and waited
   * for. It comes back on the ports it had before, so a client that lost it (a restart) finds it
   * again where it was.
   */
  static async start(o: LocalStartOptions): Promise<LocalEnvironmentProcess> {
    const running = await findRunning(o.dir);
    if (running) return new LocalEnvironmentProcess(running, undefined, new Promise(() => undefined));
    const previous = readEndpoints(o.dir);
    const args = [o.cliPath, 'up', '--dir', o.dir, '--things', String(o.things)];
    if (previous) args.push('--port', portOf(previous.platform), '--broker-port', portOf(previous.broker));
    try {
      return await LocalEnvironmentProcess.spawnUp(o, args);
    } catch (e) {
      // The old ports are taken by something else now: any free ones will do.
      if (previous && /EADDRINUSE/.test((e as Error).message)) return LocalEnvironmentProcess.spawnUp(o, [o.cliPath, 'up', '--dir', o.dir, '--things', String(o.things)]);
      throw e;
    }
  }

  private static spawnUp(o: LocalStartOptions, args: string[]): Promise<LocalEnvironmentProcess> {
    const posix = process.platform !== 'win32';
    const child = spawn(o.execPath, args, {
      cwd: path.dirname(o.dir),
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: stopping it takes the fleet's worker processes with it.
      detached: posix,
      windowsHide: true,
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('close', (code) => resolve(code));
    });
    const tail: string[] = [];
    const lines = new LineSplitter();
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      o.onLine(line);
    };
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => lines.push(chunk).forEach(onLine));
    child.stderr!.on('data', (chunk: string) => chunk.split(/\r?\n/).filter(Boolean).forEach(onLine));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stopProcess(child);
        reject(new Error(`smartplug up did not say "ready" within ${Math.round((o.readyTimeoutMs ?? 120_000) / 1000)} s; its last lines:\n${tail.join('\n')}`));
      }, o.readyTimeoutMs ?? 120_000);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${o.execPath}: ${e.message}`));
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`smartplug up stopped before it was ready (exit code ${code}); its last lines:\n${tail.join('\n')}`));
      });
      child.stdout!.on('data', () => {
        if (!tail.some((l) => /^ready\b/.test(l))) return;
        clearTimeout(timer);
        const endpoints = readEndpoints(o.dir);
        if (!endpoints) reject(new Error(`smartplug up said ready but wrote no ${path.join(o.dir, ENDPOINTS_FILE)}`));
        else resolve(new LocalEnvironmentProcess(endpoints, child, exited));
      });
    });
  }

  /** Stops our process (Ctrl-C, as a terminal would), and kills it if it has not stopped in 15 s. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    stopProcess(this.child);
    await this.exited;
  }
}

function stopProcess(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  child.kill('SIGINT');
  const hard = setTimeout(() => {
    try {
      if (process.platform !== 'win32') process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // gone already
    }
  }, 15_000);
  child.once('close', () => clearTimeout(hard));
}

/** endpoints.json and the admin token of `dir`, when both are there. */
export function readEndpoints(dir: string): LocalEndpoints | undefined {
  const endpointsFile = path.join(dir, ENDPOINTS_FILE);
  const secretsFile = path.join(dir, SECRETS_FILE);
  if (!existsSync(endpointsFile) || !existsSync(secretsFile)) return undefined;
  try {
    const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8')) as { platform?: unknown; broker?: unknown };
    const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as { adminToken?: unknown };
    if (typeof endpoints.platform !== 'string' || typeof endpoints.broker !== 'string' || typeof secrets.adminToken !== 'string') return undefined;
    return { platform: endpoints.platform, broker: endpoints.broker, token: secrets.adminToken };
  } catch {
    return undefined;
  }
}

/** The environment of `dir` if one answers there now with its own token. */
async function findRunning(dir: string): Promise<LocalEndpoints | undefined> {
  const endpoints = readEndpoints(dir);
  if (!endpoints) return undefined;
  try {
    const answer = await fetch(`${endpoints.platform}/api/apps`, { headers: { authorization: `Bearer ${endpoints.token}` }, signal: AbortSignal.timeout(1500) });
    return answer.ok ? endpoints : undefined;
  } catch {
    return undefined;
  }
}

function portOf(url: string): string {
  return new URL(url).port || '0';
}
