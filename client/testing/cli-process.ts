/**
 * The `smartplug test` child process of a run: app code never runs in the extension host. Node
 * only (no vscode), so the tests start and cancel real processes with it.
 */
import { spawn } from 'node:child_process';
import { LineSplitter } from './results';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process wrote on stderr (why it failed, when it did). */
  stderr: string;
}

export interface CliProcess {
  readonly done: Promise<CliExit>;
  /** Stops the process and everything it started (the CLI re-starts itself under Node's permission model). */
  kill(): void;
}

export interface CliOptions {
  /** The Node binary: in desktop VS Code, Electron's, run as Node (ELECTRON_RUN_AS_NODE). */
  execPath: string;
  cliPath: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
}

const STDERR_KEPT = 16 * 1024;

export function startCli(o: CliOptions): CliProcess {
  const posix = process.platform !== 'win32';
  const child = spawn(o.execPath, [o.cliPath, ...o.args], {
    cwd: o.cwd,
    env: { ...process.env, ...o.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so cancelling kills the sandboxed grandchild too.
    detached: posix,
    windowsHide: true,
  });
  const lines = new LineSplitter();
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => lines.push(chunk).forEach(o.onLine));
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const done = new Promise<CliExit>((resolve) => {
    child.on('error', (e) => resolve({ code: null, signal: null, stderr: `could not start ${o.execPath}: ${e.message}` }));
    child.on('close', (code, signal) => {
      lines.end().forEach(o.onLine);
      resolve({ code, signal, stderr });
    });
  });
  let killed = false;
  const kill = () => {
    if (killed || child.pid === undefined || child.exitCode !== null) return;
    killed = true;
    if (!posix) {
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on('error', () => child.kill());
      return;
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  return { done, kill };
}
