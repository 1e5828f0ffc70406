/**
 * A `smartplug` command (bin/smartplug.js, which runs dist/) as a child process of a test, its
 * output collected: tests that kill the platform or a fleet with SIGKILL need them in processes of
 * their own, never in the test's.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const SMARTPLUG = path.join(ROOT, 'bin', 'smartplug.js');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class CliProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `group`: in a process group of its own, whose processes (a fleet's workers) can be found after it is killed. */
  constructor(args: string[], env: Record<string, string>, group = false) {
    this.child = spawn(process.execPath, [SMARTPLUG, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, detached: group });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitFor(line: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = line.exec(this.output);
      if (m) return m;
      if (this.child.exitCode !== null || Date.now() > until) throw new Error(`smartplug ${this.child.spawnargs[2]} did not print ${line}${this.child.exitCode !== null ? ` (it exited, ${this.child.exitCode})` : ` within ${timeoutMs} ms`}; its output:\n${this.output.slice(-4000)}`);
      await wait(25);
    }
  }

  /** SIGKILL to this process alone (not its group), and the process reaped (so a lock it held shows a dead owner). */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    const { signal } = await this.exited;
    assert.equal(signal, 'SIGKILL', `the process ended before it was killed:\n${this.output.slice(-4000)}`);
  }

  /** Ctrl-C (SIGINT) and its clean stop awaited; SIGKILL after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
