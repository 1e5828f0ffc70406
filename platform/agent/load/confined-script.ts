/**
 * Runs a setup image's `setup` script (seed 002) confined to its temporary folder. The seed's edge
 * server runs it as root; a simulated Thing runs it where it can change nothing but that folder:
 * - with bubblewrap (`bwrap`, Linux), any script: the system folders read-only, no home folders, the
 *   image's folder the only writable place, no network, no other process visible, an empty
 *   environment;
 * - without it, a script for Node (`#!/usr/bin/env node`) only, under Node's permission model: it
 *   reads and writes its folder only, and may not start processes or threads. Node 20's permission
 *   model does not cover the network, which is why bubblewrap is used whenever it is there.
 * The script gets the folder as its working directory and `SMARTPLUG_INSTALL`, a folder inside it
 * where it puts what it installs. Its stderr is the diagnosis the seed asks for; it is stopped at a
 * time limit.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LoadFailure } from '../../load/load-failure';

export interface ScriptResult {
  code: number;
  stderr: string;
  stdout: string;
}

export interface ScriptOptions {
  timeoutMs: number;
  /** what the script is called in messages ("the setup script of update.zip") */
  label: string;
  /** aborted when the Thing stops: the script is killed */
  signal?: AbortSignal;
}

/** The most output kept of each stream. */
const MAX_OUTPUT = 64 * 1024;
/** The system folders a bubblewrapped script may read (when they exist). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/etc'];

let bwrapPath: string | null | undefined;

/** bubblewrap's path, or null when it is not installed or cannot make a sandbox here. */
export function bubblewrap(): string | null {
  if (bwrapPath !== undefined) return bwrapPath;
  bwrapPath = null;
  if (process.platform !== 'linux') return bwrapPath;
  for (const candidate of ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap']) {
    const probe = spawnSync(candidate, ['--ro-bind', '/', '/', '--unshare-all', '--die-with-parent', '/bin/true'], { timeout: 5000, stdio: 'ignore' });
    if (probe.status === 0) {
      bwrapPath = candidate;
      break;
    }
  }
  return bwrapPath;
}

/** The interpreter a script's #! line names, or undefined when it has none. */
export function shebangOf(script: Uint8Array): string[] | undefined {
  const head = Buffer.from(script.subarray(0, 256)).toString('utf8');
  if (!head.startsWith('#!')) return undefined;
  return head.slice(2).split('\n')[0].trim().split(/\s+/).filter(Boolean);
}

function isNode(interpreter: string[]): boolean {
  const name = path.basename(interpreter[0] ?? '');
  return name === 'node' || (name === 'env' && path.basename(interpreter[interpreter.length - 1] ?? '') === 'node' && interpreter.length <= 3);
}

/** Runs `dir/script` confined to `dir`. Fails at stage `script` when it cannot be run confined; a non-zero exit is the caller's to judge. */
export async function runConfinedScript(dir: string, script: string, options: ScriptOptions): Promise<ScriptResult> {
  const file = path.join(dir, script);
  const body = await fs.readFile(file);
  const interpreter = shebangOf(body);
  if (!interpreter || interpreter.length === 0) {
    throw new LoadFailure('script', `${options.label} has no #! line, so it cannot be run`, { fix: 'begin it with #!/bin/sh, or #!/usr/bin/env node' });
  }
  const install = path.join(dir, 'install');
  await fs.mkdir(install, { recursive: true });
  await fs.chmod(file, 0o755);
  const node = isNode(interpreter);
  const bwrap = bubblewrap();
  // Electron's Node (the extension host's) runs as Node only with this set.
  const electron = process.env.ELECTRON_RUN_AS_NODE ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  // (--no-warnings: the permission model's "experimental" warning would open every script's stderr)
  const nodeArgs = ['--no-warnings', '--experimental-permission', `--allow-fs-read=${dir}`, `--allow-fs-write=${dir}`, file];
  let command: string;
  let args: string[];
  if (bwrap) {
    const binds = (await Promise.all(SYSTEM_DIRS.map(async (d) => ((await fs.stat(d).catch(() => undefined)) ? ['--ro-bind', d, d] : [])))).flat();
    // Node itself, when it lives outside the system folders (nvm, a VS Code install).
    const execDir = path.dirname(process.execPath);
    if (node && !SYSTEM_DIRS.some((d) => execDir === d || execDir.startsWith(`${d}/`))) binds.push('--ro-bind', execDir, execDir);
    const env = ['--setenv', 'PATH', '/usr/local/bin:/usr/bin:/bin', '--setenv', 'SMARTPLUG_INSTALL', install, '--setenv', 'HOME', dir, ...Object.entries(electron).flatMap(([k, v]) => ['--setenv', k, v])];
    command = bwrap;
    args = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv', ...env, ...binds, '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--bind', dir, dir, '--chdir', dir, ...(node ? [process.execPath, ...nodeArgs] : [file])];
  } else if (node) {
    command = process.execPath;
    args = nodeArgs;
  } else {
    throw new LoadFailure('script', `${options.label} runs ${interpreter.join(' ')}; this Thing confines scripts other than Node's with bubblewrap, which is not installed here`, {
      fix: 'install bubblewrap (Debian: apt-get install bubblewrap), or write the setup script for Node (#!/usr/bin/env node), which runs under Node\'s permission model',
    });
  }
  return new Promise<ScriptResult>((resolve, reject) => {
    const env = bwrap ? {} : { SMARTPLUG_INSTALL: install, ...electron };
    const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr') => (c: Buffer) => {
      if (out[stream].length < MAX_OUTPUT) out[stream] += c.toString('utf8').slice(0, MAX_OUTPUT - out[stream].length);
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new LoadFailure('script', `${options.label} did not finish within ${options.timeoutMs / 1000} s and was stopped`, { reason: 'timeout' }));
    }, options.timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new LoadFailure('script', `${options.label} was stopped: the Thing stopped`, { reason: 'stopped' }));
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new LoadFailure('script', `${options.label} could not be started: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code: code ?? (signal ? 128 : 1), ...out });
    });
  });
}
