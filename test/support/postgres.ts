/**
 * A throwaway PostgreSQL for tests: Debian's server binaries (package `postgresql`), a cluster
 * initdb'd in a temporary folder, listening on a free loopback port, stopped and deleted after.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (which
 * the package creates) and its commands run through `runuser`.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

export interface TestPostgres {
  port: number;
  /** a URL for a database of this cluster (`postgres`, the default one, when no name) */
  url(database?: string): string;
  /** creates an empty database and returns its URL */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

/** The newest installed server's bin folder, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: install the Debian package `postgresql` (.ci/run does)');
  const root = mkdtempSync(path.join(tmpdir(), 'smartplug-pg-'));
  const data = path.join(root, 'data');
  const asRoot = userInfo().uid === 0;
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  if (asRoot) {
    const pwUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const pwGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, pwUid, pwGid);
  }
  const port = await freePort();
  const log = path.join(root, 'server.log');
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=100`, 'start']);
  } catch (e) {
    const detail = existsSync(log) ? readFileSync(log, 'utf8') : String((e as { stderr?: string }).stderr ?? e);
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${detail}`);
  }
  let stopped = false;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name: string): Promise<string> {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

