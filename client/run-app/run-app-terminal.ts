/**
 * "SmartPlug: Run App": the app against its devices.json and instance.json in a terminal, as
 * `smartplug run` does it (the CLI runs in its own process, with the app in its sandboxed worker),
 * with an input line that completes device ids, attributes and values and keeps a history.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { completionDevices } from './completion-devices';
import { LineEditor } from '../terminal/line-editor';
import { runCompleter } from './run-completer';

export class RunAppTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly editor: LineEditor;
  private pending = '';

  constructor(
    private readonly appDir: string,
    private readonly cliPath: string,
    /** The instance file to run with (default: the app's instance.json, when there is one). */
    private readonly configFile?: string,
  ) {
    this.editor = new LineEditor(runCompleter(completionDevices(path.join(appDir, 'devices.json'))), '› ');
  }

  open(): void {
    const args = ['run', this.appDir];
    for (const [flag, file] of [['--devices', 'devices.json'], ['--config', this.configFile ?? 'instance.json']] as const) {
      const f = path.resolve(this.appDir, file);
      if (existsSync(f)) args.push(flag, f);
    }
    // VS Code's own Node: Electron's in desktop VS Code, run as Node.
    const child = spawn(process.execPath, [this.cliPath, ...args], { cwd: this.appDir, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', FORCE_COLOR: '1' } });
    this.child = child;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.output(chunk));
    child.stderr.on('data', (chunk: string) => this.output(chunk));
    child.on('error', (e) => this.output(`could not start ${process.execPath}: ${e.message}\n`));
    child.on('close', (code) => {
      this.output(`\nthe app stopped (exit code ${code ?? 'none'}); press any key to close this terminal\n`);
      this.child = undefined;
    });
    this.writer.fire(`Tab completes device ids, attributes and values; Up and Down recall earlier lines; type help for the commands.\r\n${this.editor.redraw()}`);
  }

  handleInput(data: string): void {
    if (!this.child) {
      this.closer.fire(0);
      return;
    }
    for (const r of this.editor.input(data)) {
      if (r.echo) this.writer.fire(r.echo);
      if (r.quit) {
        this.child.stdin.end('quit\n');
        continue;
      }
      if (r.line !== undefined) {
        this.child.stdin.write(`${r.line}\n`);
        this.writer.fire(this.editor.redraw());
      }
    }
  }

  close(): void {
    this.child?.kill();
  }

  /** The app's lines, above the input line (which is drawn again under them). */
  private output(chunk: string): void {
    this.pending += chunk;
    const end = this.pending.lastIndexOf('\n');
    if (end < 0) return;
    const lines = this.pending.slice(0, end + 1);
    this.pending = this.pending.slice(end + 1);
    this.writer.fire(`\r\x1b[2K${lines.replace(/\r?\n/g, '\r\n')}${this.editor.redraw()}`);
  }
}

/** Opens a Run App terminal for the app folder. */
export function runApp(appDir: string, cliPath: string, configFile?: string): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name: `SmartPlug: ${path.basename(appDir)}`, pty: new RunAppTerminal(appDir, cliPath, configFile), iconPath: new vscode.ThemeIcon('play') });
  terminal.show();
  return terminal;
}
