/**
 * "SmartPlug: Open JS Shell": a terminal (a Pseudoterminal) attached to a Thing of the connected
 * platform, or to one app of it. The terminal only carries text; shell-session.ts is the shell.
 * Each terminal has its own broker connection (a tool account), closed with the terminal.
 */
import * as vscode from 'vscode';
import { ShellClient } from '../../../platform/shell/shell-client';
import type { PlatformConnection, ShellAccess } from '../connection';
import { JsShellSession } from './shell-session';

class JsShellTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private client: ShellClient | undefined;
  private session: JsShellSession | undefined;
  private ended = false;

  constructor(
    private readonly connection: PlatformConnection,
    private readonly access: ShellAccess,
    private readonly thingId: string,
    private readonly app: number | undefined,
  ) {}

  async open(): Promise<void> {
    this.writer.fire(`Connecting to ${this.access.brokerUrl}…\r\n`);
    try {
      this.client = await ShellClient.connect({ brokerUrl: this.access.brokerUrl, token: this.access.token, brokerCa: this.access.brokerCa, timeoutMs: 10_000 });
    } catch (e) {
      this.writer.fire(`\x1b[31mThe JS Shell could not reach the broker ${this.access.brokerUrl}: ${(e as Error).message}\x1b[39m\r\nRun "SmartPlug: Test Connection" to see which part fails. Press any key to close this terminal.\r\n`);
      this.ended = true;
      return;
    }
    if (this.ended) return void this.client.close();
    let kept = this.access.source !== 'typed';
    this.session = new JsShellSession(this.client, this.thingId, this.access.credential, {
      ...(this.app !== undefined ? { app: this.app } : {}),
      write: (text) => this.writer.fire(text),
      exit: () => this.closer.fire(0),
      answered: () => {
        if (kept) return;
        kept = true;
        void this.connection.keepShellCredential(this.thingId, this.access.credential);
      },
    });
    await this.session.start();
  }

  handleInput(data: string): void {
    if (this.session) this.session.input(data);
    else if (this.ended) this.closer.fire(0);
  }

  close(): void {
    this.ended = true;
    this.session?.close();
    void this.client?.close();
  }
}

/** Opens a JS Shell on the Thing (in the app of installation `app`, when given). */
export async function openJsShell(connection: PlatformConnection, thingId: string, app: number | undefined): Promise<vscode.Terminal | undefined> {
  const access = await connection.shellAccess(thingId);
  if (!access) return undefined;
  const terminal = vscode.window.createTerminal({
    name: `JS Shell: ${thingId}`,
    pty: new JsShellTerminal(connection, access, thingId, app),
    iconPath: new vscode.ThemeIcon('terminal'),
    isTransient: true,
  });
  terminal.show();
  return terminal;
}
